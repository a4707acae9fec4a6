"""Every change to a testimonial's state. Each runs in one transaction on a locked row, refuses moves the
table does not allow, writes one ModerationEvent and queues the e-mail to the author in the same
transaction (ldnsite.mail delivers it after the commit).

    pending  -> approved | rejected (with a reason) | withdrawn (by the author)
    approved -> withdrawn (by the author)
    rejected -> pending (the author edits and resubmits)
An approved testimonial's edit is a pending TestimonialRevision; the approved text stays public until a
moderator approves the revision.
"""

from django.db import transaction
from django.utils import timezone

from ldnsite.comments.models import MAX_DEPTH, Comment
from ldnsite.moderation.exceptions import InvalidTransition, ItemChanged, refuse_if_changed
from ldnsite.moderation.models import record
from ldnsite.watchwords import matching as watchwords

from . import counts, notifications
from .models import CONSENT_VERSION, Testimonial, TestimonialContent, TestimonialRevision

Status = Testimonial.Status
# The kinds of text in the watched words' log (ldnsite.watchwords).
STORY = "story"
REVISION = "story revision"


class ContentChanged(ItemChanged):
    """The author changed the text after the moderator read it: the decision would be about unread words.

    The version a moderator's form carries is the content's fingerprint: it covers every field the
    moderator reads, and the state is guarded by the transition table itself."""


def _check_seen(content, seen: str | None) -> None:
    try:
        refuse_if_changed(content.fingerprint, seen)
    except ItemChanged as exc:
        raise ContentChanged() from exc


def _lock(testimonial: Testimonial, action: str, allowed: set[str]) -> Testimonial:
    locked = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
    if locked.status not in allowed:
        raise InvalidTransition(locked, action, locked.get_status_display().lower())
    return locked


def submit(
    *, author, content: dict, is_carer: bool, token=None, watched: watchwords.Result | None = None
) -> Testimonial:
    """A member sends a testimonial with recorded consent; it waits for a moderator (with the watched words
    its text matched logged)."""
    now = timezone.now()
    with transaction.atomic():
        testimonial = Testimonial.objects.create(
            author=author,
            status=Status.PENDING,
            submitted_at=now,
            consent_version=CONSENT_VERSION,
            consented_at=now,
            is_carer=is_carer,
            submission_token=token,
            **content,
        )
        record(testimonial, actor=author, action="submit", from_state="", to_state=Status.PENDING)
        watchwords.record(watched or watchwords.Result(), where=STORY, member=author, obj=testimonial)
    return testimonial


def approve(testimonial: Testimonial, *, by, seen: str | None = None) -> Testimonial:
    """A moderator publishes a pending testimonial (the version they read, when `seen` names it)."""
    with transaction.atomic():
        locked = _lock(testimonial, "approve", {Status.PENDING})
        _check_seen(locked, seen)
        now = timezone.now()
        locked.status = Status.APPROVED
        locked.moderated_by, locked.moderated_at, locked.approved_at = by, now, now
        locked.rejection_reason = ""
        locked.save(
            update_fields=["status", "moderated_by", "moderated_at", "approved_at", "rejection_reason"]
        )
        counts.move([], counts.public_keys(locked))
        record(locked, actor=by, action="approve", from_state=Status.PENDING, to_state=Status.APPROVED)
        notifications.send_decision(locked.pk, "approved")
    return locked


