"""The account pages (django-allauth, with the site's own element templates in templates/allauth/elements/).

Everything goes through real HTTP requests with Django's test client and looks at what a reader's browser
would get: the site's layout, labelled controls, errors tied to their fields, no inline styles (the coming
Content-Security-Policy forbids them), and the security behaviour of the flows.
"""

import re

import pytest
from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders

from tests.html_safety import start_tags

User = get_user_model()
PASSWORD = "correct-horse-9"  # the make_user fixture's password
NEW_PASSWORD = "a-fresh-and-unusual-passphrase-7"
LOGIN = "/accounts/login/"
SIGNUP = "/accounts/signup/"
EMAIL = "/accounts/email/"


def signup_data(**overrides) -> dict:
    data = {
        "email": "newcomer@example.org",
        "display_name": "River",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def tag_by_id(html: str, element_id: str) -> tuple[str, dict]:
    matches = [(tag, attrs) for tag, attrs, _raw in start_tags(html) if attrs.get("id") == element_id]
    assert len(matches) == 1, f"expected one element with id={element_id!r}, found {len(matches)}"
    return matches[0]


def errors_of(html: str, field_id: str) -> str:
    """The text of the error list shown next to one field."""
    return re.search(rf'<ul class="errorlist" id="{field_id}_errors">(.*?)</ul>', html, re.DOTALL).group(1)


def link_in(mail, path_prefix: str) -> str:
    return re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S+)", mail.body).group(1)


def assert_site_page(html: str) -> None:
    """The site's header and footer are there, every control is labelled, nothing is styled inline."""
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "Not medical advice" in html
    assert "style=" not in html
    tags = start_tags(html)
    for tag, attrs, raw in tags:
        # What a strict Content-Security-Policy would block: inline styles and scripts, event handlers.
        assert tag != "style" and "style" not in attrs, raw
        assert not any(name.startswith("on") for name in attrs), raw
        assert tag != "script" or attrs.get("src", "").startswith("/static/"), raw
    labelled = {attrs.get("for") for tag, attrs, _ in tags if tag == "label"}
    for tag, attrs, raw in tags:
        if tag in {"input", "textarea", "select"} and attrs.get("type") not in {"hidden", "submit"}:
            assert attrs.get("id") in labelled, f"control without a label: {raw}"


