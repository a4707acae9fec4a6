from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class HelpfulMark(models.Model):
    """A member found one item helpful. One per member per item (a constraint: double submits and races
    cannot make two); undoing deletes the row. There are no down-votes."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_marks"
    )
    # The registered kind (ldnsite.helpful.registry) and the item's primary key, as comment threads name
    # their subject: a stable word of our own, not a content type.
    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "object_id"], name="helpful_mark_one_per_member"
            )
        ]
        # The item's marks (recount, deletion with the item); the member's come from the constraint's index.
        indexes = [models.Index(fields=["kind", "object_id"], name="helpful_mark_item_idx")]

    def __str__(self) -> str:
        return f"{self.member} found {self.kind} {self.object_id} helpful"


class HelpfulCount(models.Model):
    """How many marks one item has, kept as marks come and go (in the same transaction), so that pages show
    and sort by it without counting. An item nobody marked has no row: its count is 0."""

    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="helpful_count_one_per_item"),
            models.CheckConstraint(condition=Q(count__gte=0), name="helpful_count_not_negative"),
        ]
        # The most helpful items of a kind first, for lists sorted by it.
        indexes = [models.Index(fields=["kind", "-count", "-object_id"], name="helpful_count_rank_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.count}"
