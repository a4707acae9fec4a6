"""Moderation of comments: the first-comment hold, reports, the transition table and its log, the admin
actions, reply e-mails with their unsubscribe link, and sweeps for leaked e-mail addresses or hidden text.
"""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from ldnsite.comments import moderation
from ldnsite.comments.models import Comment, Report, Subscription, Thread
from ldnsite.moderation.exceptions import InvalidTransition
from ldnsite.moderation.models import ModerationEvent
from ldnsite.notifications.models import EmailPreference
from tests.clients import PassedTwoFactorClient as Client
from tests.factories import own_callbacks

pytestmark = pytest.mark.django_db

WAITING_NOTE = "Waiting for a moderator"
HIDDEN_NOTE = "Hidden while moderators review reports"
REMOVED_PLACEHOLDER = "This comment was removed by a moderator."


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    """Rate limits are tested with posting; here members post a few comments in a row."""
    settings.COMMENTS_RATE_NEW_MEMBER = (100, 600)
    settings.COMMENTS_RATE_MEMBER = (100, 600)


@pytest.fixture
def no_hold(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False


@pytest.fixture
def article(make_article):
    return make_article(slug="ldn-and-fatigue", title="LDN and fatigue")


def page(url: str, user=None, *, status: int | tuple[int, ...] = 200) -> str:
    """GET a page as an anonymous reader (user=None) or as a logged-in member."""
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code in (status if isinstance(status, tuple) else (status,)), url
    return response.content.decode()


# A member page exists only for a member with a public contribution: the others answer 404.
PAGE_OR_NONE = (200, 404)


def profile_url(user) -> str:
    return f"/members/{user.pk}/"


def events_for(comment: Comment):
    return ModerationEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment), object_id=comment.pk
    )


def report_as(reporter, comment, *, reason="misinformation", note="", follow=False):
    client = Client()
    client.force_login(reporter)
    return client.post(f"/comments/{comment.pk}/report/", {"reason": reason, "note": note}, follow=follow)


def admin_action(user, action: str, *comments):
    """Choose an admin action, then confirm it on the page that shows the comments, as read there."""
    client = Client()
    client.force_login(user)
    choose = {"action": action, "_selected_action": [str(c.pk) for c in comments]}
    shown = client.post("/admin/comments/comment/", choose)
    html = shown.content.decode()
    if shown.status_code != 200 or 'name="post" value="yes"' not in html:  # refused: nothing to confirm
        return shown
    for comment in comments:
        assert f'name="seen-{comment.pk}" value="{comment.version}"' in html
    versions = {f"seen-{c.pk}": str(c.version) for c in comments}
    return client.post("/admin/comments/comment/", {**choose, **versions, "post": "yes"}, follow=True)


# --- The first comment waits for a moderator ----------------------------------------------------------------


def test_first_comment_is_held_and_only_its_author_and_moderators_read_it(
    article, make_user, moderator, make_comment
):
    author = make_user(display_name="New Nora")
    other = make_user(display_name="Other Olga")

    comment = make_comment(article, author, "My first words about fatigue HELD-7c1", posted=True)

    assert comment.status == Comment.Status.HELD
    for reader in (None, other):
        html = page(article.get_absolute_url(), reader)
        assert "HELD-7c1" not in html
        assert "No comments yet." in html and "(1 comment)" not in html
        assert "HELD-7c1" not in page(profile_url(author), reader, status=404)
    own_view = page(article.get_absolute_url(), author)
    assert "HELD-7c1" in own_view and WAITING_NOTE in own_view
    moderator_view = page(article.get_absolute_url(), moderator)
    assert "HELD-7c1" in moderator_view and WAITING_NOTE in moderator_view
    submit_event = events_for(comment).get()
    assert (submit_event.action, submit_event.from_state, submit_event.to_state) == ("submit", "", "held")
    assert submit_event.actor == author


def test_member_is_told_their_first_comment_waits_for_a_moderator(client, article, member):
    client.force_login(member)

    response = client.post(
        f"/comments/article/{article.slug}/new/",
        {"body": "Hello everyone", "token": str(uuid.uuid4())},
        follow=True,
    )

    assert "waits for a moderator" in response.content.decode()


