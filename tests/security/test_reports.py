"""Reports cannot be turned against members: only established members' reports hide a comment on their own,
moderators' and editors' comments wait for a moderator, a member sends at most COMMENTS_REPORTS_PER_DAY a
day, moderators can dismiss reports, and nobody decides reports on their own comment.
"""

import re

import pytest
from django.utils import timezone

from ldnsite.comments.models import Comment, Report
from testimonials import moderation as testimonial_moderation
from tests.clients import PassedTwoFactorClient as Client
from tests.factories import story
from tests.security.moderation_flows import comment_events, logged_in

pytestmark = pytest.mark.django_db

MARKER = "An honest opinion REPORTS-5d2"


@pytest.fixture(autouse=True)
def _no_hold(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    settings.COMMENTS_RATE_NEW_MEMBER = (100, 600)
    settings.COMMENTS_RATE_MEMBER = (100, 600)


@pytest.fixture
def article(make_article):
    return make_article(slug="ldn-and-sleep", title="LDN and sleep")


def report(reporter, comment, *, note: str = ""):
    return logged_in(reporter).post(
        f"/comments/{comment.pk}/report/", {"reason": "misinformation", "note": note}
    )


def shown_to_readers(article) -> bool:
    return MARKER in Client().get(article.get_absolute_url()).content.decode()


def status_of(comment) -> str:
    comment.refresh_from_db()
    return comment.status


def test_three_fresh_accounts_cannot_hide_a_comment_while_three_established_ones_can(
    article, make_user, make_established, moderator, django_capture_on_commit_callbacks, make_comment
):
    target = make_comment(article, make_user(display_name="Poster Pia"), MARKER)
    for n in range(3):
        assert report(make_user(display_name=f"Fresh {n}"), target).status_code == 302

    assert status_of(target) == Comment.Status.PUBLISHED and shown_to_readers(article)
    queue = logged_in(moderator).get("/moderation/").content.decode()
    assert MARKER in queue and "does not count toward hiding" in queue  # moderators still read them

    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):  # committed: cached pages are refreshed
            report(make_established(display_name=f"Established {n}"), target)

    assert status_of(target) == Comment.Status.HIDDEN and not shown_to_readers(article)
    assert comment_events(target, "hide").get().actor is None


@pytest.mark.parametrize(
    ("days_old", "has_contribution"), [(30, False), (2, True)], ids=["old-without-contribution", "too-new"]
)
def test_a_report_counts_only_from_an_old_enough_account_with_an_approved_contribution(
    article, make_user, days_old, has_contribution, make_comment
):
    target = make_comment(article, make_user(display_name="Poster Pia"), MARKER)
    for n in range(3):
        reporter = make_user(date_joined=timezone.now() - timezone.timedelta(days=days_old))
        if has_contribution:
            make_comment(article, reporter, f"My own published comment {n}")
        report(reporter, target)

    assert Report.objects.filter(comment=target).count() == 3
    assert status_of(target) == Comment.Status.PUBLISHED and shown_to_readers(article)


def test_an_approved_experience_makes_a_reporter_established(
    article, make_user, make_established, moderator, make_comment
):
    """The comments app asks every app that approves members' writing (here: member experiences)."""
    target = make_comment(article, make_user(display_name="Poster Pia"), MARKER)
    month_ago = timezone.now() - timezone.timedelta(days=30)

    def storyteller(*, approved: bool):
        member = make_user(date_joined=month_ago)
        told = testimonial_moderation.submit(author=member, content=story(), is_carer=False)
        if approved:
            testimonial_moderation.approve(told, by=moderator)
        return member

    report(storyteller(approved=False), target)  # still waiting for a moderator: does not count
    report(make_established(), target)
    report(storyteller(approved=True), target)
    assert status_of(target) == Comment.Status.PUBLISHED  # two of three count

    report(storyteller(approved=True), target)

    assert status_of(target) == Comment.Status.HIDDEN


@pytest.mark.parametrize("role", ["moderator", "editor"])
def test_moderators_and_editors_comments_are_never_hidden_by_reports(
    article, make_established, moderator, other_moderator, editor, role, make_comment
):
    author = moderator if role == "moderator" else editor
    target = make_comment(article, author, MARKER)
    for n in range(4):
        report(make_established(display_name=f"Established {n}"), target)

    assert status_of(target) == Comment.Status.PUBLISHED and shown_to_readers(article)
    queue = logged_in(other_moderator).get("/moderation/").content.decode()
    assert MARKER in queue and f"/moderation/comments/{target.pk}/dismiss/" in queue


