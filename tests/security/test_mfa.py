"""Staff and moderators reach the admin and the moderation queue only after two-factor authentication."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client as PlainClient

PASSWORD = "correct-horse-9"


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

    after_password = client.post("/accounts/login/", {"login": moderator.email, "password": PASSWORD})
    assert after_password.status_code == 302 and "/2fa/authenticate/" in after_password.url
    assert client.get("/moderation/").status_code == 302  # not logged in until the code is given

    client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})

    assert client.get("/moderation/").status_code == 200
    assert Authenticator.objects.filter(user=moderator, type=Authenticator.Type.TOTP).exists()


@pytest.mark.django_db
def test_wrong_code_keeps_the_queue_closed(moderator):
    TOTP.activate(moderator, generate_totp_secret())
    client = PlainClient()
    client.post("/accounts/login/", {"login": moderator.email, "password": PASSWORD})

    client.post("/accounts/2fa/authenticate/", {"code": "000000"})

    response = client.get("/moderation/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


SECRET_FIELD = re.compile(
    r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"|value="([A-Z2-7]+)"[^>]*id="authenticator_secret"'
)


def shown_secret(response) -> str:
    match = SECRET_FIELD.search(response.content.decode())
    assert match, "the setup page shows the secret in a field that can be selected and copied"
    return match.group(1) or match.group(2)


@pytest.mark.django_db
def test_setting_up_two_factor_asks_password_once_and_code_once_then_returns(moderator):
    client = PlainClient()
    client.post("/accounts/login/", {"login": moderator.email, "password": PASSWORD})

    to_setup = client.get("/moderation/")
    assert to_setup.status_code == 302 and to_setup.url.startswith("/accounts/2fa/totp/activate/")
    first, reloaded = client.get(to_setup.url), client.get(to_setup.url)
    assert first.status_code == 200
    secret = shown_secret(first)
    assert shown_secret(reloaded) == secret  # a reload does not change what was scanned
    assert "disabled" not in re.search(
        r"<input[^>]*authenticator_secret[^>]*>", first.content.decode()
    ).group(0)

    activated = client.post(to_setup.url, {"code": current_code(secret)})
    assert activated.status_code == 302
    codes_page = client.get(activated.url)
    assert codes_page.status_code == 200
    assert 'href="/moderation/"' in codes_page.content.decode()  # "continue" leads where they were going

    queue = client.get("/moderation/")
    assert queue.status_code == 200  # no second code, no second password


@pytest.mark.django_db
def test_the_continue_link_after_setup_never_leaves_the_site(moderator):
    client = PlainClient()
    client.post("/accounts/login/", {"login": moderator.email, "password": PASSWORD})
    setup_url = "/accounts/2fa/totp/activate/?next=https://evil.example/"
    secret = shown_secret(client.get(setup_url))

    activated = client.post(setup_url, {"code": current_code(secret)})
    page = client.get(activated.url).content.decode()

    assert "evil.example" not in page
