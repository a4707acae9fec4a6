from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from ldnsite.choices import MSType
from ldnsite.markdown import MAX_LENGTH

from .managers import ArticleQuerySet, StudyQuerySet
from .validators import (
    validate_doi,
    validate_not_future_year,
    validate_pmid,
    validate_publication_date,
    validate_registry_id,
)

SLUG_TAKEN = "Another entry already uses this web address (slug). Choose a different one."


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Study(models.Model):
    """A summary of one published study, with an evidence level derived from its design and size."""

    class Design(models.TextChoices):
        SYSTEMATIC_REVIEW = "systematic_review", "Systematic review"
        RCT_PARALLEL = "rct_parallel", "Randomised trial, parallel groups"
        RCT_CROSSOVER = "rct_crossover", "Randomised trial, crossover"
        SINGLE_ARM = "single_arm", "Single-arm / open-label trial"
        COHORT = "cohort", "Cohort study"
        CASE_SERIES = "case_series", "Case series / chart review"
        BEFORE_AFTER = "before_after", "Before-after study"
        CASE_REPORT = "case_report", "Case report"

    class Fact(models.TextChoices):
        CITATION = "citation", "Citation (authors, title, journal, year)"
        DESIGN = "design", "Design"
        PARTICIPANTS = "participants", "Number of participants"
        DOSE = "dose", "Dose"
        DURATION = "duration", "Duration"
        MAIN_RESULT = "main_result", "Main result"
        ADVERSE_EVENTS = "adverse_events", "Adverse events"
        DOI = "doi", "DOI"
        PMID = "pmid", "PubMed ID"
        REGISTRY_ID = "registry_id", "Trial registry number"

    class Certainty(models.TextChoices):
        """How sure the editors are that the result is close to the truth (GRADE's four grades). It is
        about this study's result, not its design: the evidence level says what kind of study it was."""

        HIGH = "high", "High"
        MODERATE = "moderate", "Moderate"
        LOW = "low", "Low"
        VERY_LOW = "very_low", "Very low"

    class CertaintyReason(models.TextChoices):
        """What lowered the certainty, in GRADE's terms."""

        RISK_OF_BIAS = "risk_of_bias", "Risk of bias"
        IMPRECISION = "imprecision", "Imprecision"
        INCONSISTENCY = "inconsistency", "Inconsistency"
        INDIRECTNESS = "indirectness", "Indirectness"
        PUBLICATION_BIAS = "publication_bias", "Publication bias"

    # What each certainty and each reason means, in the words readers see on the study page.
    CERTAINTY_MEANINGS = {
        Certainty.HIGH: "Further research is very unlikely to change this result.",
        Certainty.MODERATE: "Further research may change this result.",
        Certainty.LOW: "Further research is likely to change this result.",
        Certainty.VERY_LOW: "We are very unsure: the real effect may be quite different.",
    }
    REASON_MEANINGS = {
        CertaintyReason.RISK_OF_BIAS: "the way the study was done could have tilted the result "
        "(for example no comparison group, no blinding, or many people dropping out)",
        CertaintyReason.IMPRECISION: "few people took part, so the result could easily be due to chance",
        CertaintyReason.INCONSISTENCY: "other studies of the same question found different results",
        CertaintyReason.INDIRECTNESS: "the people, dose or measures differ from the question readers "
        "care about (for example prescriptions counted instead of symptoms)",
        CertaintyReason.PUBLICATION_BIAS: "studies that found nothing may have gone unpublished",
    }
    KEY_MESSAGES_MIN = 3
    KEY_MESSAGES_MAX = 5

    # Oxford CEBM-style levels: 1 is the strongest kind of evidence, 5 the weakest.
    LEVEL_BY_DESIGN = {
        Design.SYSTEMATIC_REVIEW: 1,
        Design.RCT_PARALLEL: 2,
        Design.RCT_CROSSOVER: 2,
        Design.COHORT: 3,
        Design.SINGLE_ARM: 4,
        Design.CASE_SERIES: 4,
        Design.BEFORE_AFTER: 4,
        Design.CASE_REPORT: 5,
    }
    LEVEL_DESCRIPTIONS = {
        1: "Systematic review of randomised trials",
        2: "Randomised trial",
        3: "Cohort or other comparison without randomisation",
        4: "No comparison group: case series, chart review, before-after or single-arm trial",
        5: "A single case, or reasoning from how the drug works",
    }
    SMALL_SAMPLE_BELOW = 100

    slug = models.SlugField(max_length=80, unique=True, error_messages={"unique": SLUG_TAKEN})
    status = models.CharField(max_length=12, choices=PublicationStatus, default=PublicationStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    title = models.CharField(max_length=300)
    authors = models.CharField(
        max_length=500, help_text="As in the paper, e.g. “Cree BAC, Kornyeyeva E, Goodin DS”."
    )
    journal = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1900), validate_not_future_year])
    citation_details = models.CharField(
        "volume, issue and pages", max_length=100, blank=True, help_text="For example 68(2):145-50."
    )
    publication_date = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_publication_date],
        help_text="The issue's month as YYYY-MM (2010-08), or the day as YYYY-MM-DD; in the year above. "
        "Empty: the year alone.",
    )
    doi = models.CharField("DOI", max_length=200, blank=True, validators=[validate_doi])
    pmid = models.CharField("PubMed ID", max_length=20, blank=True, validators=[validate_pmid])
    registry_id = models.CharField(
        "trial registry number", max_length=40, blank=True, validators=[validate_registry_id]
    )

    design = models.CharField(max_length=24, choices=Design)
    populations = models.JSONField(default=list, blank=True, help_text="Which forms of MS were studied.")
    setting = models.CharField(max_length=300, blank=True, help_text="Where, and how many centres.")
    participants_enrolled = models.PositiveIntegerField("participants enrolled")
    participants_completed = models.PositiveIntegerField("participants who completed", null=True, blank=True)

    dose = models.CharField(max_length=200, blank=True)
    comparator = models.CharField(max_length=200, blank=True)
    duration = models.CharField(max_length=200, blank=True)

    outcomes_measured = models.TextField(blank=True)
    main_result = models.TextField()
    adverse_events = models.TextField(blank=True)
    limitations = models.TextField(blank=True)
    funding = models.TextField(blank=True)
    plain_summary = MarkdownxField(
        "plain-language summary", validators=[MaxLengthValidator(5_000)], help_text="Markdown."
    )
    checked_facts = models.JSONField(
        default=list, blank=True, help_text="Facts an editor has confirmed against the paper or registry."
    )
    key_messages = models.TextField(
        "key messages",
        blank=True,
        validators=[MaxLengthValidator(2_000)],
        help_text="Plain text, one message per line: 3 to 5 short points for readers.",
    )
    certainty = models.CharField("certainty of the result", max_length=12, choices=Certainty, blank=True)
    certainty_reasons = models.JSONField(
        "why certainty is lower", default=list, blank=True, help_text="What lowered the certainty."
    )
    certainty_explanation = models.CharField(
        "certainty in a sentence",
        max_length=300,
        blank=True,
        help_text="Optional: the reasons for this study in plain words.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_studies",
        help_text="The editor who last checked this summary against the paper.",
    )
    reviewed_at = models.DateField("reviewed on", null=True, blank=True)

    objects = StudyQuerySet.as_manager()

    class Meta:
        verbose_name = "study summary"
        verbose_name_plural = "study summaries"
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=PublicationStatus.DRAFT) | Q(published_at__isnull=False),
                name="articles_study_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(participants_completed__isnull=True)
                | Q(participants_completed__lte=F("participants_enrolled")),
                name="articles_study_completed_not_above_enrolled",
                violation_error_message="More people cannot complete a study than were enrolled in it.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_author} {self.year}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("articles:study_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.publication_date and self.year and not self.publication_date.startswith(f"{self.year}-"):
            raise ValidationError(
                {"publication_date": f"The publication date must be in {self.year}, the year of the study."}
            )

    @property
    def first_author(self) -> str:
        return self.authors.split(",")[0].strip()

    @property
    def evidence_level(self) -> int:
        return self.LEVEL_BY_DESIGN[self.design]

    @property
    def evidence_level_description(self) -> str:
        return self.LEVEL_DESCRIPTIONS[self.evidence_level]

    @property
    def is_small_sample(self) -> bool:
        return self.participants_enrolled < self.SMALL_SAMPLE_BELOW

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    @property
    def population_labels(self) -> list[str]:
        labels = dict(MSType.choices)
        return [labels.get(value, value) for value in self.populations]

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def registry_url(self) -> str:
        if self.registry_id.upper().startswith("NCT"):
            return f"https://clinicaltrials.gov/study/{self.registry_id}"
        return ""

    @property
    def is_public(self) -> bool:
        """Passes the public door (published and not scheduled for later), without a query."""
        return self.is_published and self.published_at is not None and self.published_at <= timezone.now()

    @property
    def key_message_list(self) -> list[str]:
        return [line.strip() for line in self.key_messages.splitlines() if line.strip()]

    def key_messages_problem(self, *, published: bool) -> str:
        """Why the key messages cannot stand as they are ("" if they can): at most KEY_MESSAGES_MAX
        always, and at least KEY_MESSAGES_MIN once the summary is public."""
        count = len(self.key_message_list)
        low, high = self.KEY_MESSAGES_MIN, self.KEY_MESSAGES_MAX
        if count > high or (published and count < low):
            return (
                f"A published summary needs {low} to {high} key messages, one per line; "
                f"there {'is' if count == 1 else 'are'} {count}."
            )
        return ""

    @property
    def certainty_meaning(self) -> str:
        return self.CERTAINTY_MEANINGS.get(self.certainty, "")

    @property
    def certainty_reason_list(self) -> list[dict[str, str]]:
        """The reasons ticked, in the order of the choices, each with its label and what it means."""
        return [
            {"label": label, "meaning": self.REASON_MEANINGS[value]}
            for value, label in self.CertaintyReason.choices
            if value in self.certainty_reasons
        ]

    def is_checked(self, fact: str) -> bool:
        return fact in self.checked_facts

    @property
    def unchecked_facts(self) -> list[str]:
        return [label for value, label in self.Fact.choices if value not in self.checked_facts]


