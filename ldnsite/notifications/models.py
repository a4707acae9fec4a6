from django.conf import settings
from django.db import models
from django.db.models import Q

from .managers import NotificationQuerySet


class Kind(models.TextChoices):
    REPLY = "reply", "Replies to you"
    MENTION = "mention", "Mentions of you"
    FOLLOWED = "followed", "New posts in discussions you follow"
    DECISION = "decision", "Moderators’ decisions on your posts"


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "E-mail me at once"
    DIGEST = "digest", "One e-mail a day (digest)"
    OFF = "off", "No e-mail (the inbox only)"


# What a member gets until they choose: what is addressed to them at once, the busy kind once a day.
DEFAULT_DELIVERY = {
    Kind.REPLY: Delivery.IMMEDIATELY,
    Kind.MENTION: Delivery.IMMEDIATELY,
    Kind.FOLLOWED: Delivery.DIGEST,
    Kind.DECISION: Delivery.IMMEDIATELY,
}


class Notification(models.Model):
    """Something on the site that concerns a member: a reply to them, a mention, a new post in a discussion
    they follow, a moderator's decision on their content. Shown only while its target is visible to them.

    The target is a registered kind word and a primary key (see notifications.targets), as comment threads
    name their subjects: the same in every database and dump, and no content-type cache whose cold state
    would change how many queries the inbox costs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_kind = models.CharField(max_length=40)
    target_id = models.PositiveBigIntegerField()
    # For a decision: what was decided, a word the target's registration puts into words ("approved").
    note = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When its own e-mail was queued (preference "immediately"), or when a daily digest listed it.
    emailed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Never twice about the same thing: a second decision on the same post updates the one row.
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_kind", "target_id"], name="notifications_one_per_target"
            ),
        ]
        indexes = [
            # The inbox, newest first, the key as tie-breaker (ldnsite.paging reads a page's keys).
            models.Index(fields=["recipient", "-created_at", "-id"], name="notifications_inbox_idx"),
            # The header's unread count.
            models.Index(
                fields=["recipient", "target_kind"],
                condition=Q(read_at__isnull=True),
                name="notifications_unread_idx",
            ),
            # Deleting and withdrawing the notifications about one target.
            models.Index(fields=["target_kind", "target_id"], name="notifications_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id} about {self.target_kind} {self.target_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class EmailPreference(models.Model):
    """How a member wants e-mail about one kind of notification; no row means DEFAULT_DELIVERY."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=12, choices=Kind)
    delivery = models.CharField(max_length=12, choices=Delivery)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="notifications_one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.kind} {self.delivery}"
