"""Every change to a topic's state. Each runs in one transaction on a locked row, refuses moves the table
does not allow, writes one ModerationEvent and queues the e-mail to the author in the same transaction
(ldnsite.mail delivers it after the commit).

    held      -> published (approve) | rejected (reject, with a reason)
    published -> hidden (hide) | removed (remove) | published (dismiss its reports)
    hidden    -> published (restore) | removed (remove)
Lock/unlock and moving between categories keep the state (published or hidden) and are logged too.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.hold import needs_premoderation
from ldnsite.comments.models import MAX_DEPTH, Comment, Thread
from ldnsite.moderation.exceptions import InvalidTransition, OwnContent
from ldnsite.moderation.models import record
from ldnsite.notifications import services as inbox

from . import notifications
from .models import Category, Topic, TopicReport

Status = Topic.Status
Outcome = TopicReport.Outcome

ALLOWED_FROM = {
    "approve": {Status.HELD},
    "reject": {Status.HELD},
    "hide": {Status.PUBLISHED},
    "restore": {Status.HIDDEN},
    "dismiss": {Status.PUBLISHED},
    "remove": {Status.PUBLISHED, Status.HIDDEN},
    "lock": {Status.PUBLISHED, Status.HIDDEN},
    "unlock": {Status.PUBLISHED, Status.HIDDEN},
    "move": {Status.HELD, Status.PUBLISHED, Status.HIDDEN},
}
TARGET = {
    "approve": Status.PUBLISHED,
    "reject": Status.REJECTED,
    "hide": Status.HIDDEN,
    "restore": Status.PUBLISHED,
    "dismiss": Status.PUBLISHED,
    "remove": Status.REMOVED,
}
NEEDS_REASON = {"reject", "hide", "remove", "dismiss"}
# What a decision does to the open reports.
REPORT_OUTCOME = {"restore": Outcome.DISMISSED, "dismiss": Outcome.DISMISSED, "remove": Outcome.UPHELD}
# The decisions the author hears of by e-mail.
TOLD = {"approve", "reject", "hide", "restore", "remove"}


class AlreadyReported(Exception):
    pass


def is_held_for(author) -> bool:
    """A member's first topic waits for a moderator, as a first comment does: a member with a published
    topic or a published comment is no longer new."""
    if Topic.objects.filter(author=author, status=Status.PUBLISHED).exists():
        return False
    return needs_premoderation(author)


def submit(*, author, title: str, category: Category, body: str, token=None) -> Topic:
    """A verified member starts a topic: held if they are new, published otherwise. They follow its thread,
    so replies reach them through the comments app's reply notifications."""
    status = Status.HELD if is_held_for(author) else Status.PUBLISHED
    now = timezone.now()
    with transaction.atomic():
        topic = Topic.objects.create(
            author=author, title=title, category=category, body=body, status=status, created_at=now,
            last_activity_at=now, published_at=now if status == Status.PUBLISHED else None,
            submission_token=token,
        )  # fmt: skip
        record(topic, actor=author, action="submit", from_state="", to_state=status)
        comment_moderation.subscribe(Thread.objects.for_subject(topic), member=author)
        if status == Status.PUBLISHED:
            notifications.send_mentions(topic)
    return topic


def _lock(topic: Topic, action: str, *, by) -> Topic:
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    if locked.status not in ALLOWED_FROM[action]:
        raise InvalidTransition(locked, action, locked.get_status_display().lower())
    if by is not None and locked.author_id is not None and locked.author_id == by.pk:
        raise OwnContent("This topic is your own; another moderator needs to decide on it.")
    return locked


def _move(topic: Topic, action: str, *, by, reason: str = "") -> Topic:
    reason = reason.strip()
    if action in NEEDS_REASON and not reason:
        raise ValueError(f"To {action} a topic needs a reason for the log and its author.")
    with transaction.atomic():
        locked = _lock(topic, action, by=by)
        open_reports = locked.reports.filter(resolved_at__isnull=True)
        if action == "dismiss" and not open_reports.exists():
            raise InvalidTransition(locked, action, "published with no open reports")
        now = timezone.now()
        from_state = locked.status
        locked.status = TARGET[action]
        locked.moderated_by, locked.moderated_at = by, now
        changed = ["status", "moderated_by", "moderated_at"]
        if action in ("reject", "hide", "remove"):
            locked.moderation_reason = reason
            changed.append("moderation_reason")
        if action == "approve":
            locked.published_at = locked.last_activity_at = now
            changed += ["published_at", "last_activity_at"]
        locked.save(update_fields=changed)
        record(locked, actor=by, action=action, from_state=from_state, to_state=locked.status, reason=reason)
        if action in REPORT_OUTCOME:
            open_reports.update(resolved_at=now, outcome=REPORT_OUTCOME[action])
        if action in ("hide", "remove"):
            inbox.withdraw(locked)  # mentions of it leave every inbox; the author's decision stays
        if action == "approve":
            notifications.send_mentions(locked)
        if action in TOLD:
            notifications.send_decision(locked.pk, action)
    return locked