def test_published_first_comment_is_public_and_the_next_one_skips_the_queue(
    article, make_user, moderator, django_capture_on_commit_callbacks, make_comment
):
    author = make_user(display_name="New Nora")
    first = make_comment(article, author, "First comment FIRST-a41", posted=True)

    with django_capture_on_commit_callbacks(execute=True):  # committed: the page is refreshed
        moderation.publish(first, by=moderator)

    first.refresh_from_db()
    assert first.status == Comment.Status.PUBLISHED
    assert "FIRST-a41" in page(article.get_absolute_url())
    assert "FIRST-a41" in page(profile_url(author))
    with django_capture_on_commit_callbacks(execute=True):
        second = make_comment(article, author, "Second comment SECOND-b52", posted=True)
    assert second.status == Comment.Status.PUBLISHED
    assert "SECOND-b52" in page(article.get_absolute_url())
    assert WAITING_NOTE not in page(article.get_absolute_url(), author)


def test_moderator_publishes_a_held_comment_with_the_admin_action(article, member, moderator, make_comment):
    comment = make_comment(article, member, "Held until the admin says so ADMIN-c63")

    response = admin_action(moderator, "publish_held", comment)

    comment.refresh_from_db()
    assert response.status_code == 200
    assert comment.status == Comment.Status.PUBLISHED
    assert "ADMIN-c63" in page(article.get_absolute_url())
    event = events_for(comment).get(action="publish")
    assert event.actor == moderator and (event.from_state, event.to_state) == ("held", "published")


def test_first_comment_goes_straight_up_when_the_hold_is_off(article, member, no_hold, make_comment):
    comment = make_comment(article, member, "No waiting NOHOLD-d74", posted=True)

    assert comment.status == Comment.Status.PUBLISHED
    assert "NOHOLD-d74" in page(article.get_absolute_url())


# --- Reports ------------------------------------------------------------------------------------------------


@pytest.fixture
def published(article, make_user, no_hold, make_comment):
    """A published comment by Paula, with a reply by someone else under it."""
    author = make_user(display_name="Poster Paula")
    return make_comment(article, author, "LDN cures everything REPORTED-e85")


def test_member_reports_a_comment_with_a_reason_and_a_note(published, member):
    client = Client()
    client.force_login(member)
    form = client.get(f"/comments/{published.pk}/report/")
    assert form.status_code == 200
    assert "Medical misinformation" in form.content.decode()

    response = client.post(
        f"/comments/{published.pk}/report/",
        {"reason": "misinformation", "note": "No trial shows this."},
        follow=True,
    )

    report = Report.objects.get()
    assert (report.comment, report.reporter, report.reason) == (published, member, "misinformation")
    assert report.note == "No trial shows this." and report.resolved_at is None
    assert "Moderators will look at this comment" in response.content.decode()
    published.refresh_from_db()
    assert published.status == Comment.Status.PUBLISHED


def test_a_reason_from_the_list_is_required(published, member):
    for reason in ("", "i-just-dislike-it"):
        response = report_as(member, published, reason=reason)
        assert response.status_code == 400
    assert not Report.objects.exists()


def test_reporting_twice_makes_one_report_and_a_friendly_message(published, member):
    report_as(member, published, reason="spam")

    response = report_as(member, published, reason="abuse", follow=True)

    assert response.status_code == 200
    assert "You have already reported this comment" in response.content.decode()
    assert Report.objects.get().reason == "spam"