def log_in_through_the_form(client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


# --- Every account page uses the site's layout ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        LOGIN,
        SIGNUP,
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/done/",
        "/accounts/password/reset/key/1-not-a-real-key/",
        "/accounts/confirm-email/",
        "/accounts/confirm-email/not-a-real-key/",
        "/accounts/inactive/",
    ],
)
def test_account_pages_for_visitors_use_the_site_layout(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert_site_page(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/accounts/logout/",
        "/accounts/password/change/",
        EMAIL,
        "/accounts/reauthenticate/",
        "/accounts/password/reset/",
    ],
)
def test_account_pages_for_members_use_the_site_layout(client, member, url):
    client.force_login(member)

    response = client.get(url)

    assert response.status_code == 200
    assert_site_page(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/password/change/", EMAIL, "/accounts/reauthenticate/"])
def test_member_pages_send_visitors_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.django_db
def test_failed_forms_keep_the_site_layout(client, member):
    assert_site_page(log_in_through_the_form(client, member.email, "wrong-password-1").content.decode())
    assert_site_page(client.post(SIGNUP, signup_data(password2="something-else-entirely")).content.decode())
    assert_site_page(client.post("/accounts/password/reset/", {"email": "not an address"}).content.decode())


@pytest.mark.django_db
def test_inactive_account_is_sent_to_the_inactive_page(client, make_user):
    make_user(email="sleeping@example.org", is_active=False)

    response = log_in_through_the_form(client, "sleeping@example.org")

    assert response.status_code == 302 and response.url == "/accounts/inactive/"
    assert "_auth_user_id" not in client.session


# --- Forms: labels, errors, honeypot ------------------------------------------------------------------------


@pytest.mark.django_db
def test_signup_fields_are_labelled_and_ask_for_a_public_display_name(client):
    html = client.get(SIGNUP).content.decode()

    for name in ["email", "display_name", "password1", "password2"]:
        assert f'<label for="id_{name}">' in html
        tag, attrs = tag_by_id(html, f"id_{name}")
        assert tag == "input" and attrs["name"] == name and "required" in attrs
    assert "Public display name" in html
    assert "(required)" in html
    _, display_name = tag_by_id(html, "id_display_name")
    assert display_name["aria-describedby"] == "id_display_name_helptext"
    assert 'id="id_display_name_helptext"' in html
    assert tag_by_id(html, "id_email")[1]["type"] == "email"
    assert tag_by_id(html, "id_password1")[1]["autocomplete"] == "new-password"


@pytest.mark.django_db
def test_login_form_has_a_real_submit_button_and_the_checkbox_label_after_the_box(client):
    html = client.get(LOGIN).content.decode()

    assert re.search(r'<button type="submit" class="button">\s*Sign In\s*</button>', html)
    assert html.index('id="id_remember"') < html.index('<label for="id_remember">')
    assert tag_by_id(html, "id_login")[1]["autocomplete"] == "email"
    assert tag_by_id(html, "id_password")[1]["autocomplete"] == "current-password"


@pytest.mark.django_db
def test_failed_signup_keeps_what_was_typed_and_ties_the_error_to_its_field(client):
    response = client.post(SIGNUP, signup_data(password2="something-else-entirely"))

    html = response.content.decode()
    assert response.status_code == 200
    assert not User.objects.exists()
    assert tag_by_id(html, "id_email")[1]["value"] == "newcomer@example.org"
    assert tag_by_id(html, "id_display_name")[1]["value"] == "River"
    # Typed passwords are never sent back.
    assert "value" not in tag_by_id(html, "id_password1")[1]
    assert "value" not in tag_by_id(html, "id_password2")[1]
    _, password2 = tag_by_id(html, "id_password2")
    assert password2["aria-invalid"] == "true"
    assert "id_password2_errors" in password2["aria-describedby"].split()
    assert "You must type the same password each time." in errors_of(html, "id_password2")
    # Fields without problems are not marked invalid.
    assert "aria-invalid" not in tag_by_id(html, "id_display_name")[1]
    # A summary at the top, announced, links to the field; the page title says there is an error.
    assert re.search(r'<div class="form-problems" role="alert">', html)
    assert '<a href="#id_password2">' in html
    assert re.search(r"<title>Error: ", html)


@pytest.mark.django_db
def test_display_name_error_is_described_together_with_the_help_text(client):
    html = client.post(SIGNUP, signup_data(display_name="x")).content.decode()

    _, display_name = tag_by_id(html, "id_display_name")
    assert display_name["value"] == "x"
    assert display_name["aria-invalid"] == "true"
    assert display_name["aria-describedby"].split() == ["id_display_name_errors", "id_display_name_helptext"]
    assert "at least two characters" in errors_of(html, "id_display_name")


@pytest.mark.django_db
def test_wrong_password_is_announced_at_the_top_of_the_login_form(client, member):
    html = log_in_through_the_form(client, member.email, "wrong-password-1").content.decode()

    alert = re.search(r'<div class="form-problems" role="alert">(.*?)</div>', html, re.DOTALL).group(1)
    assert "The email address and/or password you specified are not correct." in alert
    assert html.index('role="alert"') < html.index('id="id_login"')
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_honeypot_is_hidden_from_people_screen_readers_and_keyboards_without_inline_style(client):
    html = client.get(SIGNUP).content.decode()

    assert re.search(
        r'<div class="hp-field" aria-hidden="true">\s*<label for="id_homepage">[^<]+</label>\s*'
        r'<input type="text" name="homepage" id="id_homepage" tabindex="-1" autocomplete="off">\s*</div>',
        html,
    )
    assert "style=" not in html
    css = open(finders.find("css/site.css"), encoding="utf-8").read()  # noqa: SIM115
    rule = re.search(r"\.hp-field \{([^}]*)\}", css).group(1)
    assert "position: absolute" in rule and "left: -10000px" in rule


@pytest.mark.django_db
def test_filling_the_honeypot_creates_no_account_but_looks_like_success(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data(homepage="https://cheap-pills.example"))

    assert response.status_code == 302 and response.url == "/accounts/confirm-email/"
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_leaving_the_honeypot_empty_creates_the_account(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data(homepage=""))

    assert response.status_code == 302 and response.url == "/accounts/confirm-email/"
    assert User.objects.get().display_name == "River"
    assert [mail.to for mail in mailoutbox] == [["newcomer@example.org"]]


# --- Password reset -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_link_lets_a_member_choose_a_new_password_and_log_in(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(email="forgetful@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302 and response.url == "/accounts/password/reset/done/"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["forgetful@example.org"]

    # The e-mailed link stores its key in the session and moves to a URL without it.
    response = client.get(link_in(mailoutbox[0], "/accounts/password/reset/key/"), follow=True)
    set_password_url = response.redirect_chain[-1][0]
    html = response.content.decode()
    assert response.status_code == 200 and "set-password" in set_password_url
    assert_site_page(html)
    assert '<label for="id_password1">' in html and '<label for="id_password2">' in html

    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/password/reset/key/done/"

    assert log_in_through_the_form(client, "forgetful@example.org", PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session
    assert log_in_through_the_form(client, "forgetful@example.org", NEW_PASSWORD).status_code == 302
    assert client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_password_reset_looks_the_same_for_unknown_addresses_and_sends_no_reset_link(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "stranger@example.org"})

    assert response.status_code == 302 and response.url == "/accounts/password/reset/done/"
    assert "/accounts/password/reset/key/" not in "".join(mail.body for mail in mailoutbox)


# --- Changing the e-mail address ------------------------------------------------------------------------


@pytest.mark.django_db
def test_changing_the_email_address_asks_for_the_password_first(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    assert client.get(EMAIL).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EMAIL, {"email": "max.new@example.org", "action_add": ""})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")
    assert not EmailAddress.objects.filter(email="max.new@example.org").exists()
    assert mailoutbox == []
    html = client.get(response.url).content.decode()
    assert_site_page(html)
    assert '<label for="id_password">' in html


@pytest.mark.django_db
def test_wrong_password_when_reauthenticating_changes_nothing(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    reauthenticate_url = client.post(EMAIL, {"email": "max.new@example.org", "action_add": ""}).url

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reauthenticate_url, {"password": "not-my-password"})

    assert response.status_code == 200
    assert tag_by_id(response.content.decode(), "id_password")[1]["aria-invalid"] == "true"
    assert not EmailAddress.objects.filter(email="max.new@example.org").exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_after_reauthenticating_the_new_address_is_verified_before_it_replaces_the_old(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    old_email = member.email
    client.force_login(member)
    reauthenticate_url = client.post(EMAIL, {"email": "max.new@example.org", "action_add": ""}).url

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reauthenticate_url, {"password": PASSWORD})

    # allauth replays the suspended request: the new address is added, unverified, and gets a link.
    assert response.status_code == 302 and response.url == EMAIL
    new = EmailAddress.objects.get(email="max.new@example.org")
    assert new.user == member and not new.verified and not new.primary
    old = EmailAddress.objects.get(email=old_email)
    assert old.primary and old.verified
    member.refresh_from_db()
    assert member.email == old_email
    assert [mail.to for mail in mailoutbox] == [["max.new@example.org"]]

    html = client.get(EMAIL).content.decode()
    assert_site_page(html)
    assert "max.new@example.org" in html and old_email in html
    assert re.search(r'<form hidden id="pending-email" method="post" action="/accounts/email/">', html)
    assert 'form="pending-email"' in html

    # Following the link makes the new address the member's only, primary address.
    client.post(link_in(mailoutbox[0], "/accounts/confirm-email/"))
    member.refresh_from_db()
    assert member.email == "max.new@example.org"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", "primary", "verified")) == [
        ("max.new@example.org", True, True)
    ]