def approve(topic: Topic, *, by, reason: str = "") -> Topic:
    """A moderator publishes a held topic."""
    return _move(topic, "approve", by=by, reason=reason)


def reject(topic: Topic, *, by, reason: str) -> Topic:
    """A moderator turns down a held topic and tells its author why."""
    return _move(topic, "reject", by=by, reason=reason)


def hide(topic: Topic, *, by, reason: str) -> Topic:
    """A moderator takes a published topic off the site until they decide (its thread goes with it)."""
    return _move(topic, "hide", by=by, reason=reason)


def restore(topic: Topic, *, by, reason: str = "") -> Topic:
    """A hidden topic is judged fine and shown again; its open reports are dismissed."""
    return _move(topic, "restore", by=by, reason=reason)


def dismiss(topic: Topic, *, by, reason: str) -> Topic:
    """A reported topic is judged fine: it stays, its open reports are dismissed."""
    return _move(topic, "dismiss", by=by, reason=reason)


def remove(topic: Topic, *, by, reason: str) -> Topic:
    """A moderator removes a topic for good; its open reports are upheld."""
    return _move(topic, "remove", by=by, reason=reason)


def _set_lock(topic: Topic, *, by, locking: bool) -> Topic:
    action = "lock" if locking else "unlock"
    with transaction.atomic():
        locked = _lock(topic, action, by=by)
        if locked.is_locked == locking:
            raise InvalidTransition(locked, action, "locked" if locking else "open to replies")
        locked.is_locked = locking
        locked.moderated_by, locked.moderated_at = by, timezone.now()
        locked.save(update_fields=["is_locked", "moderated_by", "moderated_at"])
        record(
            locked, actor=by, action=action, from_state="unlocked" if locking else "locked",
            to_state="locked" if locking else "unlocked",
        )  # fmt: skip
    return locked


def lock(topic: Topic, *, by) -> Topic:
    """A moderator closes a topic to new replies; what was said stays readable."""
    return _set_lock(topic, by=by, locking=True)


def unlock(topic: Topic, *, by) -> Topic:
    """A moderator opens a locked topic to replies again."""
    return _set_lock(topic, by=by, locking=False)


def move(topic: Topic, *, by, category: Category) -> Topic:
    """A moderator moves a topic to another category."""
    with transaction.atomic():
        locked = _lock(topic, "move", by=by)
        old = Category.objects.get(pk=locked.category_id)
        if old.pk == category.pk:
            raise InvalidTransition(locked, "move", f"already in {category.name}")
        locked.category = category
        locked.moderated_by, locked.moderated_at = by, timezone.now()
        locked.save(update_fields=["category", "moderated_by", "moderated_at"])
        record(locked, actor=by, action="move", from_state=old.slug[:40], to_state=category.slug[:40])
    return locked


def report(topic: Topic, *, by, reason: str, note: str = "") -> TopicReport:
    """A member flags a published topic once; it waits in the moderators' queue."""
    with transaction.atomic():
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        if locked.author_id == by.pk:
            raise OwnContent("You cannot report your own topic.")
        if locked.status != Status.PUBLISHED:
            raise InvalidTransition(locked, "report", locked.get_status_display().lower())
        try:
            with transaction.atomic():
                return TopicReport.objects.create(topic=locked, reporter=by, reason=reason, note=note)
        except IntegrityError as exc:
            raise AlreadyReported("You have already reported this topic.") from exc


def touch(topic: Topic, comment) -> None:
    """A reply became public: the topic moves to the top of the list. The comments app calls this (the
    on_published hook) inside the transaction that publishes the reply; a save, not an update(), so that
    the page cache refreshes the list."""
    topic.last_activity_at = max(topic.last_activity_at, timezone.now())
    topic.save(update_fields=["last_activity_at"])


def delete(topic: Topic, *, by) -> None:
    """The author's topic goes for good, with its thread (as a story takes its discussion): the log keeps
    only the fact."""
    with transaction.atomic():
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        if locked.author_id != by.pk:
            raise PermissionError("Only the author can delete a topic.")
        record(locked, actor=by, action="delete", from_state=locked.status, to_state="deleted")
        # Replies point at their parent and root with PROTECT: remove the discussion deepest first.
        comments = Comment.objects.on(locked)
        for depth in range(MAX_DEPTH, -1, -1):
            comments.filter(depth=depth).delete()
        locked.delete()


def anonymise(topic: Topic, *, by) -> Topic:
    """The author leaves the site but keeps their published topic: it no longer links to them."""
    with transaction.atomic():
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        if locked.author_id != by.pk:
            raise PermissionError("Only the author can anonymise a topic.")
        locked.author = None
        locked.save(update_fields=["author"])
        record(locked, actor=by, action="anonymise", from_state=locked.status, to_state=locked.status)
    return locked
