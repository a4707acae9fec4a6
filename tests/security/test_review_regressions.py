"""Defects found in a fresh-eyes review, each fixed; these tests keep them fixed. Real HTTP throughout."""

import re
import uuid

import pytest
from django.core import mail
from django.test import override_settings

from ldnsite.comments import notifications
from ldnsite.comments.models import Comment, Subscription, Thread
from ldnsite.notifications.models import EmailPreference
from testimonials import moderation
from testimonials.models import Testimonial
from tests.clients import PassedTwoFactorClient as Client
from tests.testimonials.test_submit import content, form_data

Testimonial.__test__ = False


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _form_fields(html: str, action: str) -> dict:
    """The hidden inputs of the form posting to `action`, as a browser would send them."""
    match = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert match, f"no form posting to {action}"
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', match.group(1)))


# --- 1. A newline in a member's title breaks every reply e-mail and 500s the comment form ----------------


@pytest.mark.django_db(transaction=True)
def test_newline_in_testimonial_title_does_not_500_comment_posting(make_user):
    author, approver, follower, commenter = (make_user() for _ in range(4))
    assert _client(author).post("/testimonials/new/", form_data(title="Calm\nevenings")).status_code == 302
    testimonial = Testimonial.objects.get()
    moderation.approve(testimonial, by=approver)
    EmailPreference.objects.create(member=follower, kind="followed", delivery="immediately")
    assert (
        _client(follower).post(f"/comments/testimonial/{testimonial.pk}/follow/", {"follow": "1"}).status_code
        == 302
    )
    mail.outbox.clear()

    with override_settings(COMMENTS_HOLD_FIRST_COMMENT=False):
        response = _client(commenter).post(
            f"/comments/testimonial/{testimonial.pk}/new/",
            {"body": "Glad it helps.", "token": str(uuid.uuid4())},
        )

    assert response.status_code == 302, response.status_code  # today: 500 BadHeaderError
    assert len(mail.outbox) == 1  # the follower is told


# --- 2. A moderator approves text they never saw (the author edits between review and click) -------------


def test_approve_from_a_stale_queue_does_not_publish_text_changed_since(client, make_user, moderator):
    author = make_user()
    testimonial = moderation.submit(
        author=author, content=content(narrative="Harmless words."), is_carer=False
    )
    client.force_login(moderator)
    queue = client.get("/moderation/").content.decode()
    assert "Harmless words." in queue
    action = f"/moderation/testimonials/{testimonial.pk}/approve/"
    seen_form = _form_fields(queue, action)

    edited = form_data(narrative="Buy cheap naltrexone from my shop, message me", title="Steadier on my feet")
    edited.pop("token")
    assert _client(author).post(f"/testimonials/{testimonial.pk}/edit/", edited).status_code == 302

    client.post(action, seen_form)
    page = _client().get(f"/testimonials/{testimonial.pk}/")
    assert b"Buy cheap naltrexone" not in page.content


def test_approve_revision_from_a_stale_queue_does_not_publish_later_changes(client, make_user, moderator):
    author = make_user()
    testimonial = moderation.approve(
        moderation.submit(author=author, content=content(), is_carer=False), by=moderator
    )
    moderation.edit(testimonial, by=author, content=content(narrative="A small correction."))
    client.force_login(moderator)
    queue = client.get("/moderation/").content.decode()
    assert "A small correction." in queue
    revision = testimonial.revisions.get()
    action = f"/moderation/revisions/{revision.pk}/approve/"
    seen_form = _form_fields(queue, action)

    edited = form_data(narrative="Order LDN cheaply at my shop, message me")
    for name in ("token", "written_as", "declaration", "consent"):
        edited.pop(name)
    assert _client(author).post(f"/testimonials/{testimonial.pk}/edit/", edited).status_code == 302

    client.post(action, seen_form)
    assert b"Order LDN cheaply" not in _client().get(f"/testimonials/{testimonial.pk}/").content


# --- 3. The bulk decision form 500s on ids that pass str.isdigit() but not int() or the database ---------


@pytest.mark.parametrize("bad_id", ["²", "99999999999999999999999"])
def test_bulk_decision_with_odd_ids_is_not_a_server_error(moderator, bad_id):
    response = _client(moderator).post(
        "/moderation/testimonials/decide/", {"action": "approve", "ids": [bad_id]}
    )
    assert response.status_code < 500, response.status_code


# --- 4. The unsubscribe page shows the title of a withdrawn experience to someone who is not its author --


def test_unsubscribe_page_does_not_show_a_withdrawn_experience_title(client, make_user, moderator):
    author, follower = make_user(), make_user()
    testimonial = moderation.approve(
        moderation.submit(author=author, content=content(title="Secret-title-7f3a"), is_carer=False),
        by=moderator,
    )
    assert (
        _client(follower).post(f"/comments/testimonial/{testimonial.pk}/follow/", {"follow": "1"}).status_code
        == 302
    )
    link = "/comments/unsubscribe/" + notifications.unsubscribe_token(Subscription.objects.get()) + "/"

    assert _client(author).post(f"/testimonials/{testimonial.pk}/withdraw/").status_code == 302
    assert Testimonial.objects.get().status == "withdrawn"

    page = client.get(link)  # the link from an old e-mail, opened by the follower (no session needed)
    assert page.status_code == 200
    assert b"Secret-title-7f3a" not in page.content


# --- 5. After posting in a long discussion, the member lands on page 1 and cannot see their comment ------


def test_posting_a_comment_lands_on_the_page_that_shows_it(make_user, make_article):
    article = make_article()
    thread = Thread.objects.for_subject(article)
    others = make_user()
    for n in range(20):
        Comment.objects.create(thread=thread, author=others, body=f"Older comment {n}", status="published")
    member = make_user()
    Comment.objects.create(thread=thread, author=member, body="My earlier one", status="published")

    client = _client(member)
    response = client.post(
        f"/comments/article/{article.slug}/new/", {"body": "Where-did-it-go-91c2", "token": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    landed = client.get(response["Location"])
    assert b"Where-did-it-go-91c2" in landed.content


# --- 6. A mangled hidden token blocks the submit form for good, despite the comment promising otherwise --


def test_mangled_submission_token_does_not_block_sending(make_user):
    client = _client(make_user())
    first = client.post("/testimonials/new/", form_data(token="not-a-uuid"))
    assert first.status_code == 302, first.status_code  # today: 400 "Enter a valid UUID." on a hidden field


# --- 7. An expired session throws away a long member experience (Rule 6) ---


def test_expired_session_does_not_lose_the_experience_text(make_user):
    client = _client(make_user())
    assert client.get("/testimonials/new/").status_code == 200
    client.session.flush()  # the session ran out while the member was writing
    client.cookies.pop("sessionid", None)
    narrative = "Forty-minutes-of-typing-5d1e " * 20
    response = client.post("/testimonials/new/", form_data(narrative=narrative))
    assert "Forty-minutes-of-typing-5d1e" in response.content.decode(), (
        f"{response.status_code} {response.get('Location')}: the text is gone"
    )
