"""Every change to a comment's state: submit, publish, hide, restore, remove, dismiss, delete, edits and their
review, plus reports.

Each function runs in one transaction, locks the row, refuses moves the table below does not allow, writes
one ModerationEvent, and queues its e-mail in that transaction (ldnsite.mail delivers it after the commit).

A moderator's decision names the version of the comment they read (`seen`, from the form): every change
they decide on (the text, the state, a new report, a pending edit) bumps Comment.version, and a decision
on an older version is refused with ItemChanged. Nobody decides on their own comment or its reports.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from ldnsite.mfa import holds_privileges
from ldnsite.moderation.exceptions import InvalidTransition, OwnContent, refuse_if_changed
from ldnsite.moderation.models import record
from ldnsite.notifications import services as inbox
from ldnsite.watchwords import matching as watchwords

from . import contributions, notifications, subjects
from .hold import needs_premoderation
from .models import MAX_DEPTH, Comment, CommentRevision, Report, Subscription, Thread
from .texts import set_text, text_fields

Status = Comment.Status
Outcome = Report.Outcome

ALLOWED_FROM = {
    "publish": {Status.HELD},
    "hide": {Status.PUBLISHED},
    "restore": {Status.HIDDEN},
    "dismiss": {Status.PUBLISHED},
    "remove": {Status.HELD, Status.PUBLISHED, Status.HIDDEN},
    "delete": {Status.HELD, Status.PUBLISHED, Status.HIDDEN},
}
TARGET = {
    "publish": Status.PUBLISHED,
    "hide": Status.HIDDEN,
    "restore": Status.PUBLISHED,
    "dismiss": Status.PUBLISHED,
    "remove": Status.REMOVED,
    "delete": Status.DELETED,
}
# What a decision does to the open reports: restoring or dismissing says they were wrong, removing that
# they were right. Hiding leaves them open for the moderator who decides.
REPORT_OUTCOME = {"restore": Outcome.DISMISSED, "dismiss": Outcome.DISMISSED, "remove": Outcome.UPHELD}
# A moderator passed the text: later edits by its author wait for review.
REVIEWS_TEXT = {"publish", "restore", "dismiss"}
DAY = timezone.timedelta(days=1)
# The kind of text in the watched words' log (ldnsite.watchwords).
WATCHED_KIND = "comment"


class AlreadyReported(Exception):
    pass


class TooManyReports(Exception):
    """The member reached COMMENTS_REPORTS_PER_DAY in the last 24 hours."""


class EditWindowClosed(Exception):
    pass


def submit(
    thread: Thread,
    *,
    author,
    body: str,
    parent: Comment | None = None,
    token=None,
    follow: bool = False,
    watched: watchwords.Result | None = None,
) -> Comment:
    """Create a comment (held for a new member or for a watched word with the hold action, published
    otherwise); a reply below MAX_DEPTH moves up. With `follow`, the author follows the thread in the same
    transaction. The watched words it matched are logged with it; flagged ones of a published comment wait
    in the moderators' queue for a look."""
    if parent is not None and parent.depth >= MAX_DEPTH:
        parent = parent.parent
    held_for = watched.hold_reason if watched else ""
    status = Status.HELD if held_for or needs_premoderation(author) else Status.PUBLISHED
    text = text_fields(body)
    with transaction.atomic():
        comment = Comment.objects.create(
            thread=thread,
            author=author,
            **text,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            status=status,
            submission_token=token,
        )
        record(comment, actor=author, action="submit", from_state="", to_state=status, reason=held_for)
        if watched:
            watchwords.record(
                watched, where=WATCHED_KIND, member=author, obj=comment, shown=status == Status.PUBLISHED
            )
        if follow:
            subscribe(thread, member=author)
        if status == Status.PUBLISHED:
            subjects.comment_published(comment)
            notifications.send_reply_notifications(comment.pk)
    return comment


def _refuse_own(comment: Comment, by) -> None:
    if by is not None and comment.author_id is not None and comment.author_id == by.pk:
        raise OwnContent("This comment is your own; another moderator needs to decide on it.")


