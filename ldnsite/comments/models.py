import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from . import subjects
from .managers import CommentQuerySet, ThreadQuerySet

MAX_DEPTH = 3
MAX_COMMENT_LENGTH = 5_000
EDIT_WINDOW = timezone.timedelta(minutes=15)


class SubjectDescriptor:
    """`thread.subject`: the registered object a thread discusses, read from its kind and id.

    Fetched once and kept on the thread. Lists fetch the subjects of all their threads at once with
    `prefetch_related("thread__subject")` (see subjects.with_subjects): one query per kind of subject, as
    for a GenericForeignKey, but without the content-type cache, whose cold state would change how many
    queries a page costs."""

    cache_name = "subject"

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        cached = instance._state.fields_cache.get(self.cache_name)
        if self._matches(instance, cached):
            return cached
        subject = None
        registration = subjects.by_kind(instance.subject_kind)
        if registration is not None and instance.subject_id is not None:
            subject = registration.model._base_manager.filter(pk=instance.subject_id).first()
        instance._state.fields_cache[self.cache_name] = subject
        return subject

    def __set__(self, instance, subject) -> None:
        instance.subject_kind = subjects.of(subject).kind
        instance.subject_id = subject.pk
        instance._state.fields_cache[self.cache_name] = subject

    @staticmethod
    def _matches(instance, subject) -> bool:
        return (
            subject is not None
            and subjects.of(subject).kind == instance.subject_kind
            and subject.pk == instance.subject_id
        )

    def is_cached(self, instance) -> bool:
        return self._matches(instance, instance._state.fields_cache.get(self.cache_name))

    def get_prefetch_querysets(self, instances, querysets=None):
        """For prefetch_related: the subjects of `instances`, one query per kind (Django's prefetch
        protocol, as GenericForeignKey follows it)."""
        ids_by_kind: dict[str, set[int]] = {}
        for instance in instances:
            ids_by_kind.setdefault(instance.subject_kind, set()).add(instance.subject_id)
        found = []
        for kind, ids in ids_by_kind.items():
            registration = subjects.by_kind(kind)
            if registration is not None:
                found.extend(registration.model._base_manager.filter(pk__in=ids))
        return (
            found,
            lambda subject: (subjects.of(subject).kind, subject.pk),
            lambda thread: (thread.subject_kind, thread.subject_id),
            True,
            self.cache_name,
            False,
        )


class Thread(models.Model):
    """The discussion under one subject: an article, a study summary, a member's experience, or whatever
    else an app registers in ldnsite.comments.subjects."""

    # The registered kind (also the word in comment URLs) and the subject's primary key. Not a content type:
    # the kind is a stable word of our own, the same in every database and every dump.
    subject_kind = models.CharField(max_length=40)
    subject_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    subject = SubjectDescriptor()

    objects = ThreadQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id"], name="comments_thread_one_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"Discussion of {self.subject}"

    def get_absolute_url(self) -> str:
        return self.subject.get_absolute_url() + "#comments"

    @classmethod
    def about(cls, subject) -> "Thread":
        """A new thread (not saved yet) for `subject`."""
        thread = cls()
        thread.subject = subject
        return thread

    def is_about(self, subject) -> bool:
        """Whether this is `subject`'s thread (asked without fetching the subject)."""
        return (self.subject_kind, self.subject_id) == (subjects.of(subject).kind, subject.pk)