class Article(models.Model):
    """A long-form explainer written by an editor; cites study summaries."""

    slug = models.SlugField(max_length=80, unique=True, error_messages={"unique": SLUG_TAKEN})
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text="One or two sentences shown in lists and feeds.")
    body = MarkdownxField(validators=[MaxLengthValidator(MAX_LENGTH)], help_text="Markdown.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles")
    status = models.CharField(max_length=12, choices=PublicationStatus, default=PublicationStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Shown to readers as "Evidence current to": the name stays, the structured data reads it too.
    last_reviewed_on = models.DateField(
        "evidence current to",
        null=True,
        blank=True,
        help_text="When an editor last checked the article against the evidence.",
    )
    studies = models.ManyToManyField(
        Study, blank=True, related_name="articles", verbose_name="studies discussed"
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=PublicationStatus.DRAFT) | Q(published_at__isnull=False),
                name="articles_article_published_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="articles_article_listing_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:article_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


class Resource(models.Model):
    """A further resource under an article: a video, an organisation's page, a registry, a discussion."""

    class Kind(models.TextChoices):
        VIDEO = "video", "Video"
        ORGANISATION = "organisation", "Organisation page"
        REGISTRY = "registry", "Trial registry"
        DISCUSSION = "discussion", "Discussion"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(max_length=20, choices=Kind)
    title = models.CharField(max_length=200)
    url = models.URLField("address", max_length=500, validators=[URLValidator(schemes=["http", "https"])])
    published_on = models.DateField(
        null=True, blank=True, help_text="When the resource was published, if known."
    )
    note = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title
