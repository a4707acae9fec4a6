import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ldnsite.choices import MSType
from ldnsite.watchwords.matching import Result, scan

from .managers import TestimonialQuerySet

NARRATIVE_MAX_LENGTH = 10_000
DOSE_MIN_MG = Decimal("0.1")
DOSE_MAX_MG = Decimal("20")
# The consent wording members agree to. Change the text -> add a version: each story stores the version it
# was given under, and CONSENT_TEXTS keeps every version's words for the member's download.
CONSENT_TEXTS = {
    "2026-11-25": (
        "I agree that ldnsite publishes this account of my health, including my type of MS, my LDN dose, "
        "what changed and any side effects, for anyone to read after a moderator approves it. I can withdraw "
        "it at any time, and it then disappears from the site."
    ),
    # Issue 17: a carer writes about someone else's health, which the first wording did not allow for.
    "2026-12-05": (
        "I agree that ldnsite publishes this account of my health, or of the health of the person with MS I "
        "care for, including the type of MS, the LDN dose, what changed and any side effects, for anyone to "
        "read after a moderator approves it. If I write as a carer, that person has agreed to it being "
        "published. I can withdraw it at any time, and it then disappears from the site."
    ),
}
CONSENT_VERSION = "2026-12-05"
CONSENT_TEXT = CONSENT_TEXTS[CONSENT_VERSION]


class Change(models.TextChoices):
    MUCH_WORSE = "much_worse", "Much worse"
    WORSE = "worse", "A little worse"
    NO_CHANGE = "no_change", "No change"
    BETTER = "better", "A little better"
    MUCH_BETTER = "much_better", "Much better"


class TimeOnLDN(models.TextChoices):
    UNDER_1_MONTH = "lt1m", "Less than a month"
    MONTHS_1_3 = "1-3m", "1 to 3 months"
    MONTHS_3_6 = "3-6m", "3 to 6 months"
    MONTHS_6_12 = "6-12m", "6 to 12 months"
    YEARS_1_2 = "1-2y", "1 to 2 years"
    YEARS_2_5 = "2-5y", "2 to 5 years"
    OVER_5_YEARS = "gt5y", "More than 5 years"


class SideEffect(models.TextChoices):
    VIVID_DREAMS = "vivid_dreams", "Vivid dreams"
    SLEEP = "sleep_problems", "Sleep problems"
    HEADACHE = "headache", "Headache"
    NAUSEA = "nausea", "Nausea"
    FATIGUE = "fatigue", "More tiredness"
    ANXIETY = "anxiety", "Anxiety or low mood"
    SPASTICITY = "spasticity", "More stiffness or spasms"
    NONE = "none", "No side effects"


def facts_in_words(ms_type: str, dose_mg, side_effects: list) -> str:
    """The structured answers of a story in the words a reader searches with ("Relapsing-remitting MS.
    4.5 mg a day. Side effects: vivid dreams, nausea."): site search looks in these as well as in the text.
    Migrations call it too, so it takes plain values, not a model."""
    ms_label = dict(MSType.choices).get(ms_type, ms_type)
    labels = dict(SideEffect.choices)
    effects = [labels.get(value, str(value).replace("_", " ")) for value in side_effects or []]
    facts = [f"{ms_label}."]
    if dose_mg is not None:
        facts.append(f"{Decimal(str(dose_mg)).normalize():f} mg a day.")
    if effects == [SideEffect.NONE.label]:
        facts.append(f"{effects[0]}.")
    elif effects:
        facts.append("Side effects: " + ", ".join(effect[0].lower() + effect[1:] for effect in effects) + ".")
    return " ".join(facts)


class DisplayAs(models.TextChoices):
    DISPLAY_NAME = "display_name", "My display name"
    MS_TYPE = "ms_type", "“A member with …” and my type of MS"


# The free-text fields: the ones watched words (contact details, selling, cure claims) are looked for in.
WATCHED_FIELDS = ("title", "narrative", "side_effects_other", "other_treatments")


