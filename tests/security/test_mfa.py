"""Staff and moderators reach the admin and the moderation queue only after two-factor authentication."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client as PlainClient

PASSWORD = "correct-horse-9"


@pytest.fixture
def moderator(make_user):
    return make_user(email="mod@example.org", groups=["Moderators"], is_staff=True)


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/", "/moderation/"])
def test_staff_without_an_authenticator_are_sent_to_set_one_up(editor, moderator, url):
    client = PlainClient()
    client.force_login(moderator if url == "/moderation/" else editor)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/totp/activate/")


@pytest.mark.django_db
def test_staff_with_an_authenticator_must_use_it_in_this_session(moderator):
    TOTP.activate(moderator, generate_totp_secret())
    client = PlainClient()
    client.force_login(moderator)  # a session that never saw a code

    response = client.get("/moderation/")

    assert response.status_code == 302 and response.url.startswith("/accounts/2fa/reauthenticate/")


@pytest.mark.django_db
def test_members_are_not_asked_for_a_second_factor(member):
    client = PlainClient()
    client.force_login(member)

    assert client.get("/moderation/").status_code == 403
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_login_with_password_and_code_opens_the_queue(moderator):
    secret = generate_totp_secret()
    TOTP.activate(moderator, secret)
    client = PlainClient()

    after_password = client.post("/accounts/login/", {"login": "mod@example.org", "password": PASSWORD})
    assert after_password.status_code == 302 and "/2fa/authenticate/" in after_password.url
    assert client.get("/moderation/").status_code == 302  # not logged in until the code is given

    client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})

    assert client.get("/moderation/").status_code == 200
    assert Authenticator.objects.filter(user=moderator, type=Authenticator.Type.TOTP).exists()


@pytest.mark.django_db
def test_wrong_code_keeps_the_queue_closed(moderator):
    TOTP.activate(moderator, generate_totp_secret())
    client = PlainClient()
    client.post("/accounts/login/", {"login": "mod@example.org", "password": PASSWORD})

    client.post("/accounts/2fa/authenticate/", {"code": "000000"})

    response = client.get("/moderation/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
