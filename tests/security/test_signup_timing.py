"""Sign-up does not tell who is registered: a known address gets the same page as a new one, after the same
work (its password hashed, a mail queued); the owner of the address is told by mail, through the queue.

The timing itself is measured by a benchmark, not here (`make bench-signup`, docs/security.md): a timed test
would be flaky and, with the test suite's fast password hasher, would measure nothing.
"""

import re

import pytest
from django.contrib.auth import hashers
from post_office.models import STATUS, Email

from ldnsite.accounts.models import User

SIGNUP = "/accounts/signup/"
PASSWORD = "a-long-and-unusual-passphrase-31"


def signup_data(email: str, display_name: str) -> dict:
    return {"email": email, "display_name": display_name, "password1": PASSWORD, "password2": PASSWORD}


def _page(response, email: str) -> str:
    """The page a person sees, without what differs on every request (CSRF tokens, the address typed)."""
    html = response.content.decode().replace(email, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.django_db
def test_known_address_gets_the_same_pages_as_a_new_one(client, make_user):
    make_user(email="known@example.org")

    known = client.post(SIGNUP, signup_data("known@example.org", "Curious Heron"), follow=True)
    client.cookies.clear()
    new = client.post(SIGNUP, signup_data("new@example.org", "Quiet Heron"), follow=True)

    assert known.redirect_chain == new.redirect_chain == [("/accounts/confirm-email/", 302)]
    assert known.status_code == new.status_code == 200
    assert _page(known, "known@example.org") == _page(new, "new@example.org")
    assert not User.objects.filter(display_name="Curious Heron").exists()


@pytest.mark.django_db
def test_existing_member_is_told_by_a_mail_through_the_queue(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(email="known@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data("known@example.org", "Curious Heron"))

    queued = Email.objects.get()  # a row of the queue, delivered after the commit like every mail
    assert queued.to == ["known@example.org"] and queued.status == STATUS.sent
    assert [message.to for message in mailoutbox] == [["known@example.org"]]
    body = mailoutbox[0].body
    assert "already exists" in body and "/accounts/password/reset/" in body


@pytest.mark.django_db
@pytest.mark.parametrize("known", [True, False], ids=["known address", "new address"])
def test_both_paths_hash_the_typed_password(client, make_user, monkeypatch, known):
    """The work that makes a new sign-up slow (hashing) is done for a known address too."""
    if known:
        make_user(email="someone@example.org")
    hashed = []
    hasher = type(hashers.get_hasher())
    real_encode = hasher.encode

    def counting_encode(self, password, *args, **kwargs):
        hashed.append(password)
        return real_encode(self, password, *args, **kwargs)

    monkeypatch.setattr(hasher, "encode", counting_encode)

    response = client.post(SIGNUP, signup_data("someone@example.org", "Curious Heron"))

    assert response.status_code == 302
    assert hashed == [PASSWORD]
    assert Email.objects.count() == 1  # one mail queued on either path: a confirmation or the notice