class TestimonialContent(models.Model):
    """What a member tells: shared by the public version and by pending revisions of it."""

    title = models.CharField(max_length=120)
    ms_type = models.CharField("type of MS", max_length=12, choices=MSType)
    dose_mg = models.DecimalField(
        "LDN dose (mg a day)",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(DOSE_MIN_MG), MaxValueValidator(DOSE_MAX_MG)],
    )
    time_on_ldn = models.CharField("time on LDN", max_length=6, choices=TimeOnLDN)
    change = models.CharField("what changed", max_length=12, choices=Change)
    side_effects = models.JSONField(default=list, blank=True)
    side_effects_other = models.CharField("other side effects", max_length=200, blank=True)
    other_treatments = models.CharField("other MS treatments", max_length=300, blank=True)
    narrative = models.TextField(validators=[MaxLengthValidator(NARRATIVE_MAX_LENGTH)])
    display_as = models.CharField("show me as", max_length=12, choices=DisplayAs, default=DisplayAs.MS_TYPE)

    CONTENT_FIELDS = [
        "title", "ms_type", "dose_mg", "time_on_ldn", "change", "side_effects", "side_effects_other",
        "other_treatments", "narrative", "display_as",
    ]  # fmt: skip

    class Meta:
        abstract = True

    @property
    def fingerprint(self) -> str:
        """A short hash of the content: a moderator's decision names the version they read."""
        values = [str(getattr(self, field)) for field in self.CONTENT_FIELDS]
        values[self.CONTENT_FIELDS.index("dose_mg")] = f"{Decimal(str(self.dose_mg)):.2f}"
        return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:20]

    @property
    def side_effect_labels(self) -> list[str]:
        labels = dict(SideEffect.choices)
        return [labels.get(value, value) for value in self.side_effects]

    @property
    def watched(self) -> Result:
        """The watched words (ldnsite.watchwords) in the member's own words, as the story form checks them."""
        return scan(*(getattr(self, name) for name in WATCHED_FIELDS))

    @property
    def risk_signals(self) -> list[str]:
        """What a moderator should look at twice: every watched word the text contains."""
        return self.watched.labels()


# The answers facts_in_words() puts in words.
FACT_FIELDS = frozenset({"ms_type", "dose_mg", "side_effects"})
# The public list's order (Meta.ordering), newest first, as index fields spell it.
ORDER = ["-approved_at", "-id"]


class Testimonial(TestimonialContent):
    """One member's experience with LDN. Public only once a moderator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a moderator"
        APPROVED = "approved", "Published"
        REJECTED = "rejected", "Not approved"
        WITHDRAWN = "withdrawn", "Withdrawn by its author"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="testimonials"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)
    consent_version = models.CharField(max_length=20)
    consented_at = models.DateTimeField()
    is_carer = models.BooleanField("written as a carer", default=False)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The structured answers in words (facts_in_words()), for site search; save() keeps it up to date.
    search_facts = models.TextField(blank=True, editable=False)

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-pk"]
        permissions = [("moderate_testimonial", "Can approve and reject member experiences")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(moderated_by__isnull=False, moderated_at__isnull=False, approved_at__isnull=False),
                name="testimonials_approved_has_moderator_and_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="testimonials_rejected_has_reason",
            ),
        ]
        # The public list, whole or filtered by one or both of its filters, in its order (the key too, as the
        # tie-breaker): PostgreSQL and SQLite read a page's keys, and count up to the cap, from the index.
        indexes = [
            models.Index(fields=["status", *ORDER], name="testimonials_public_idx"),
            models.Index(fields=["status", "ms_type", *ORDER], name="testimonials_ms_type_idx"),
            models.Index(fields=["status", "change", *ORDER], name="testimonials_change_idx"),
            models.Index(fields=["status", "ms_type", "change", *ORDER], name="testimonials_filters_idx"),
            models.Index(fields=["status", "submitted_at"], name="testimonials_queue_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        """Every save writes search_facts from the answers it is made of (a save of some fields only, as the
        transitions do, writes it too when one of those fields is among them). bulk_create skips this:
        fill search_facts before (testimonials.demo does)."""
        self.search_facts = facts_in_words(self.ms_type, self.dose_mg, self.side_effects)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and FACT_FIELDS.intersection(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_facts"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("testimonials:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def shown_author(self) -> str:
        """How the author appears publicly: their display name, or "A member with <MS type>"."""
        if self.display_as == DisplayAs.DISPLAY_NAME and self.author is not None:
            return self.author.display_name
        label = self.get_ms_type_display()
        if self.ms_type == MSType.UNSPECIFIED:
            return "A member with MS"
        return f"A member with {label[0].lower()}{label[1:]}"


class TestimonialRevision(TestimonialContent):
    """An edit of a published testimonial; the published text stays until a moderator approves this."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a moderator"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"

    testimonial = models.ForeignKey(Testimonial, on_delete=models.CASCADE, related_name="revisions")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["testimonial"],
                condition=Q(status="pending"),
                name="testimonials_one_pending_revision",
            )
        ]

    def __str__(self) -> str:
        return f"Revision of “{self.testimonial}”"


class ReportCount(models.Model):
    """One number of the summary page ("ms_rrms", "side_effect_nausea", "total"…): how many public stories
    it counts. The transitions in moderation.py move it as stories become public or stop being public, so the
    page reads these few rows instead of every story (testimonials.counts)."""

    key = models.CharField(max_length=40, primary_key=True)
    count = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