def test_members_cannot_report_their_own_comment(published):
    client = Client()
    client.force_login(published.author)

    assert client.get(f"/comments/{published.pk}/report/").status_code == 404
    assert client.post(f"/comments/{published.pk}/report/", {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_unverified_member_cannot_report(published, make_user):
    response = report_as(make_user(verified=False), published, reason="spam")

    assert response.status_code == 302 and "/accounts/email/" in response.url
    assert not Report.objects.exists()


def test_anonymous_reader_must_log_in_to_report(client, published):
    response = client.post(f"/comments/{published.pk}/report/", {"reason": "spam"})

    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Report.objects.exists()


def test_three_reports_hide_a_comment_until_a_moderator_decides(
    article, published, make_user, make_established, moderator, django_capture_on_commit_callbacks
):
    reporters = [make_established(display_name=f"Reporter {n}") for n in range(3)]
    bystander = make_user(display_name="Bystander Bea")
    for reporter in reporters[:2]:
        report_as(reporter, published)
    published.refresh_from_db()
    assert published.status == Comment.Status.PUBLISHED
    assert "REPORTED-e85" in page(article.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):  # committed: the page is refreshed
        report_as(reporters[2], published)

    published.refresh_from_db()
    assert published.status == Comment.Status.HIDDEN
    for reader in (None, bystander, reporters[0]):
        assert "REPORTED-e85" not in page(article.get_absolute_url(), reader)
        assert "REPORTED-e85" not in page(profile_url(published.author), reader, status=PAGE_OR_NONE)
    author_view = page(article.get_absolute_url(), published.author)
    assert "REPORTED-e85" in author_view and HIDDEN_NOTE in author_view
    assert "REPORTED-e85" in page(article.get_absolute_url(), moderator)
    event = events_for(published).get(action="hide")
    assert event.actor is None
    assert (event.from_state, event.to_state) == ("published", "hidden")
    assert "reports" in event.reason
    assert report_as(make_user(), published).status_code == 404  # a hidden comment cannot be reported


def test_restoring_a_hidden_comment_shows_it_again_and_resolves_its_reports(
    article, published, make_established, moderator
):
    for n in range(3):
        report_as(make_established(display_name=f"Reporter {n}"), published)
    published.refresh_from_db()
    assert published.status == Comment.Status.HIDDEN

    moderation.restore(published, by=moderator, reason="It is an opinion, not advice")

    published.refresh_from_db()
    assert published.status == Comment.Status.PUBLISHED
    assert "REPORTED-e85" in page(article.get_absolute_url())
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert set(Report.objects.values_list("outcome", flat=True)) == {Report.Outcome.DISMISSED}
    event = events_for(published).get(action="restore")
    assert event.actor == moderator and (event.from_state, event.to_state) == ("hidden", "published")


def test_after_a_restore_old_reports_do_not_count_towards_hiding_again(
    published, make_established, moderator
):
    for n in range(3):
        report_as(make_established(display_name=f"Reporter {n}"), published)
    published.refresh_from_db()
    assert published.status == Comment.Status.HIDDEN
    moderation.restore(published, by=moderator)

    report_as(make_established(display_name="Late Reporter"), published)

    published.refresh_from_db()
    assert published.status == Comment.Status.PUBLISHED


def test_removed_comment_leaves_a_placeholder_and_its_replies_stay(
    article, published, make_user, moderator, make_comment
):
    replier = make_user(display_name="Replying Rita")
    make_comment(article, replier, "Please cite a study REPLY-f96", parent=published)

    moderation.remove(published, by=moderator, reason="Medical misinformation")

    published.refresh_from_db()
    assert published.status == Comment.Status.REMOVED
    for reader in (None, replier, published.author, moderator):
        html = page(article.get_absolute_url(), reader)
        assert "REPORTED-e85" not in html
        assert REMOVED_PLACEHOLDER in html
        assert "REPLY-f96" in html
    assert "REPORTED-e85" not in page(profile_url(published.author), status=PAGE_OR_NONE)


def test_removed_comment_without_replies_leaves_nothing_behind(article, published, moderator):
    moderation.remove(published, by=moderator, reason="Spam")

    html = page(article.get_absolute_url())

    assert "REPORTED-e85" not in html and REMOVED_PLACEHOLDER not in html


# --- The transition table and its log -----------------------------------------------------------------------

STATES = ["held", "published", "hidden", "removed", "deleted"]
ALLOWED = {
    ("held", "publish"): "published",
    ("published", "hide"): "hidden",
    ("hidden", "restore"): "published",
    ("held", "remove"): "removed",
    ("published", "remove"): "removed",
    ("hidden", "remove"): "removed",
    ("held", "delete"): "deleted",
    ("published", "delete"): "deleted",
    ("hidden", "delete"): "deleted",
}
ACTIONS = ["publish", "hide", "restore", "remove", "delete"]
FORBIDDEN = [(state, action) for state in STATES for action in ACTIONS if (state, action) not in ALLOWED]


def run_transition(action: str, comment: Comment, moderator):
    if action == "delete":
        return moderation.delete_by_author(comment, by=comment.author)
    return getattr(moderation, action)(comment, by=moderator, reason="Checked by a test")


@pytest.mark.parametrize(("state", "action"), list(ALLOWED))
def test_every_allowed_transition_writes_exactly_one_event(
    article, member, moderator, state, action, make_comment
):
    comment = make_comment(article, member, "Some text", status=state)

    run_transition(action, comment, moderator)

    comment.refresh_from_db()
    assert comment.status == ALLOWED[(state, action)]
    event = events_for(comment).get()
    assert (event.action, event.from_state, event.to_state) == (action, state, comment.status)
    assert event.actor == (member if action == "delete" else moderator)


@pytest.mark.parametrize(("state", "action"), FORBIDDEN)
def test_a_move_the_table_forbids_raises_and_writes_nothing(
    article, member, moderator, state, action, make_comment
):
    comment = make_comment(article, member, "Some text", status=state)

    with pytest.raises(InvalidTransition):
        run_transition(action, comment, moderator)

    comment.refresh_from_db()
    assert comment.status == state
    assert not events_for(comment).exists()


def test_hiding_twice_raises_the_second_time_and_logs_one_event(article, member, moderator, make_comment):
    comment = make_comment(article, member, "Some text", status=Comment.Status.PUBLISHED)
    moderation.hide(comment, by=moderator, reason="Under review")

    with pytest.raises(InvalidTransition):
        moderation.hide(comment, by=moderator, reason="Under review")

    assert events_for(comment).filter(action="hide").count() == 1
    assert events_for(comment).count() == 1


def test_a_stale_copy_of_a_comment_cannot_undo_a_later_decision(article, member, moderator, make_comment):
    comment = make_comment(article, member, "Some text", status=Comment.Status.PUBLISHED)
    stale = Comment.objects.get(pk=comment.pk)
    moderation.remove(comment, by=moderator, reason="Spam")

    with pytest.raises(InvalidTransition):
        moderation.hide(stale, by=moderator, reason="Under review")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert events_for(comment).count() == 1


def test_moderation_events_cannot_be_changed_afterwards(article, member, moderator, make_comment):
    comment = make_comment(article, member, "Some text", status=Comment.Status.PUBLISHED)
    moderation.hide(comment, by=moderator, reason="Under review")
    event = events_for(comment).get()

    event.reason = "Something else"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


@pytest.mark.parametrize(
    ("action", "state", "transition", "new_state"),
    [
        ("publish_held", "held", "publish", "published"),
        ("hide_published", "published", "hide", "hidden"),
        ("restore_hidden", "hidden", "restore", "published"),
        ("remove_selected", "published", "remove", "removed"),
    ],
)
def test_admin_actions_go_through_the_moderation_functions(
    article, member, moderator, action, state, transition, new_state, make_comment
):
    comment = make_comment(article, member, "Some text", status=state)

    response = admin_action(moderator, action, comment)

    comment.refresh_from_db()
    assert response.status_code == 200
    assert comment.status == new_state
    event = events_for(comment).get()
    assert (event.action, event.from_state, event.to_state) == (transition, state, new_state)
    assert event.actor == moderator


def test_admin_action_on_a_comment_in_the_wrong_state_changes_nothing(
    article, member, moderator, make_comment
):
    comment = make_comment(article, member, "Some text", status=Comment.Status.PUBLISHED)

    response = admin_action(moderator, "publish_held", comment)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert not events_for(comment).exists()
    assert "Cannot publish" in response.content.decode()


def test_plain_members_cannot_reach_the_comment_admin(article, member, make_comment):
    comment = make_comment(article, member, "Some text", status=Comment.Status.HELD)
    client = Client()
    client.force_login(member)

    assert client.get("/admin/comments/comment/").status_code == 302
    response = client.post(
        "/admin/comments/comment/", {"action": "publish_held", "_selected_action": [str(comment.pk)]}
    )

    assert response.status_code == 302 and "/login/" in response.url
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HELD
    assert not events_for(comment).exists()


def test_staff_without_moderation_rights_cannot_run_comment_actions(article, member, editor, make_comment):
    comment = make_comment(article, member, "Some text", status=Comment.Status.HELD)

    response = admin_action(editor, "publish_held", comment)

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HELD


def test_staff_who_may_only_read_comments_get_no_moderation_actions(article, member, make_user, make_comment):
    reader = make_user(is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_comment"))
    comment = make_comment(article, member, "Some text", status=Comment.Status.HELD)
    client = Client()
    client.force_login(reader)
    assert client.get("/admin/comments/comment/").status_code == 200

    admin_action(reader, "publish_held", comment)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.HELD
    assert not events_for(comment).exists()


# --- Reply e-mails ------------------------------------------------------------------------------------------


@pytest.fixture
def ada(make_user):
    return make_user(email="ada.followsthread@example.org", display_name="Ada")


@pytest.fixture
def bo(make_user):
    return make_user(email="bo.writesreplies@example.org", display_name="Bo")


def all_member_emails() -> list[str]:
    return list(get_user_model().objects.values_list("email", flat=True))


def assert_no_email_addresses_in(text: str) -> None:
    lowered = text.lower()
    for email in all_member_emails():
        assert email.lower() not in lowered
        assert email.split("@")[0].lower() not in lowered


def test_subscriber_is_emailed_when_another_member_reply_is_published(
    article, ada, bo, no_hold, mailoutbox, django_capture_on_commit_callbacks, make_comment
):
    with django_capture_on_commit_callbacks(execute=True):
        root = make_comment(article, ada, "Does LDN help fatigue?", follow=True, posted=True)
    assert mailoutbox == []  # nobody hears about their own comment

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reply = make_comment(article, bo, "It helped mine after six weeks", parent=root, posted=True)
        assert mailoutbox == []  # not before the transaction commits
    assert len(own_callbacks(callbacks)) == 1

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [ada.email]
    assert "LDN and fatigue" in mail.subject
    assert "It helped mine after six weeks" in mail.body and "Bo" in mail.body
    assert reply.get_absolute_url() in mail.body
    unsubscribe_url = mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe_url in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert_no_email_addresses_in(mail.body)
    assert_no_email_addresses_in(mail.subject)


def test_no_email_for_your_own_comments(
    article, ada, bo, no_hold, mailoutbox, django_capture_on_commit_callbacks, make_comment
):
    with django_capture_on_commit_callbacks(execute=True):
        root = make_comment(article, bo, "A question from Bo", posted=True)
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, ada, "Ada answers", parent=root, follow=True, posted=True)
        make_comment(article, ada, "Ada again, at the top", posted=True)

    # Bo hears of the reply to him (replies e-mail at once by default); Ada hears of nothing she wrote.
    assert [mail.to for mail in mailoutbox] == [[bo.email]]


def test_a_held_reply_is_emailed_only_once_a_moderator_publishes_it(
    article, ada, bo, moderator, mailoutbox, django_capture_on_commit_callbacks, make_comment
):
    with django_capture_on_commit_callbacks(execute=True):
        root = make_comment(article, ada, "Ada asks", follow=True, posted=True)
        moderation.publish(root, by=moderator)
        reply = make_comment(article, bo, "Bo's first reply HELDREPLY-1a", parent=root, posted=True)
    assert reply.status == Comment.Status.HELD
    # Only the decision on Ada's own first comment; nothing about Bo's held reply.
    assert [mail.to for mail in mailoutbox] == [[ada.email]] and "HELDREPLY" not in mailoutbox[0].body
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.publish(reply, by=moderator)

    to_ada = [mail for mail in mailoutbox if mail.to == [ada.email]]
    assert len(to_ada) == 1 and "HELDREPLY-1a" in to_ada[0].body
    # Bo hears of the moderator's decision on his comment, once.
    assert [mail.to for mail in mailoutbox if mail.to != [ada.email]] == [[bo.email]]


@pytest.mark.parametrize("decision", ["hide", "remove"])
def test_no_email_for_a_reply_taken_down_before_the_mail_goes_out(
    article,
    ada,
    bo,
    moderator,
    no_hold,
    mailoutbox,
    django_capture_on_commit_callbacks,
    decision,
    make_comment,
):
    root = make_comment(article, ada, "Ada asks", follow=True, posted=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reply = make_comment(article, bo, "Spam from my shop", parent=root, posted=True)
        getattr(moderation, decision)(reply, by=moderator, reason="Selling drugs")
    assert len(own_callbacks(callbacks)) == 2  # the reply's mail, then the decision's

    # Ada's mail about the reply was withdrawn; only Bo hears, of the decision, without his words quoted.
    [mail] = mailoutbox
    assert mail.to == [bo.email] and "Buy LDN" not in mail.body


def test_a_rolled_back_transaction_sends_nothing(
    article, ada, bo, moderator, no_hold, mailoutbox, django_capture_on_commit_callbacks, make_comment
):
    root = make_comment(article, ada, "Ada asks", follow=True, posted=True)
    thread = root.thread
    held = make_comment(article, bo, "Held reply", status=Comment.Status.HELD, parent=root)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        moderation.submit(thread, author=bo, body="Never saved", parent=root)
        moderation.publish(held, by=moderator)
        raise RuntimeError("something failed later in the request")

    assert callbacks == []
    assert mailoutbox == []
    assert not Comment.objects.filter(body="Never saved").exists()
    held.refresh_from_db()
    assert held.status == Comment.Status.HELD
    assert not events_for(held).exists()


@pytest.fixture
def unsubscribe_path(
    article, ada, bo, no_hold, mailoutbox, django_capture_on_commit_callbacks, settings, make_comment
):
    """The path of the "stop following" link in the e-mail Ada got about Bo's post in the discussion she
    follows (she chose such e-mails at once; by default they come in the daily digest)."""
    EmailPreference.objects.create(member=ada, kind="followed", delivery="immediately")
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, ada, "Ada asks", follow=True, posted=True)
        make_comment(article, bo, "Bo posts", posted=True)
    [mail] = mailoutbox
    [url] = re.findall(r"Stop following it: (\S+)", mail.body)
    assert url.startswith(settings.SITE_URL + "/comments/unsubscribe/")
    return url.removeprefix(settings.SITE_URL)


def test_opening_the_unsubscribe_link_only_asks_for_confirmation(client, unsubscribe_path, ada, article):
    response = client.get(unsubscribe_path)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Stop these e-mails" in html and "LDN and fatigue" in html
    assert Subscription.objects.filter(member=ada, thread__in=Thread.objects.of(article)).exists()


def test_one_click_unsubscribe_works_without_login_or_csrf_token(
    unsubscribe_path, ada, bo, article, mailoutbox, django_capture_on_commit_callbacks, make_comment
):
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(unsubscribe_path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "you will get no more e-mails" in response.content.decode()
    assert not Subscription.objects.filter(member=ada).exists()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, bo, "Another reply from Bo", posted=True)
    assert mailoutbox == []


def test_a_tampered_unsubscribe_link_is_refused(client, unsubscribe_path, ada):
    token = unsubscribe_path.rstrip("/").rsplit("/", 1)[1]
    payload, signature = token.rsplit(":", 1)
    tampered = f"{payload}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"

    for bad in (tampered, "not-a-token", f"x{token}"):
        assert client.get(f"/comments/unsubscribe/{bad}/").status_code == 400
        response = client.post(f"/comments/unsubscribe/{bad}/")
        assert response.status_code == 400 and "not valid" in response.content.decode()

    assert Subscription.objects.filter(member=ada).exists()


def test_follow_and_unfollow_buttons_change_the_subscription(client, article, member, no_hold, make_comment):
    make_comment(article, body="Something to follow")
    client.force_login(member)
    assert "E-mail me about new replies" in client.get(article.get_absolute_url()).content.decode()

    client.post(f"/comments/article/{article.slug}/follow/", {"follow": "1"})
    assert Subscription.objects.filter(member=member, thread__in=Thread.objects.of(article)).count() == 1
    assert "Stop e-mails about this discussion" in client.get(article.get_absolute_url()).content.decode()
    client.post(f"/comments/article/{article.slug}/follow/", {"follow": "1"})
    assert Subscription.objects.filter(member=member).count() == 1

    client.post(f"/comments/article/{article.slug}/follow/", {"follow": "0"})
    assert not Subscription.objects.filter(member=member).exists()
    assert "E-mail me about new replies" in client.get(article.get_absolute_url()).content.decode()


def test_anonymous_readers_cannot_follow(client, article, no_hold, make_comment):
    make_comment(article, body="Something to follow")

    response = client.post(f"/comments/article/{article.slug}/follow/", {"follow": "1"})

    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Subscription.objects.exists()


# --- Sweeps over the public pages ---------------------------------------------------------------------------


def public_pages(article, study) -> list[str]:
    return [
        "/",
        "/articles/",
        "/studies/",
        "/search/?q=trial",
        article.get_absolute_url(),
        study.get_absolute_url(),
    ]


@pytest.mark.parametrize("as_member", [False, True])
def test_no_member_email_address_appears_on_any_public_page(
    article, make_study, make_user, moderator, no_hold, as_member, make_comment
):
    study = make_study(slug="cree-2010", title="A crossover trial")
    commenter = make_user(email="quentin.zephyr@example.org", display_name="Quentin")
    replier = make_user(email="ysolde.marrowby@example.org", display_name="Ysolde")
    reported = make_user(email="ottilie.brackwater@example.org", display_name="Ottilie")
    reporters = [
        make_user(email=f"reporter.nimbus{n}@example.org", display_name=f"Rep {n}") for n in range(3)
    ]
    viewer = make_user(email="viewer.larkspur@example.org", display_name="Viewer")
    root = make_comment(article, commenter, "A comment on the article")
    make_comment(article, replier, "A reply to it", parent=root)
    make_comment(study, replier, "A comment on the study")
    flagged = make_comment(study, reported, "A comment that gets reported")
    for reporter in reporters:
        report_as(reporter, flagged, note="see quentin.zephyr@example.org")
    people = [commenter, replier, reported, *reporters, viewer, moderator, article.author]
    reader = viewer if as_member else None

    urls = public_pages(article, study) + [profile_url(person) for person in people]
    for url in urls:
        html = page(url, reader, status=PAGE_OR_NONE).lower()
        for person in people:
            assert person.email.lower() not in html, url
            assert person.email.split("@")[0].lower() not in html, url

    article_html = page(article.get_absolute_url(), reader)
    assert "Quentin" in article_html and "Ysolde" in article_html  # the sweep saw the comments


MARKER = "SECRET-MARKER-5d2e"


@pytest.mark.parametrize("as_member", [False, True])
def test_text_of_unpublished_comments_appears_on_no_public_page(
    article, make_article, make_study, make_user, member, as_member, make_comment
):
    study = make_study(slug="cree-2010")
    draft = make_article(published=False, slug="draft-piece", title="A draft piece")
    held_author = make_user(display_name="Held Hana")
    hidden_author = make_user(display_name="Hidden Hugo")
    removed_author = make_user(display_name="Removed Rosa")
    draft_author = make_user(display_name="Drafty Dan")
    shown = make_comment(article, removed_author, "Shown comment VISIBLE-1b", status=Comment.Status.PUBLISHED)
    make_comment(article, held_author, f"Held {MARKER}", status=Comment.Status.HELD)
    make_comment(article, hidden_author, f"Hidden {MARKER}", status=Comment.Status.HIDDEN)
    removed = make_comment(article, removed_author, f"Removed {MARKER}", status=Comment.Status.REMOVED)
    make_comment(
        article, member, "Reply under the removed one", parent=removed, status=Comment.Status.PUBLISHED
    )
    make_comment(article, held_author, f"Held reply {MARKER}", status=Comment.Status.HELD, parent=shown)
    make_comment(article, hidden_author, f"Hidden reply {MARKER}", status=Comment.Status.HIDDEN, parent=shown)
    make_comment(study, hidden_author, f"Hidden on the study {MARKER}", status=Comment.Status.HIDDEN)
    make_comment(draft, draft_author, f"Draft {MARKER}", status=Comment.Status.PUBLISHED)
    authors = [held_author, hidden_author, removed_author, draft_author]
    reader = make_user(display_name="Curious Cleo") if as_member else None

    for url in public_pages(article, study) + [profile_url(author) for author in authors]:
        assert MARKER not in page(url, reader, status=PAGE_OR_NONE), url
    assert MARKER not in page(draft.get_absolute_url(), reader, status=404)
    assert "VISIBLE-1b" in page(article.get_absolute_url(), reader)  # the sweep looked at real comments
    assert "VISIBLE-1b" in page(profile_url(shown.author), reader)


FIRST_NOTICE = "Your first comment is read by a moderator before anyone else sees it"


def test_the_hold_on_a_first_comment_is_said_before_posting_and_only_while_it_applies(
    article, make_user, moderator, django_capture_on_commit_callbacks, make_comment, settings
):
    newcomer = make_user(display_name="New Nell")
    assert FIRST_NOTICE in page(article.get_absolute_url(), newcomer)
    assert FIRST_NOTICE in page(f"/comments/article/{article.slug}/new/", newcomer)
    assert FIRST_NOTICE not in page(article.get_absolute_url())  # nobody to tell: no form

    first = make_comment(article, newcomer, "My first words here", posted=True)
    assert FIRST_NOTICE in page(article.get_absolute_url(), newcomer)  # held: the next would be too
    with django_capture_on_commit_callbacks(execute=True):
        moderation.publish(first, by=moderator)
    assert FIRST_NOTICE not in page(article.get_absolute_url(), newcomer)
    assert FIRST_NOTICE not in page(f"/comments/article/{article.slug}/new/", newcomer)

    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    assert FIRST_NOTICE not in page(article.get_absolute_url(), make_user())
