import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

User = get_user_model()
PASSWORD = "a-long-and-unusual-passphrase-42"


def signup_data(**overrides) -> dict:
    data = {
        "email": "newcomer@example.org",
        "display_name": "River",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_needs_a_display_name_and_verification(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", signup_data())

    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.org")
    assert user.display_name == "River"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["newcomer@example.org"]
    # Not logged in until the address is confirmed.
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_confirmation_link_does_not_confirm_on_get_only_on_post(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", signup_data())
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", mailoutbox[0].body).group(1)

    client.get(link)
    assert not EmailAddress.objects.get(email="newcomer@example.org").verified

    client.post(link)
    assert EmailAddress.objects.get(email="newcomer@example.org").verified


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("display_name", "message"),
    [
        ("", "This field is required"),
        ("river@example.org", "cannot contain “@”"),
        ("<script>", "Use letters, numbers"),
        ("x", "at least two characters"),
    ],
)
def test_signup_refuses_bad_display_names_and_keeps_input(client, display_name, message):
    response = client.post("/accounts/signup/", signup_data(display_name=display_name))

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="newcomer@example.org"' in html
    assert not User.objects.exists()


@pytest.mark.django_db
def test_display_names_are_unique_ignoring_case(client, make_user):
    make_user(display_name="River")

    response = client.post("/accounts/signup/", signup_data(display_name="rIVER"))

    assert "looks too much like one already in use" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_display_name_is_never_derived_from_email(client):
    client.post("/accounts/signup/", signup_data(email="jane.doe.1970@example.org", display_name="Wren"))

    user = User.objects.get()
    assert "jane" not in user.display_name.lower()
    assert str(user) == "Wren"


@pytest.mark.django_db
def test_verified_member_logs_in_with_email(client, make_user):
    make_user(email="verified@example.org", password=PASSWORD)

    response = client.post("/accounts/login/", {"login": "verified@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_unverified_member_cannot_log_in(client, make_user, mailoutbox):
    make_user(email="unverified@example.org", password=PASSWORD, verified=False)

    response = client.post("/accounts/login/", {"login": "unverified@example.org", "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and "confirm-email" in response.url


@pytest.mark.django_db
def test_logout_needs_post(client, member):
    client.force_login(member)

    client.get("/accounts/logout/")
    assert client.session.get("_auth_user_id")

    client.post("/accounts/logout/")
    assert not client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def missing_the_first_check(monkeypatch, module, name):
    """`module.name` answers "free" once, as a check made just before another sign-up committed would, then
    tells the truth again."""
    real = getattr(module, name)
    calls = []

    def check(*args, **kwargs):
        calls.append(args)
        return False if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(module, name, check)
    return calls


@pytest.mark.django_db
def test_a_look_alike_name_taken_in_the_same_instant_is_a_form_error_not_a_500(
    client, make_user, monkeypatch
):
    from ldnsite.accounts import names

    make_user(display_name="River")
    calls = missing_the_first_check(monkeypatch, names, "is_taken")

    response = client.post("/accounts/signup/", signup_data(display_name="river", email="second@example.org"))

    assert response.status_code == 200 and len(calls) == 2
    assert not User.objects.filter(email="second@example.org").exists()
    html = response.content.decode()
    assert names.TAKEN.replace("'", "&#x27;") in html
    assert 'value="second@example.org"' in html and 'value="river"' in html
