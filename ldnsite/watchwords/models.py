from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

PATTERN_MAX_LENGTH = 300
EXCERPT_MAX_LENGTH = 200


class Action(models.TextChoices):
    BLOCK = "block", "Block: refuse the text and say why"
    HOLD = "hold", "Hold for a moderator before it is shown"
    FLAG = "flag", "Flag: shown, and a moderator takes a look"


class MatchType(models.TextChoices):
    PHRASES = "phrases", "Words or phrases, one a line (any case, whole words)"
    REGEX = "regex", "A regular expression (any case)"


class WatchedWordQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class WatchedWord(models.Model):
    """A word, phrase list or pattern that moderators watch for in what members write, and what to do."""

    label = models.CharField(
        max_length=80, help_text="What it finds, as a member reads it: “a phone number”, “selling LDN”."
    )
    pattern = models.TextField(max_length=PATTERN_MAX_LENGTH)
    match_type = models.CharField(max_length=10, choices=MatchType, default=MatchType.PHRASES)
    action = models.CharField(max_length=10, choices=Action, default=Action.FLAG)
    is_active = models.BooleanField(default=True)
    # The defaults seeded by the data migration keep their key, so later migrations can find them.
    key = models.SlugField(max_length=40, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = WatchedWordQuerySet.as_manager()

    class Meta:
        ordering = ["-is_active", "label", "pk"]
        permissions = [("manage_watched_words", "Can manage watched words and review their matches")]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("moderation:watchwords_edit", kwargs={"pk": self.pk})


class WatchedWordHit(models.Model):
    """One match of a watched word in something a member wrote (or tried to write)."""

    word = models.ForeignKey(WatchedWord, null=True, on_delete=models.SET_NULL, related_name="hits")
    # Copied from the word: the log says what happened even after the word is changed or deleted.
    label = models.CharField(max_length=80)
    action = models.CharField(max_length=10, choices=Action)
    where = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=300, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    excerpt = models.CharField(max_length=EXCERPT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    # Shown at once despite the match (a flagged comment, a display name): a moderator takes a look.
    needs_review = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["where", "object_id"], name="watchwords_hit_object_idx"),
            models.Index(
                fields=["created_at", "id"],
                name="watchwords_hit_review_idx",
                condition=Q(needs_review=True, reviewed_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True) | Q(needs_review=True),
                name="watchwords_hit_reviewed_only_if_needed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} in {self.where}"
