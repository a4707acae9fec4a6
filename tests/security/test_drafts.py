"""Drafts kept for a member whose session ended cannot fill the session table, outlive a day, or be shown to
anyone but the member who typed them; a form that sends too much gets a 413 page that says how much fits.
All through HTTP, as a member and as an anonymous sender would."""

import re
import time
import uuid
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from ldnsite import drafts
from ldnsite.comments.models import MAX_COMMENT_LENGTH
from tests.clients import PassedTwoFactorClient as Client
from tests.testimonials.test_submit import form_data

PASSWORD = "correct-horse-9"  # make_user's
MARKER = "Marker-of-a-draft-7f3a "
KB = 1024


def _stored_session_bytes(client) -> int:
    """The size of what the session table holds for this browser (0: no session was stored)."""
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None or not cookie.value:
        return 0
    row = Session.objects.filter(session_key=cookie.value).first()
    return len(row.session_data) if row else 0


def _owner_field(html: str) -> dict:
    match = re.search(rf'name="{drafts.OWNER_FIELD}" value="([^"]+)"', html)
    assert match, "the form carries no owner of its draft"
    return {drafts.OWNER_FIELD: match.group(1)}


def _log_in(client, user) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code


@pytest.fixture
def comment_url(make_article) -> str:
    return f"/comments/article/{make_article().slug}/new/"


def _session_ends_while_writing(member, url: str, fields: dict) -> Client:
    """`member` opens the form, their session ends, they send it anyway: the page keeps their text."""
    client = Client()
    client.force_login(member)
    owner = _owner_field(client.get(url).content.decode())
    client.logout()  # the session ran out (or they logged out in another tab)
    response = client.post(url, {**fields, **owner})
    assert response.status_code == 401
    assert "Your text is kept" in response.content.decode()
    return client


# --- The size of a request and of what is kept -----------------------------------------------------------


@pytest.mark.django_db
def test_two_megabyte_anonymous_post_gets_413_and_leaves_a_small_session(comment_url):
    client = Client()

    response = client.post(comment_url, {"body": "x" * (2 * KB * KB), "token": str(uuid.uuid4())})

    assert response.status_code == 413
    html = response.content.decode()
    assert "too long" in html and "nothing was saved" in html
    assert f"{settings.FORM_TEXT_MAX_CHARACTERS:,} characters" in html  # how long it may be
    assert f"{MAX_COMMENT_LENGTH:,} characters" in html
    assert "Not medical advice" in html  # the site's own page, header and footer
    assert _stored_session_bytes(client) < 64 * KB


@pytest.mark.django_db
def test_over_the_cap_member_post_gets_413_and_nothing_is_posted(comment_url, member):
    client = Client()
    client.force_login(member)
    body = "é" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 6 + 1)  # over the cap once percent-encoded

    response = client.post(  # as a browser sends a form: URL-encoded
        comment_url,
        urlencode({"body": body, "token": str(uuid.uuid4())}),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert "Your text is too long to send" in response.content.decode()
    assert member.comments.count() == 0


@pytest.mark.django_db
def test_largest_accepted_anonymous_post_keeps_a_draft_cut_at_the_field_maximum(comment_url):
    """Just under the cap, with the text and a pile of other fields: the session stays small."""
    client = Client()
    body = MARKER + "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2)
    junk = {f"field{i}": "z" * 300 for i in range(500)}

    response = client.post(comment_url, {"body": body, "token": str(uuid.uuid4()), **junk})

    assert response.status_code == 401
    assert MARKER in response.content.decode()  # all of it shown, to copy
    stored = _stored_session_bytes(client)
    assert 0 < stored < 64 * KB
    kept = client.session[drafts.SESSION_PREFIX + comment_url]
    assert len(kept["fields"]["body"][0]) == MAX_COMMENT_LENGTH
    assert set(kept["fields"]) <= {"body", "token", "parent", "subscribe"}


# --- Whose draft it is ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_draft_fills_the_form_for_the_member_who_typed_it(comment_url, make_user):
    writer = make_user()
    client = _session_ends_while_writing(
        writer, comment_url, {"body": MARKER + "what I wrote for half an hour", "token": str(uuid.uuid4())}
    )

    _log_in(client, writer)
    html = client.get(comment_url).content.decode()

    assert MARKER + "what I wrote for half an hour" in html


@pytest.mark.django_db
def test_draft_is_not_shown_to_another_member_on_the_same_browser(comment_url, make_user):
    writer, next_member = make_user(), make_user()
    client = _session_ends_while_writing(
        writer, comment_url, {"body": MARKER + "private words", "token": str(uuid.uuid4())}
    )

    _log_in(client, next_member)
    html = client.get(comment_url).content.decode()

    assert MARKER not in html
    assert 'name="body"' in html  # an empty form, not an error
    assert not any(key.startswith(drafts.SESSION_PREFIX) for key in client.session.keys())  # noqa: SIM118


@pytest.mark.django_db
def test_draft_without_a_known_owner_is_shown_to_nobody(comment_url, member):
    client = Client()
    forged = {drafts.OWNER_FIELD: drafts.owner_token(member)[:-2] + "xx"}
    response = client.post(
        comment_url, {"body": MARKER + "planted words", "token": str(uuid.uuid4()), **forged}
    )
    assert response.status_code == 401

    _log_in(client, member)

    assert MARKER not in client.get(comment_url).content.decode()


@pytest.mark.django_db
def test_experience_draft_survives_logging_in_again(make_user):
    """The longest form: its narrative and choices come back to the member who typed them."""
    writer = make_user()
    narrative = MARKER + "Forty minutes of typing about my first year on LDN. " * 10
    client = _session_ends_while_writing(
        writer, "/testimonials/new/", form_data(narrative=narrative, title="My first year")
    )

    _log_in(client, writer)
    html = client.get("/testimonials/new/").content.decode()

    assert narrative.strip() in html and "My first year" in html
    assert 'value="headache" checked' in html or re.search(r'value="headache"[^>]*checked', html)


# --- How long an anonymous draft lasts --------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_draft_older_than_a_day_is_gone(comment_url, make_user, monkeypatch):
    writer = make_user()
    client = _session_ends_while_writing(
        writer, comment_url, {"body": MARKER + "yesterday's words", "token": str(uuid.uuid4())}
    )
    row = Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert row.expire_date <= timezone.now() + timezone.timedelta(days=1)  # the session ends with the draft

    a_day_later = time.time() + drafts.ANONYMOUS_DRAFT_SECONDS + 60
    monkeypatch.setattr(drafts.time, "time", lambda: a_day_later)
    _log_in(client, writer)
    html = client.get(comment_url).content.decode()

    assert MARKER not in html
    assert not any(key.startswith(drafts.SESSION_PREFIX) for key in client.session.keys())  # noqa: SIM118


@pytest.mark.django_db
def test_logging_in_gives_the_session_its_usual_lifetime_back(comment_url, make_user):
    writer = make_user()
    client = _session_ends_while_writing(
        writer, comment_url, {"body": MARKER + "words", "token": str(uuid.uuid4())}
    )

    client.post("/accounts/login/", {"login": writer.email, "password": PASSWORD, "remember": "on"})

    row = Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert row.expire_date > timezone.now() + timezone.timedelta(days=7)