def _move(comment: Comment, action: str, *, by, reason: str = "", seen=None, **changes) -> Comment:
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if action not in ("delete", "remove"):  # taking one's own words down is always allowed
            _refuse_own(locked, by)
        if locked.status not in ALLOWED_FROM[action]:
            raise InvalidTransition(locked, action, locked.get_status_display().lower())
        open_reports = locked.reports.filter(resolved_at__isnull=True)
        if action == "dismiss" and not open_reports.exists():
            raise InvalidTransition(locked, action, "published with no open reports")
        refuse_if_changed(locked.version, seen)
        now = timezone.now()
        from_state = locked.status
        locked.status = TARGET[action]
        locked.version += 1
        if action in REVIEWS_TEXT:
            changes["reviewed_at"] = now
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=["status", "version", *changes])
        record(locked, actor=by, action=action, from_state=from_state, to_state=locked.status, reason=reason)
        if action in REPORT_OUTCOME:
            open_reports.update(resolved_at=now, outcome=REPORT_OUTCOME[action])
        if locked.is_gone:  # an edit of a removed or deleted comment has nothing left to change
            CommentRevision.objects.filter(comment=locked).delete()
        if locked.status != Status.PUBLISHED:  # taken down: no inbox shows it, no waiting mail quotes it
            inbox.withdraw(locked)
        if action == "publish":
            subjects.comment_published(locked)
            notifications.send_reply_notifications(locked.pk)
        notifications.tell_author(locked, action)
    return locked


def publish(comment: Comment, *, by, reason: str = "", seen=None) -> Comment:
    """A held comment is approved by a moderator and becomes public (subscribers hear of it then)."""
    return _move(comment, "publish", by=by, reason=reason, seen=seen)


def hide(comment: Comment, *, by, reason: str, seen=None) -> Comment:
    """A published comment is hidden until a moderator decides (by a moderator, or by established reports)."""
    return _move(comment, "hide", by=by, reason=reason, seen=seen)


def restore(comment: Comment, *, by, reason: str = "", seen=None) -> Comment:
    """A hidden comment is judged fine and shown again; its open reports are dismissed."""
    return _move(comment, "restore", by=by, reason=reason, seen=seen)


def dismiss(comment: Comment, *, by, reason: str, seen=None) -> Comment:
    """A moderator judges a reported, still shown comment fine: it stays, its open reports are dismissed."""
    if not reason.strip():
        raise ValueError("Dismissing reports needs a reason for the log.")
    return _move(comment, "dismiss", by=by, reason=reason.strip(), seen=seen)


def remove(comment: Comment, *, by, reason: str, seen=None) -> Comment:
    """A moderator removes a comment for good; a placeholder keeps the replies in place."""
    return _move(comment, "remove", by=by, reason=reason, seen=seen)


def delete_by_author(comment: Comment, *, by) -> Comment:
    """The author deletes their comment: the text is erased, a placeholder keeps the replies in place."""
    if comment.author_id != by.pk:
        raise PermissionError("Only the author can delete this comment.")
    return _move(comment, "delete", by=by, **text_fields(""))


def edit(
    comment: Comment, *, by, body: str, watched: watchwords.Result | None = None
) -> Comment | CommentRevision:
    """The author corrects their comment within the edit window. A text a moderator passed, or a shown one
    whose edit matches a watched word with the hold action, stays shown and the edit waits for review (a
    CommentRevision); any other text changes at once, marked as edited."""
    held_for = watched.hold_reason if watched else ""
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        now = timezone.now()
        if not locked.can_be_edited_by(by, now=now):
            raise EditWindowClosed("This comment can no longer be edited.")
        locked.version += 1
        if (locked.is_reviewed or held_for) and locked.status == Status.PUBLISHED:
            if body == locked.body:  # back to the shown text: nothing is left to review
                CommentRevision.objects.filter(comment=locked).delete()
                locked.save(update_fields=["version"])
                return locked
            revision, _ = CommentRevision.objects.update_or_create(
                comment=locked, defaults={"body": body, "created_at": now}
            )
            locked.save(update_fields=["version"])
            record(locked, actor=by, action="revise", from_state=locked.status, to_state=locked.status,
                   reason=held_for)  # fmt: skip
            if watched:
                watchwords.record(watched, where=WATCHED_KIND, member=by, obj=locked)
            return revision
        locked.edited_at = now
        before = locked.body
        locked.save(update_fields=[*set_text(locked, body), "edited_at", "version"])
        notifications.tell_mentioned(locked, before=before)  # only the members the edit adds
        if watched:
            watchwords.record(
                watched, where=WATCHED_KIND, member=by, obj=locked, shown=locked.status == Status.PUBLISHED
            )
    return locked


