"""CSRF: every state-changing POST without a token is refused and changes nothing; no GET changes state.
Open redirects: ?next= pointing off the site is never followed by login, logout or sign-up."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.utils.http import url_has_allowed_host_and_scheme

from ldnsite.comments import notifications
from ldnsite.comments.models import Subscription
from tests.clients import PassedTwoFactorClient as Client
from tests.security.test_access_control import (
    ACTION_NAMES,
    PASSWORD,
    _actions,
    experience_form,
    snapshot,
    world,  # noqa: F401 (a fixture)
)

# For each write action, the role that would succeed with a token.
ALLOWED_ROLE = {
    "testimonial_edit": "owner",
    "testimonial_withdraw": "owner",
    "testimonial_delete": "owner",
    "comment_edit": "owner",
    "comment_delete": "owner",
    "comment_report": "other_member",
    "decide_testimonial": "moderator",
    "reject_testimonial": "moderator",
    "decide_revision": "moderator",
    "decide_bulk": "moderator",
    "decide_comment": "moderator",
    "markdownx_upload": "editor",
}


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_every_write_action_has_a_role():
    assert set(ALLOWED_ROLE) == set(ACTION_NAMES)


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTION_NAMES)
def test_write_without_csrf_token_is_refused_and_changes_nothing(csrf_client, world, action):  # noqa: F811
    url, data, _allowed, happened = _actions(world)[action]
    if callable(data):
        data = data()
    csrf_client.force_login(world.users[ALLOWED_ROLE[action]])
    before = snapshot(world)

    response = csrf_client.post(url, data)

    assert response.status_code == 403
    assert not happened()
    assert snapshot(world) == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTION_NAMES)
def test_get_on_a_write_url_changes_nothing(client, world, action):  # noqa: F811
    url, _data, _allowed, happened = _actions(world)[action]
    client.force_login(world.users[ALLOWED_ROLE[action]])
    before = snapshot(world)

    response = client.get(url)

    assert response.status_code in (200, 302, 405)
    assert not happened()
    assert snapshot(world) == before


@pytest.mark.django_db
def test_comment_and_testimonial_submit_without_token_are_refused(csrf_client, world, make_article):  # noqa: F811
    article = make_article()
    other = world.users["other_member"]
    csrf_client.force_login(other)
    before = snapshot(world)

    comment = csrf_client.post(
        f"/comments/article/{article.slug}/new/", {"body": "No token.", "token": str(uuid.uuid4())}
    )
    testimonial = csrf_client.post("/testimonials/new/", experience_form(title="No token"))
    follow = csrf_client.post(f"/comments/article/{article.slug}/follow/", {"follow": "1"})
    preview = csrf_client.post("/markdownx/markdownify/", {"content": "**x**"})

    assert [r.status_code for r in (comment, testimonial, follow, preview)] == [403, 403, 403, 403]
    assert snapshot(world) == before
    assert not Subscription.objects.filter(member=other).exists()


@pytest.mark.django_db
def test_logout_without_token_keeps_the_member_logged_in(csrf_client, member):
    csrf_client.force_login(member)
    assert csrf_client.post("/accounts/logout/").status_code == 403
    assert csrf_client.get("/accounts/logout/").status_code == 200  # a confirmation page, not a logout
    assert "_auth_user_id" in csrf_client.session


def reauthenticated_csrf_client(user) -> Client:
    """Log in and reauthenticate through the forms (with tokens), then hand the session to a strict client."""
    helper = Client()
    assert helper.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code == 302
    assert helper.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = helper.cookies
    return strict


@pytest.mark.django_db
def test_export_and_delete_without_token_are_refused(world):  # noqa: F811
    owner = world.owner
    strict = reauthenticated_csrf_client(owner)
    before = snapshot(world)

    assert strict.post("/accounts/export/").status_code == 403
    response = strict.post("/accounts/delete/", {"experiences": "delete", "confirm": owner.display_name})

    assert response.status_code == 403
    assert snapshot(world) == before
    assert get_user_model().objects.filter(pk=owner.pk).exists()
    # GET only explains: nothing is sent, nothing deleted.
    assert strict.get("/accounts/delete/").status_code == 200
    assert strict.get("/accounts/export/")["Content-Type"].startswith("text/html")
    assert snapshot(world) == before


@pytest.mark.django_db
def test_one_click_unsubscribe_uses_its_signed_token_instead_of_csrf(csrf_client, world):  # noqa: F811
    subscription = Subscription.objects.create(thread=world.comment.thread, member=world.owner)

    forged = csrf_client.post(f"/comments/unsubscribe/{uuid.uuid4().hex}/")
    assert forged.status_code == 400
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    csrf_client.get(f"/comments/unsubscribe/{notifications.unsubscribe_token(subscription)}/")
    assert Subscription.objects.filter(pk=subscription.pk).exists()  # GET only asks

    response = csrf_client.post(f"/comments/unsubscribe/{notifications.unsubscribe_token(subscription)}/")
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


# --- Open redirects ----------------------------------------------------------------------------------------

EVIL_NEXTS = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "https:evil.example",
    "http://testserver.evil.example/",
    "\\\\evil.example",
    " //evil.example",
    "javascript:alert(1)",
]


def assert_stays_on_site(response):
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert "evil.example" not in location and "javascript" not in location.lower(), location
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), location


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", EVIL_NEXTS)
def test_login_does_not_follow_an_off_site_next(client, member, next_url):
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD, "next": next_url}
    )
    assert_stays_on_site(response)
    assert "_auth_user_id" in client.session
    response = client.post(f"/accounts/login/?next={next_url}", {"login": member.email, "password": PASSWORD})
    assert_stays_on_site(response)


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", EVIL_NEXTS)
def test_logout_does_not_follow_an_off_site_next(client, member, next_url):
    client.force_login(member)
    response = client.post("/accounts/logout/", {"next": next_url})
    assert_stays_on_site(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", EVIL_NEXTS)
def test_signup_does_not_follow_an_off_site_next(client, next_url):
    response = client.post(
        f"/accounts/signup/?next={next_url}",
        {
            "email": "newcomer@example.org",
            "display_name": "River",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": next_url,
        },
    )
    assert_stays_on_site(response)
    assert get_user_model().objects.filter(email="newcomer@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", EVIL_NEXTS)
def test_good_next_is_still_followed_and_bad_one_on_reauthentication_is_not(client, member, next_url):
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD, "next": "/testimonials/"}
    )
    assert response["Location"] == "/testimonials/"
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD, "next": next_url})
    assert_stays_on_site(response)
