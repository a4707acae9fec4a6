"""No stale decisions: every moderation form carries the version the moderator read, and a decision on an
item that changed since is refused ("This item changed since you opened it") with nothing published. An edit
of a comment a moderator approved waits for review while the approved text stays shown.
"""

import re

import pytest

from ldnsite.comments.models import Comment, CommentRevision
from ldnsite.moderation.exceptions import STALE_DECISION
from testimonials import moderation as testimonial_moderation
from tests import factories
from tests.clients import PassedTwoFactorClient as Client
from tests.security.moderation_flows import comment_events, logged_in, public_page

pytestmark = pytest.mark.django_db

READ = "What I wrote first STALE-READ-3a1"
UNREAD = "Buy it cheaply at my shop STALE-UNREAD-9f4"


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.COMMENTS_RATE_NEW_MEMBER = (100, 600)
    settings.COMMENTS_RATE_MEMBER = (100, 600)


@pytest.fixture
def article(make_article):
    return make_article(slug="ldn-and-pain", title="LDN and pain")


def form_version(html: str, action: str) -> str:
    """The version a form in the page carries: what the moderator's browser would send."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form, f"no form for {action}"
    return re.search(r'name="seen" value="([^"]*)"', form.group(1)).group(1)


def test_a_held_comment_edited_after_the_queue_was_opened_is_not_published(
    article, member, moderator, django_capture_on_commit_callbacks, make_comment
):
    held = make_comment(article, member, READ)
    assert held.status == Comment.Status.HELD
    moderator_client = logged_in(moderator)
    publish = f"/moderation/comments/{held.pk}/publish/"
    seen = form_version(moderator_client.get("/moderation/").content.decode(), publish)

    logged_in(member).post(f"/comments/{held.pk}/edit/", {"body": UNREAD})
    response = moderator_client.post(publish, {"seen": seen}, follow=True)

    assert response.status_code == 200 and STALE_DECISION in response.content.decode()
    held.refresh_from_db()
    assert held.status == Comment.Status.HELD and held.body == UNREAD
    assert UNREAD not in public_page(article) and not comment_events(held, "publish").exists()

    queue = moderator_client.get("/moderation/").content.decode()
    assert UNREAD in queue  # read again: now the decision goes through
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(publish, {"seen": form_version(queue, publish)})
    held.refresh_from_db()
    assert held.status == Comment.Status.PUBLISHED and UNREAD in public_page(article)


def test_an_edit_of_an_approved_comment_waits_while_the_approved_text_stays(
    article, member, moderator, other_moderator, django_capture_on_commit_callbacks, make_comment
):
    comment = make_comment(article, member, READ)
    moderator_client = logged_in(moderator)
    publish = f"/moderation/comments/{comment.pk}/publish/"
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            publish, {"seen": form_version(moderator_client.get("/moderation/").content.decode(), publish)}
        )
    author = logged_in(member)
    assert "a moderator reads your changes" in author.get(f"/comments/{comment.pk}/edit/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = author.post(f"/comments/{comment.pk}/edit/", {"body": UNREAD}, follow=True)

    assert "wait for a moderator" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == READ and comment.status == Comment.Status.PUBLISHED
    html = public_page(article)
    assert READ in html and UNREAD not in html
    assert UNREAD in author.get(f"/comments/{comment.pk}/edit/").content.decode()  # goes on from the edit
    queue = moderator_client.get("/moderation/").content.decode()
    assert UNREAD in queue and READ in queue

    approve = f"/moderation/comments/{comment.pk}/edit/approve/"
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(approve, {"seen": form_version(queue, approve)})

    comment.refresh_from_db()
    assert comment.body == UNREAD and not CommentRevision.objects.exists()
    assert (
        UNREAD in public_page(article)
        and comment_events(comment, "approve_revision").get().actor == moderator
    )

    # A second edit is turned down: the text approved last stays.
    author.post(f"/comments/{comment.pk}/edit/", {"body": "Third words STALE-THIRD-c27"})
    reject = f"/moderation/comments/{comment.pk}/edit/reject/"
    queue = logged_in(other_moderator).get("/moderation/").content.decode()
    logged_in(other_moderator).post(
        reject, {"seen": form_version(queue, reject), "reason": "Advertises a shop"}
    )
    comment.refresh_from_db()
    assert comment.body == UNREAD and not CommentRevision.objects.exists()
    assert comment_events(comment, "reject_revision").get().reason == "Advertises a shop"


def test_an_edit_changed_again_after_the_queue_was_opened_is_not_approved(
    article, member, moderator, make_comment
):
    comment = make_comment(article, member, READ)
    moderator_client = logged_in(moderator)
    publish = f"/moderation/comments/{comment.pk}/publish/"
    moderator_client.post(
        publish, {"seen": form_version(moderator_client.get("/moderation/").content.decode(), publish)}
    )
    author = logged_in(member)
    author.post(f"/comments/{comment.pk}/edit/", {"body": "A harmless edit"})
    approve = f"/moderation/comments/{comment.pk}/edit/approve/"
    seen = form_version(moderator_client.get("/moderation/").content.decode(), approve)

    author.post(f"/comments/{comment.pk}/edit/", {"body": UNREAD})
    response = moderator_client.post(approve, {"seen": seen}, follow=True)

    assert STALE_DECISION in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == READ and UNREAD not in public_page(article)
    assert CommentRevision.objects.get().body == UNREAD


def test_a_new_report_after_the_queue_was_opened_refuses_a_dismissal(
    article, make_user, moderator, settings, make_comment
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    comment = make_comment(article, make_user(), READ)
    report = {"reason": "misinformation", "note": ""}
    logged_in(make_user()).post(f"/comments/{comment.pk}/report/", report)
    moderator_client = logged_in(moderator)
    dismiss = f"/moderation/comments/{comment.pk}/dismiss/"
    seen = form_version(moderator_client.get("/moderation/").content.decode(), dismiss)

    logged_in(make_user()).post(
        f"/comments/{comment.pk}/report/", {**report, "note": "Someone may be at risk"}
    )
    response = moderator_client.post(dismiss, {"seen": seen, "reason": "Fine."}, follow=True)

    assert STALE_DECISION in response.content.decode()
    assert comment.reports.filter(resolved_at__isnull=True).count() == 2


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_story_changed_after_the_queue_was_opened_is_neither_published_nor_rejected(
    member, moderator, decision, mailoutbox, django_capture_on_commit_callbacks
):
    story = testimonial_moderation.submit(
        author=member, content=factories.story(narrative=READ), is_carer=False
    )
    moderator_client = logged_in(moderator)
    url = f"/moderation/testimonials/{story.pk}/{decision}/"
    seen = form_version(moderator_client.get("/moderation/").content.decode(), url)

    edited = factories.experience_form(narrative=UNREAD, display_as="ms_type")
    assert logged_in(member).post(f"/testimonials/{story.pk}/edit/", edited).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(url, {"seen": seen, "reason": "Off topic"}, follow=True)

    assert STALE_DECISION in response.content.decode()
    story.refresh_from_db()
    assert story.status == story.Status.PENDING and story.narrative == UNREAD
    assert UNREAD not in Client().get("/testimonials/").content.decode()
    assert mailoutbox == []


def test_changes_to_a_story_edited_again_cannot_be_rejected_unread(member, moderator):
    story = testimonial_moderation.submit(author=member, content=factories.story(), is_carer=False)
    testimonial_moderation.approve(story, by=moderator)
    story.refresh_from_db()
    revision = testimonial_moderation.edit(story, by=member, content=factories.story(narrative=READ))
    moderator_client = logged_in(moderator)
    url = f"/moderation/revisions/{revision.pk}/reject/"
    seen = form_version(moderator_client.get("/moderation/").content.decode(), url)

    testimonial_moderation.edit(story, by=member, content=factories.story(narrative=UNREAD))
    response = moderator_client.post(url, {"seen": seen, "reason": "Please shorten it"}, follow=True)

    assert STALE_DECISION in response.content.decode()
    revision.refresh_from_db()
    assert revision.status == revision.Status.PENDING and revision.narrative == UNREAD


def test_an_admin_decision_applies_only_to_the_version_shown(article, member, moderator, make_comment):
    held = make_comment(article, member, READ)
    admin = logged_in(moderator)
    choose = {"action": "publish_held", "_selected_action": [held.pk]}
    shown = admin.post("/admin/comments/comment/", choose).content.decode()
    assert READ in shown and 'name="post" value="yes"' in shown
    seen = re.search(rf'name="seen-{held.pk}" value="([^"]*)"', shown).group(1)

    logged_in(member).post(f"/comments/{held.pk}/edit/", {"body": UNREAD})
    response = admin.post(
        "/admin/comments/comment/", {**choose, "post": "yes", f"seen-{held.pk}": seen}, follow=True
    )

    assert STALE_DECISION in response.content.decode()
    held.refresh_from_db()
    assert held.status == Comment.Status.HELD and not comment_events(held, "publish").exists()


@pytest.mark.parametrize("seen", [None, "", "not-a-number", "9" * 5000])
def test_a_decision_without_a_readable_version_is_refused_without_an_error(
    article, member, moderator, seen, make_comment
):
    held = make_comment(article, member, READ)
    data = {} if seen is None else {"seen": seen}

    response = logged_in(moderator).post(f"/moderation/comments/{held.pk}/publish/", data, follow=True)

    assert response.status_code == 200 and STALE_DECISION in response.content.decode()
    held.refresh_from_db()
    assert held.status == Comment.Status.HELD