def _lock_revision(revision: CommentRevision, action: str, *, by, seen) -> tuple[Comment, CommentRevision]:
    locked = Comment.objects.select_for_update().get(pk=revision.comment_id)
    _refuse_own(locked, by)
    pending = CommentRevision.objects.filter(comment=locked).first()
    if pending is None:
        raise InvalidTransition(locked, action, "without an edit waiting")
    if locked.status != Status.PUBLISHED:
        raise InvalidTransition(locked, action, locked.get_status_display().lower())
    refuse_if_changed(locked.version, seen)
    return locked, pending


def approve_revision(revision: CommentRevision, *, by, seen=None) -> Comment:
    """A moderator accepts an edit: the comment now shows the text they read."""
    with transaction.atomic():
        locked, pending = _lock_revision(revision, "approve an edit of", by=by, seen=seen)
        before = locked.body
        text = set_text(locked, pending.body)
        locked.edited_at = pending.created_at
        locked.reviewed_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=[*text, "edited_at", "reviewed_at", "version"])
        pending.delete()
        record(locked, actor=by, action="approve_revision", from_state=locked.status, to_state=locked.status)
        notifications.tell_mentioned(locked, before=before)
    return locked


def reject_revision(revision: CommentRevision, *, by, reason: str = "", seen=None) -> Comment:
    """A moderator turns an edit down; the text they passed earlier stays shown."""
    with transaction.atomic():
        locked, pending = _lock_revision(revision, "reject an edit of", by=by, seen=seen)
        locked.version += 1
        locked.save(update_fields=["version"])
        pending.delete()
        record(
            locked, actor=by, action="reject_revision", from_state=locked.status, to_state=locked.status,
            reason=reason,
        )  # fmt: skip
    return locked


def counts_toward_hiding(member, *, now=None) -> bool:
    """Established: an account old enough, with something a moderator (or the open door) approved."""
    now = now or timezone.now()
    old_enough = now - member.date_joined >= timezone.timedelta(days=settings.COMMENTS_REPORTER_MIN_DAYS)
    return old_enough and contributions.has_approved_contribution(member)


def report(comment: Comment, *, by, reason: str, note: str = "") -> Report:
    """A member flags a comment once, up to COMMENTS_REPORTS_PER_DAY a day. Reports from established
    members count: at COMMENTS_REPORTS_TO_HIDE of them the comment is hidden for review, unless its author
    is a moderator or an editor (theirs wait in the queue, shown)."""
    now = timezone.now()
    with transaction.atomic():
        # One member's reports are counted one at a time, so two at once cannot both be the tenth.
        get_user_model().objects.select_for_update().filter(pk=by.pk).first()
        sent_today = Report.objects.filter(reporter=by, created_at__gt=now - DAY).count()
        if sent_today >= settings.COMMENTS_REPORTS_PER_DAY:
            raise TooManyReports(settings.COMMENTS_REPORTS_PER_DAY)
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.author_id == by.pk:
            raise OwnContent("You cannot report your own comment.")
        try:
            with transaction.atomic():
                created = Report.objects.create(
                    comment=locked, reporter=by, reason=reason, note=note, created_at=now,
                    counts_toward_hiding=counts_toward_hiding(by, now=now),
                )  # fmt: skip
        except IntegrityError as exc:
            raise AlreadyReported("You have already reported this comment.") from exc
        locked.version += 1
        locked.save(update_fields=["version"])
        counted = locked.reports.filter(resolved_at__isnull=True, counts_toward_hiding=True).count()
        exempt = locked.author is not None and holds_privileges(locked.author)
        if counted >= settings.COMMENTS_REPORTS_TO_HIDE and not exempt and locked.status == Status.PUBLISHED:
            hide(locked, by=None, reason=f"Hidden automatically after {counted} reports.")
    return created


def subscribe(thread: Thread, *, member) -> None:
    Subscription.objects.get_or_create(thread=thread, member=member)


def unsubscribe(thread: Thread, *, member) -> None:
    Subscription.objects.filter(thread=thread, member=member).delete()