def test_the_eleventh_report_in_a_day_is_refused_and_the_text_is_kept(
    article, make_user, settings, make_comment
):
    assert settings.COMMENTS_REPORTS_PER_DAY == 10
    poster = make_user(display_name="Poster Pia")
    comments = [make_comment(article, poster, f"Comment {n}") for n in range(12)]
    reporter = make_user(display_name="Busy Reporter")
    for comment in comments[:10]:
        assert report(reporter, comment).status_code == 302

    response = report(reporter, comments[10], note="Please look at the dose REPORT-NOTE-77a")

    assert response.status_code == 429
    html = response.content.decode()
    assert "You have sent 10 reports in the last 24 hours" in html and "Please send this one tomorrow" in html
    assert "REPORT-NOTE-77a" in html
    assert re.search(r'value="misinformation"[^>]* checked', html)  # the chosen reason is kept too
    assert not Report.objects.filter(comment=comments[10]).exists()

    Report.objects.filter(reporter=reporter).update(created_at=timezone.now() - timezone.timedelta(hours=25))
    assert report(reporter, comments[10]).status_code == 302  # a day later there is room again
    assert Report.objects.filter(comment=comments[10], reporter=reporter).exists()


def test_a_moderator_dismisses_reports_and_the_comment_stays(
    article, make_user, make_established, moderator, make_comment
):
    target = make_comment(article, make_user(display_name="Poster Pia"), MARKER)
    for n in range(2):
        report(make_established(display_name=f"Established {n}"), target)
    client = logged_in(moderator)
    queue = client.get("/moderation/").content.decode()
    assert f"/moderation/comments/{target.pk}/dismiss/" in queue
    target.refresh_from_db()

    response = client.post(
        f"/moderation/comments/{target.pk}/dismiss/",
        {"seen": target.version, "reason": "An opinion, not advice."},
        follow=True,
    )

    assert "stays published; its reports are dismissed" in response.content.decode()
    assert status_of(target) == Comment.Status.PUBLISHED and shown_to_readers(article)
    assert set(target.reports.values_list("outcome", flat=True)) == {Report.Outcome.DISMISSED}
    assert not target.reports.filter(resolved_at__isnull=True).exists()
    event = comment_events(target, "dismiss").get()
    assert (event.actor, event.reason) == (moderator, "An opinion, not advice.")
    assert MARKER not in logged_in(moderator).get("/moderation/").content.decode()  # off the queue
    # Dismissed reports no longer count: one more established report does not hide it.
    report(make_established(), target)
    assert status_of(target) == Comment.Status.PUBLISHED


def test_dismissing_needs_a_reason(article, make_user, moderator, make_comment):
    target = make_comment(article, make_user(display_name="Poster Pia"), MARKER)
    report(make_user(), target)
    target.refresh_from_db()

    response = logged_in(moderator).post(
        f"/moderation/comments/{target.pk}/dismiss/", {"seen": target.version, "reason": " "}, follow=True
    )

    assert "give a reason to dismiss its reports" in response.content.decode()
    assert target.reports.get().resolved_at is None and not comment_events(target, "dismiss").exists()


def test_nobody_decides_reports_on_their_own_comment(
    article, make_user, moderator, other_moderator, make_comment
):
    own = make_comment(article, moderator, MARKER)
    report(make_user(), own)
    own.refresh_from_db()
    client = logged_in(moderator)

    queue = client.get("/moderation/").content.decode()
    assert "This is your own comment" in queue
    assert f"/moderation/comments/{own.pk}/dismiss/" not in queue
    response = client.post(
        f"/moderation/comments/{own.pk}/dismiss/", {"seen": own.version, "reason": "Fine."}, follow=True
    )
    assert "is your own; another moderator needs to decide" in response.content.decode()
    assert own.reports.get().resolved_at is None

    hide = {
        "action": "hide_published",
        "_selected_action": [own.pk],
        "post": "yes",
        f"seen-{own.pk}": own.version,
    }
    client.post("/admin/comments/comment/", hide)
    assert status_of(own) == Comment.Status.PUBLISHED  # the admin's actions are refused too

    logged_in(other_moderator).post("/admin/comments/comment/", {**hide, f"seen-{own.pk}": own.version})
    assert status_of(own) == Comment.Status.HIDDEN
    own.refresh_from_db()
    assert f"/moderation/comments/{own.pk}/restore/" not in client.get("/moderation/").content.decode()
    client.post(f"/moderation/comments/{own.pk}/restore/", {"seen": own.version})

    assert status_of(own) == Comment.Status.HIDDEN and not comment_events(own, "restore").exists()
    logged_in(other_moderator).post(f"/moderation/comments/{own.pk}/restore/", {"seen": own.version})
    assert status_of(own) == Comment.Status.PUBLISHED