# --- Privacy: no account enumeration, no addresses on public pages ----------------------------------------


def _without_volatile_parts(html: str, typed_email: str) -> str:
    html = html.replace(typed_email, "TYPED-EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)


@pytest.mark.django_db
def test_login_page_does_not_reveal_whether_an_address_has_an_account(client, make_user):
    make_user(email="known@example.org")

    known = log_in_through_the_form(client, "known@example.org", "wrong-password-1")
    unknown = log_in_through_the_form(client, "unknown@example.org", "wrong-password-1")

    assert known.status_code == unknown.status_code == 200
    assert _without_volatile_parts(known.content.decode(), "known@example.org") == _without_volatile_parts(
        unknown.content.decode(), "unknown@example.org"
    )


@pytest.mark.django_db
def test_signing_up_with_a_taken_address_looks_like_a_new_signup(client, make_user, mailoutbox):
    make_user(email="newcomer@example.org")

    response = client.post(SIGNUP, signup_data(display_name="Impostor"))

    assert response.status_code == 302 and response.url == "/accounts/confirm-email/"
    assert User.objects.count() == 1
    assert not User.objects.filter(display_name="Impostor").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["the member", "another member", "a visitor"])
def test_members_address_is_never_shown_on_public_pages(client, make_user, make_article, viewer):
    member = make_user(email="private.person@example.org", display_name="Quiet Wren")
    article = make_article(author=member)
    if viewer == "the member":
        client.force_login(member)
    elif viewer == "another member":
        client.force_login(make_user())

    for url in ["/", "/articles/", article.get_absolute_url(), "/studies/", "/testimonials/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "private.person" not in html, url
    assert "Quiet Wren" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_pages_after_logging_in_and_confirming_do_not_show_the_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data(email="river.private@example.org"), follow=True)

    # Following the confirmation link logs the new member in and lands on the home page, with a message.
    response = client.post(link_in(mailoutbox[0], "/accounts/confirm-email/"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/"
    assert "your e-mail address is confirmed" in html
    assert "river.private" not in html

    client.post("/accounts/logout/")
    response = client.post(
        LOGIN, {"login": "river.private@example.org", "password": NEW_PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert "<strong>River</strong>" in html and "Signed in as" in html
    assert "river.private" not in html


# --- Rate limits ------------------------------------------------------------------------------------------


def test_failed_logins_are_limited_to_ten_a_minute_per_ip_and_five_per_address():
    assert allauth_settings.RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"


@pytest.mark.django_db
def test_after_five_failed_logins_an_address_is_locked_even_for_the_right_password(client, make_user):
    make_user(email="target@example.org")
    for _ in range(5):
        html = log_in_through_the_form(client, "target@example.org", "guess-123456").content.decode()
        assert "are not correct" in html

    response = log_in_through_the_form(client, "target@example.org", PASSWORD)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in html
    assert re.search(r'role="alert">.*Too many failed login attempts', html, re.DOTALL)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_after_ten_failed_logins_from_one_ip_other_addresses_are_refused_too(client, make_user):
    make_user(email="bystander@example.org")
    for n in range(10):
        log_in_through_the_form(client, f"guess{n}@example.org", "guess-123456")

    response = log_in_through_the_form(client, "bystander@example.org", PASSWORD)

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_flooding_the_login_form_gets_a_readable_429_page(client):
    for _ in range(30):
        assert log_in_through_the_form(client, "anyone@example.org", "guess-123456").status_code == 200

    response = log_in_through_the_form(client, "anyone@example.org", "guess-123456")

    assert response.status_code == 429
    html = response.content.decode()
    assert_site_page(html)
    assert "Too many attempts" in html
