from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .managers import TopicQuerySet

TITLE_MAX_LENGTH = 150
BODY_MAX_LENGTH = 10_000
# The public list's order (newest activity first), as index fields spell it.
ORDER = ["-last_activity_at", "-id"]


class Category(models.Model):
    """A shelf of the discussions list ("Side effects"). Seeded by a data migration; editors add more in the
    admin."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField("short description", max_length=200)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('discussions:list')}?category={self.slug}"


class Topic(models.Model):
    """A discussion a member starts: a title and a Markdown body; replies are the comments app's thread.
    Public only while published; a new member's first topic is held for a moderator."""

    class Status(models.TextChoices):
        HELD = "held", "Waiting for a moderator"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Not approved"
        HIDDEN = "hidden", "Hidden pending review"
        REMOVED = "removed", "Removed by a moderator"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="topics"
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    body = models.TextField(validators=[MaxLengthValidator(BODY_MAX_LENGTH)])
    status = models.CharField(max_length=10, choices=Status, default=Status.HELD)
    is_locked = models.BooleanField("closed to replies", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # When the topic was published or last got a public reply: the list's order. Moved by the transitions
    # and by the comments app's on_published hook, in the transaction that publishes the reply.
    last_activity_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The reason a moderator gave for the last decision the author is told of (rejection, hiding, removal).
    moderation_reason = models.TextField(blank=True)
    # A token from the form that was submitted: the same form sent twice makes one topic.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ORDER
        permissions = [("moderate_topic", "Can moderate discussion topics")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="discussions_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "removed"]) | ~Q(moderation_reason=""),
                name="discussions_refusal_has_reason",
            ),
        ]
        # The public list, whole or by category, in its order (the key as tie-breaker): CappedPaginator
        # reads a page's keys from the index.
        indexes = [
            models.Index(fields=["status", *ORDER], name="discussions_public_idx"),
            models.Index(fields=["status", "category", *ORDER], name="discussions_category_idx"),
            models.Index(fields=["author", "status"], name="discussions_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussions:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def shown_author(self) -> str:
        return self.author.display_name if self.author is not None else "A former member"


class TopicReport(models.Model):
    """A member's flag on a topic; one per member per topic (the reasons are the comments app's)."""

    class Outcome(models.TextChoices):
        DISMISSED = "dismissed", "Dismissed: the topic stays"
        UPHELD = "upheld", "Upheld: the topic was hidden or removed"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_reports"
    )
    reason = models.CharField(max_length=20)
    note = models.TextField(blank=True, validators=[MaxLengthValidator(1_000)])
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "reporter"], name="discussions_report_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"Report on topic {self.topic_id}"
