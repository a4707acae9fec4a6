"""Every change to a comment's state: submit, publish, hide, restore, remove, delete, plus reports.

Each function runs in one transaction, locks the row, refuses moves the table below does not allow, writes
one ModerationEvent, and queues its e-mail in that transaction (ldnsite.mail delivers it after the commit).
"""

import contextlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ldnsite.mail import delivery as mail
from ldnsite.moderation.exceptions import InvalidTransition
from ldnsite.moderation.models import record

from . import notifications
from .managers import is_moderator
from .models import MAX_DEPTH, Comment, Report, Subscription, Thread

Status = Comment.Status

ALLOWED_FROM = {
    "publish": {Status.HELD},
    "hide": {Status.PUBLISHED},
    "restore": {Status.HIDDEN},
    "remove": {Status.HELD, Status.PUBLISHED, Status.HIDDEN},
    "delete": {Status.HELD, Status.PUBLISHED, Status.HIDDEN},
}
TARGET = {
    "publish": Status.PUBLISHED,
    "hide": Status.HIDDEN,
    "restore": Status.PUBLISHED,
    "remove": Status.REMOVED,
    "delete": Status.DELETED,
}


class AlreadyReported(Exception):
    pass


class EditWindowClosed(Exception):
    pass


def needs_premoderation(author) -> bool:
    """A member's first comment waits for a moderator; after one is published, comments go straight up."""
    if not settings.COMMENTS_HOLD_FIRST_COMMENT or is_moderator(author):
        return False
    return not Comment.objects.filter(author=author, status=Status.PUBLISHED).exists()


def submit(
    thread: Thread, *, author, body: str, parent: Comment | None = None, token=None, follow: bool = False
) -> Comment:
    """Create a comment (held for a new member, published otherwise); a reply below MAX_DEPTH moves up.
    With `follow`, the author follows the thread in the same transaction."""
    if parent is not None and parent.depth >= MAX_DEPTH:
        parent = parent.parent
    status = Status.HELD if needs_premoderation(author) else Status.PUBLISHED
    with transaction.atomic():
        comment = Comment.objects.create(
            thread=thread,
            author=author,
            body=body,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            status=status,
            submission_token=token,
        )
        record(comment, actor=author, action="submit", from_state="", to_state=status)
        if follow:
            subscribe(thread, member=author)
        if status == Status.PUBLISHED:
            notifications.send_reply_notifications(comment.pk)
    return comment


def _move(comment: Comment, action: str, *, by, reason: str = "", **changes) -> Comment:
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.status not in ALLOWED_FROM[action]:
            raise InvalidTransition(locked, action, locked.get_status_display().lower())
        from_state = locked.status
        locked.status = TARGET[action]
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=["status", *changes])
        record(locked, actor=by, action=action, from_state=from_state, to_state=locked.status, reason=reason)
        if action in ("restore", "remove"):
            locked.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        if locked.status != Status.PUBLISHED:  # taken down: followers must not be mailed its text after all
            mail.withdraw(locked)
        if action == "publish":
            notifications.send_reply_notifications(locked.pk)
    return locked


def publish(comment: Comment, *, by, reason: str = "") -> Comment:
    """A held comment is approved by a moderator and becomes public (subscribers hear of it then)."""
    return _move(comment, "publish", by=by, reason=reason)


def hide(comment: Comment, *, by, reason: str) -> Comment:
    """A published comment is hidden until a moderator decides (by a moderator, or by three reports)."""
    return _move(comment, "hide", by=by, reason=reason)


def restore(comment: Comment, *, by, reason: str = "") -> Comment:
    """A hidden comment is judged fine and shown again; its open reports are resolved."""
    return _move(comment, "restore", by=by, reason=reason)


def remove(comment: Comment, *, by, reason: str) -> Comment:
    """A moderator removes a comment for good; a placeholder keeps the replies in place."""
    return _move(comment, "remove", by=by, reason=reason)


def delete_by_author(comment: Comment, *, by) -> Comment:
    """The author deletes their comment: the text is erased, a placeholder keeps the replies in place."""
    if comment.author_id != by.pk:
        raise PermissionError("Only the author can delete this comment.")
    return _move(comment, "delete", by=by, body="")


def edit(comment: Comment, *, by, body: str) -> Comment:
    """The author corrects their comment within the edit window; it is marked as edited."""
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        now = timezone.now()
        if not locked.can_be_edited_by(by, now=now):
            raise EditWindowClosed("This comment can no longer be edited.")
        locked.body = body
        locked.edited_at = now
        locked.save(update_fields=["body", "edited_at"])
    return locked


def report(comment: Comment, *, by, reason: str, note: str = "") -> Report:
    """A member flags a comment once; at REPORTS_TO_HIDE different members it is hidden for review."""
    try:
        with transaction.atomic():
            created = Report.objects.create(comment=comment, reporter=by, reason=reason, note=note)
    except IntegrityError as exc:
        raise AlreadyReported("You have already reported this comment.") from exc
    open_reports = comment.reports.filter(resolved_at__isnull=True).values("reporter").distinct().count()
    if open_reports >= settings.COMMENTS_REPORTS_TO_HIDE:
        # Already hidden, held or removed: nothing more to do.
        with contextlib.suppress(InvalidTransition):
            hide(comment, by=None, reason=f"Hidden automatically after {open_reports} reports.")
    return created


def subscribe(thread: Thread, *, member) -> None:
    Subscription.objects.get_or_create(thread=thread, member=member)


def unsubscribe(thread: Thread, *, member) -> None:
    Subscription.objects.filter(thread=thread, member=member).delete()
