"""The "confirm your e-mail address" page is not a dead end: it can send the e-mail again (POST, limited per
member and per address), and the e-mail names the site, not the host the request came in on."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from post_office.models import Email

from ldnsite.accounts.views import RESEND_LIMIT
from tests.accounts.test_signup_and_login import PASSWORD, signup_data

pytestmark = pytest.mark.django_db

SENT = "/accounts/confirm-email/"
RESEND = "/accounts/confirm-email/resend/"
ADDRESS = "newcomer@example.org"


@pytest.fixture
def signed_up(client, mailoutbox, django_capture_on_commit_callbacks):
    """A browser that has just signed up: its session holds the sign-up waiting for the address."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", signup_data())
    assert response.url == SENT and len(mailoutbox) == 1
    return client


def resend(client, capture):
    with capture(execute=True):
        return client.post(RESEND, follow=True)


def queued() -> list[Email]:
    """The site's mail queue (ldnsite.mail), oldest first. Within one test's transaction only the first
    mail is also delivered into the outbox: delivery is asked for once per transaction."""
    return list(Email.objects.order_by("pk"))


def confirmation_link(message: Email) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", message.message).group(1)


def test_the_confirmation_page_offers_to_send_the_email_again(signed_up):
    html = signed_up.get(SENT).content.decode()

    assert f'<form method="post" action="{RESEND}">' in html
    assert "Send the e-mail again" in html and 'name="csrfmiddlewaretoken"' in html


def test_send_again_mails_a_new_link_that_confirms_the_address(
    signed_up, mailoutbox, django_capture_on_commit_callbacks
):
    response = resend(signed_up, django_capture_on_commit_callbacks)

    assert response.redirect_chain[-1][0] == SENT
    assert f"We sent a new confirmation e-mail to {ADDRESS}." in response.content.decode()
    mails = queued()
    assert len(mails) == 2 and mails[-1].to == [ADDRESS]

    signed_up.post(confirmation_link(mails[-1]))
    assert EmailAddress.objects.get(email=ADDRESS).verified


def test_the_confirmation_email_names_the_site_not_the_requests_host(
    signed_up, mailoutbox, django_capture_on_commit_callbacks
):
    resend(signed_up, django_capture_on_commit_callbacks)

    assert len(queued()) == 2
    for message in queued():
        assert message.message.startswith("Hello from ldnsite, the community site about low dose naltrexone")
        assert "Hello from 127.0.0.1" not in message.message
        assert "Hello from testserver" not in message.message
        assert message.subject.startswith("[ldnsite] ")
    assert mailoutbox[0].body == queued()[0].message  # as delivered


def test_sending_again_is_limited_per_member_with_a_clear_answer(
    signed_up, mailoutbox, django_capture_on_commit_callbacks
):
    allowed, _ = RESEND_LIMIT
    for _ in range(allowed):
        assert resend(signed_up, django_capture_on_commit_callbacks).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        refused = signed_up.post(RESEND)

    assert refused.status_code == 429
    html = refused.content.decode()
    assert "We have already sent several e-mails to this address in the last hour" in html
    assert "The links in the e-mails we sent still work" in html
    assert len(queued()) == 1 + allowed


def test_the_limit_holds_for_the_address_from_another_browser(
    signed_up, mailoutbox, django_capture_on_commit_callbacks
):
    allowed, _ = RESEND_LIMIT
    for _ in range(allowed):
        resend(signed_up, django_capture_on_commit_callbacks)
    other_browser = Client()
    other_browser.post("/accounts/login/", {"login": ADDRESS, "password": PASSWORD})  # unconfirmed: waits
    sent = len(queued())

    with django_capture_on_commit_callbacks(execute=True):
        refused = other_browser.post(RESEND)

    assert refused.status_code == 429 and len(queued()) == sent


def test_signing_up_with_a_taken_address_answers_send_again_the_same_way(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(email=ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", signup_data(display_name="Someone Else"))

    response = resend(client, django_capture_on_commit_callbacks)

    assert f"We sent a new confirmation e-mail to {ADDRESS}." in response.content.decode()
    # The owner hears (again) that someone tried to join with their address; no account is created.
    assert [m.to for m in queued()] == [[ADDRESS], [ADDRESS]]
    assert "already exists" in queued()[-1].message


def test_without_a_sign_up_waiting_send_again_points_to_logging_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    response = resend(client, django_capture_on_commit_callbacks)

    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "log in with your e-mail address and password" in response.content.decode()
    assert queued() == []


def test_send_again_takes_only_a_post_with_the_csrf_token(signed_up, mailoutbox):
    assert signed_up.get(RESEND).status_code == 405

    forged = Client(enforce_csrf_checks=True)
    forged.cookies = signed_up.cookies
    assert forged.post(RESEND).status_code == 403
    assert len(queued()) == 1