class Comment(models.Model):
    """A member's comment. Roots have depth 0; replies nest to MAX_DEPTH under their root."""

    class Status(models.TextChoices):
        HELD = "held", "Held for moderation"
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden pending review"
        REMOVED = "removed", "Removed by a moderator"
        DELETED = "deleted", "Deleted by its author"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="descendants"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(validators=[MaxLengthValidator(MAX_COMMENT_LENGTH)])
    # The body as HTML, made only by ldnsite.markdown.render_to_keep() when the text is written (see
    # comments.texts), and the renderer's VERSION that made it: read through markdown.kept(), a row made by
    # another version (or none, "") is rendered again when its page is read.
    body_html = models.TextField(blank=True, editable=False)
    body_html_version = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(max_length=12, choices=Status, default=Status.HELD)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # When a moderator last passed this text (publishing it from the queue, restoring it): from then on an
    # edit by its author waits for review as a CommentRevision, and the passed text stays shown.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every change a moderator decides on (text, state, reports, a pending edit). Moderation forms
    # carry the version the moderator read; a decision on an older one is refused (see comments.moderation).
    version = models.PositiveIntegerField(default=1, editable=False)
    # A token from the form that was submitted: the same form sent twice makes one comment.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("moderate_comment", "Can moderate comments and reports")]
        constraints = [
            models.CheckConstraint(condition=Q(depth__lte=MAX_DEPTH), name="comments_comment_depth_capped"),
            models.CheckConstraint(
                condition=(Q(depth=0) & Q(parent__isnull=True) & Q(root__isnull=True))
                | (Q(depth__gt=0) & Q(parent__isnull=False) & Q(root__isnull=False)),
                name="comments_comment_root_and_parent_match_depth",
            ),
            models.CheckConstraint(
                condition=Q(edited_at__isnull=True) | Q(edited_at__gte=F("created_at")),
                name="comments_comment_edited_after_created",
            ),
        ]
        indexes = [
            # A thread's roots in page order, the key as tie-breaker (ldnsite.paging reads a page's keys).
            models.Index(fields=["thread", "depth", "created_at", "id"], name="comments_thread_roots_idx"),
            # A member's public comments, newest first, for their page.
            models.Index(fields=["author", "status", "-created_at", "-id"], name="comments_author_idx"),
            models.Index(fields=["status", "created_at"], name="comments_status_idx"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author or 'a former member'}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.subject.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_gone(self) -> bool:
        """Removed or deleted: only a placeholder remains, so replies keep their place."""
        return self.status in (self.Status.REMOVED, self.Status.DELETED)

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    def can_be_edited_by(self, user, *, now=None) -> bool:
        now = now or timezone.now()
        return (
            user.is_authenticated
            and self.author_id == user.pk
            and self.status in (self.Status.PUBLISHED, self.Status.HELD)
            and now - self.created_at <= EDIT_WINDOW
        )


class Report(models.Model):
    """A member's flag on a comment; one per member per comment. Only reports from established members
    (old enough, with an approved contribution) count toward hiding the comment before a moderator looks."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        MISINFORMATION = "misinformation", "Medical misinformation"
        SELLING = "selling", "Selling or sourcing drugs"
        PERSONAL_DATA = "personal_data", "Someone's personal data"
        ABUSE = "abuse", "Abuse or harassment"
        AT_RISK = "at_risk", "Someone may be at risk"

    class Outcome(models.TextChoices):
        DISMISSED = "dismissed", "Dismissed: the comment stays"
        UPHELD = "upheld", "Upheld: the comment was removed"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason)
    note = models.TextField(blank=True, validators=[MaxLengthValidator(1_000)])
    created_at = models.DateTimeField(default=timezone.now)
    # Decided when the report is made: was the reporter established then (see comments.moderation.report)?
    counts_toward_hiding = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="comments_report_one_per_member"),
            models.CheckConstraint(
                condition=(Q(resolved_at__isnull=True) & Q(outcome=""))
                | (Q(resolved_at__isnull=False) & ~Q(outcome="")),
                name="comments_report_resolved_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["reporter", "created_at"], name="comments_report_daily_idx")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on comment {self.comment_id}"


class CommentRevision(models.Model):
    """An author's edit of a comment a moderator passed; the passed text stays shown until a moderator
    reads this. It exists only while it waits: approving moves its text into the comment, rejecting drops it,
    and the moderation log keeps the decision, so no copy of a member's words outlives their comment."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="pending_revision")
    body = models.TextField(validators=[MaxLengthValidator(MAX_COMMENT_LENGTH)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Edit of comment {self.comment_id}"


class Subscription(models.Model):
    """A member asked for an e-mail when someone replies in this thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "member"], name="comments_subscription_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} follows {self.thread}"


def new_submission_token() -> uuid.UUID:
    return uuid.uuid4()