def reject(testimonial: Testimonial, *, by, reason: str, seen: str | None = None) -> Testimonial:
    """A moderator turns down a pending testimonial (the version they read) and tells the author why."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A rejection needs a reason the author can act on.")
    with transaction.atomic():
        locked = _lock(testimonial, "reject", {Status.PENDING})
        _check_seen(locked, seen)
        locked.status = Status.REJECTED
        locked.moderated_by, locked.moderated_at = by, timezone.now()
        locked.rejection_reason = reason
        locked.save(update_fields=["status", "moderated_by", "moderated_at", "rejection_reason"])
        record(locked, actor=by, action="reject", from_state=Status.PENDING, to_state=Status.REJECTED,
               reason=reason)  # fmt: skip
        notifications.send_decision(locked.pk, "rejected")
    return locked


def withdraw(testimonial: Testimonial, *, by) -> Testimonial:
    """The author withdraws consent: the testimonial leaves the site at once."""
    with transaction.atomic():
        locked = _lock(testimonial, "withdraw", {Status.PENDING, Status.APPROVED})
        if locked.author_id != by.pk:
            raise PermissionError("Only the author can withdraw a testimonial.")
        from_state, was_counted = locked.status, counts.public_keys(locked)
        locked.status = Status.WITHDRAWN
        locked.save(update_fields=["status"])
        counts.move(was_counted, [])
        locked.revisions.filter(status=TestimonialRevision.Status.PENDING).delete()
        record(locked, actor=by, action="withdraw", from_state=from_state, to_state=Status.WITHDRAWN)
    return locked


def edit(
    testimonial: Testimonial, *, by, content: dict, watched: watchwords.Result | None = None
) -> Testimonial | TestimonialRevision:
    """The author changes their text: a pending or rejected one is updated (and goes back to the queue);
    an approved one gets a pending revision, and the approved text stays public meanwhile."""
    with transaction.atomic():
        locked = _lock(testimonial, "edit", {Status.PENDING, Status.REJECTED, Status.APPROVED})
        if locked.author_id != by.pk:
            raise PermissionError("Only the author can edit a testimonial.")
        if locked.status == Status.APPROVED:
            revision, _ = TestimonialRevision.objects.update_or_create(
                testimonial=locked, status=TestimonialRevision.Status.PENDING, defaults=content
            )
            record(locked, actor=by, action="revise", from_state=Status.APPROVED, to_state=Status.APPROVED)
            watchwords.record(watched or watchwords.Result(), where=REVISION, member=by, obj=revision,
                              url=locked.get_absolute_url())  # fmt: skip
            return revision
        from_state = locked.status
        for field, value in content.items():
            setattr(locked, field, value)
        locked.status = Status.PENDING
        locked.submitted_at = timezone.now()
        locked.save(update_fields=[*content, "status", "submitted_at"])
        if from_state == Status.REJECTED:
            record(locked, actor=by, action="resubmit", from_state=from_state, to_state=Status.PENDING)
        watchwords.record(watched or watchwords.Result(), where=STORY, member=by, obj=locked)
    return locked


def _lock_revision(revision: TestimonialRevision, action: str) -> TestimonialRevision:
    locked = TestimonialRevision.objects.select_for_update().select_related("testimonial").get(pk=revision.pk)
    if locked.status != TestimonialRevision.Status.PENDING:
        raise InvalidTransition(locked, action, locked.get_status_display().lower())
    return locked


def approve_revision(revision: TestimonialRevision, *, by, seen: str | None = None) -> Testimonial:
    """A moderator accepts an edit: the public testimonial now shows the revised text (the one they read)."""
    with transaction.atomic():
        locked = _lock_revision(revision, "approve")
        _check_seen(locked, seen)
        testimonial = _lock(locked.testimonial, "approve a revision of", {Status.APPROVED})
        was_counted = counts.public_keys(testimonial)
        for field in TestimonialContent.CONTENT_FIELDS:
            setattr(testimonial, field, getattr(locked, field))
        testimonial.moderated_by, testimonial.moderated_at = by, timezone.now()
        testimonial.save(update_fields=[*TestimonialContent.CONTENT_FIELDS, "moderated_by", "moderated_at"])
        counts.move(was_counted, counts.public_keys(testimonial))
        locked.status = TestimonialRevision.Status.APPROVED
        locked.moderated_by, locked.moderated_at = by, testimonial.moderated_at
        locked.save(update_fields=["status", "moderated_by", "moderated_at"])
        record(testimonial, actor=by, action="approve_revision", from_state="approved", to_state="approved")
        notifications.send_decision(testimonial.pk, "revision_approved")
    return testimonial


def reject_revision(
    revision: TestimonialRevision, *, by, reason: str, seen: str | None = None
) -> TestimonialRevision:
    """A moderator turns down an edit (the version they read); the approved text stays as it was."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A rejection needs a reason the author can act on.")
    with transaction.atomic():
        locked = _lock_revision(revision, "reject")
        _check_seen(locked, seen)
        locked.status = TestimonialRevision.Status.REJECTED
        locked.moderated_by, locked.moderated_at, locked.rejection_reason = by, timezone.now(), reason
        locked.save(update_fields=["status", "moderated_by", "moderated_at", "rejection_reason"])
        record(
            locked.testimonial, actor=by, action="reject_revision", from_state="approved",
            to_state="approved", reason=reason,
        )  # fmt: skip
        notifications.send_decision(locked.testimonial_id, "revision_rejected")
    return locked


def delete(testimonial: Testimonial, *, by) -> None:
    """The author deletes their testimonial and its revisions for good; the log keeps only the fact."""
    with transaction.atomic():
        locked = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
        if locked.author_id != by.pk:
            raise PermissionError("Only the author can delete a testimonial.")
        record(locked, actor=by, action="delete", from_state=locked.status, to_state="deleted")
        # Replies point at their parent and root with PROTECT: remove the discussion deepest first.
        comments = Comment.objects.on(locked)
        for depth in range(MAX_DEPTH, -1, -1):
            comments.filter(depth=depth).delete()
        counts.move(counts.public_keys(locked), [])
        locked.delete()


def anonymise(testimonial: Testimonial, *, by) -> Testimonial:
    """The author leaves the site but keeps their experience: it no longer links to them and is shown only
    as "A member with …" (its pending or past revisions too, so no later approval brings the name back)."""
    from .models import DisplayAs

    with transaction.atomic():
        locked = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
        if locked.author_id != by.pk:
            raise PermissionError("Only the author can anonymise a testimonial.")
        locked.author = None
        locked.display_as = DisplayAs.MS_TYPE
        locked.save(update_fields=["author", "display_as"])
        locked.revisions.update(display_as=DisplayAs.MS_TYPE)
        record(locked, actor=by, action="anonymise", from_state=locked.status, to_state=locked.status)
    return locked
