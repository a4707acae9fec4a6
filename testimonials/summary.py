"""What members report, summarised: counted in the database from public testimonials only.

Every number comes from one aggregate query over ``Testimonial.objects.public()``, so the page costs the same
however many testimonials there are. Groups smaller than ``MIN_GROUP_SIZE`` are never shown as a number or a
bar, and the overall total is rounded so that a small group cannot be worked out by subtraction.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ldnsite.choices import MSType

from .models import Change, SideEffect, Testimonial

MIN_GROUP_SIZE = 5
TOTAL_ROUNDED_TO = 10
SUPPRESSED_TEXT = f"fewer than {MIN_GROUP_SIZE}"

# Dose bands, lowest first. "4.5 mg" gets its own band: it is the dose most people are prescribed.
DOSE_BANDS = [
    ("under_1_5", "Under 1.5 mg", Q(dose_mg__lt=Decimal("1.5"))),
    ("1_5_to_3", "1.5 mg to under 3 mg", Q(dose_mg__lt=Decimal("3"))),
    ("3_to_4_5", "3 mg to under 4.5 mg", Q(dose_mg__lt=Decimal("4.5"))),
    ("4_5", "4.5 mg", Q(dose_mg=Decimal("4.5"))),
    ("over_4_5", "More than 4.5 mg", Q(dose_mg__gt=Decimal("4.5"))),
]

# SVG geometry, in user units. The chart scales with its box, so it is kept narrow: on a phone its 20-unit
# text still comes out at about 16px or more.
CHART_WIDTH = 320
FONT_SIZE = 20
ROW_HEIGHT = 68
BAR_OFFSET = 30  # from a row's top to its bar's top: the group's label sits above its bar
BAR_HEIGHT = 24
VALUE_SPACE = 56  # room right of the longest bar for its value label
BAR_MAX_WIDTH = CHART_WIDTH - VALUE_SPACE


def _dose_band() -> Case:
    """The band of a testimonial's dose; the first matching band wins, so each only needs its upper edge."""
    return Case(
        *(When(condition, then=Value(key)) for key, _label, condition in DOSE_BANDS),
        output_field=CharField(),
    )


def _side_effect_reported(value: str) -> Q:
    """Whether a testimonial's side_effects list holds ``value``.

    ``side_effects__contains=[value]`` needs JSON containment, which SQLite lacks; the list's JSON text, with
    the value in quotes, matches the same rows on SQLite and PostgreSQL because values are plain lowercase
    words from SideEffect.
    """
    return Q(side_effects__icontains=f'"{value}"')


def count_reports() -> dict[str, int]:
    """Every count on the page, in one query over public testimonials."""
    counts = {"total": Count("pk")}
    counts |= {f"ms_{value}": Count("pk", filter=Q(ms_type=value)) for value in MSType.values}
    counts |= {f"change_{value}": Count("pk", filter=Q(change=value)) for value in Change.values}
    counts |= {
        f"side_effect_{value}": Count("pk", filter=_side_effect_reported(value))
        for value in SideEffect.values
    }
    counts |= {f"dose_{key}": Count("pk", filter=Q(dose_band=key)) for key, _label, _q in DOSE_BANDS}
    return Testimonial.objects.public().annotate(dose_band=_dose_band()).aggregate(**counts)


@dataclass(frozen=True)
class Bar:
    """One group of a chart: its label, its count (None when too small to show) and where it is drawn."""

    label: str
    count: int | None
    top: int
    width: int

    @property
    def shown(self) -> str:
        return SUPPRESSED_TEXT if self.count is None else str(self.count)

    @property
    def label_y(self) -> int:
        return self.top + 21

    @property
    def bar_y(self) -> int:
        return self.top + BAR_OFFSET

    @property
    def value_x(self) -> int:
        return self.width + 8

    @property
    def value_y(self) -> int:
        return self.bar_y + 19


@dataclass(frozen=True)
class Chart:
    slug: str
    heading: str
    group_heading: str
    note: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return len(self.bars) * ROW_HEIGHT

    @property
    def description(self) -> str:
        groups = "; ".join(f"{bar.label}: {bar.shown}" for bar in self.bars)
        return f"Horizontal bar chart, number of reports. {groups}."


def shown_count(count: int) -> int | None:
    """A group's count, or None when it is too small to show without risking identifying someone."""
    return count if count >= MIN_GROUP_SIZE else None


def rounded_total(total: int) -> int:
    """The total to the nearest TOTAL_ROUNDED_TO (halves up), never shown as less than one step."""
    step = TOTAL_ROUNDED_TO
    return max(step, (total + step // 2) // step * step)


def build_chart(
    slug: str, heading: str, group_heading: str, note: str, groups: list[tuple[str, int]]
) -> Chart:
    shown = [(label, shown_count(count)) for label, count in groups]
    largest = max((count for _label, count in shown if count is not None), default=0)
    bars = [
        Bar(
            label=label,
            count=count,
            top=index * ROW_HEIGHT,
            width=max(4, round(count * BAR_MAX_WIDTH / largest)) if count is not None else 0,
        )
        for index, (label, count) in enumerate(shown)
    ]
    return Chart(slug=slug, heading=heading, group_heading=group_heading, note=note, bars=bars)


def build_charts(counts: dict[str, int]) -> list[Chart]:
    return [
        build_chart(
            "ms-type",
            "Type of MS",
            "Type of MS",
            "Each report gives one type of MS.",
            [(label, counts[f"ms_{value}"]) for value, label in MSType.choices],
        ),
        build_chart(
            "change",
            "What changed, in members’ own view",
            "What changed",
            "Members rate the change themselves, from “much worse” to “much better”. Nobody checked it.",
            [(label, counts[f"change_{value}"]) for value, label in Change.choices],
        ),
        build_chart(
            "side-effects",
            "Side effects reported",
            "Side effect",
            "A report can list several side effects, or none, so these numbers do not add up to the total.",
            [(label, counts[f"side_effect_{value}"]) for value, label in SideEffect.choices],
        ),
        build_chart(
            "dose",
            "Daily dose of LDN",
            "Dose a day",
            "The dose members said they take, in milligrams a day.",
            [(label, counts[f"dose_{key}"]) for key, label, _q in DOSE_BANDS],
        ),
    ]


def summary_page(request: HttpRequest) -> HttpResponse:
    counts = count_reports()
    total = counts["total"]
    enough = total >= MIN_GROUP_SIZE
    context = {
        "enough": enough,
        "min_group_size": MIN_GROUP_SIZE,
        "total_rounded_to": TOTAL_ROUNDED_TO,
        "total_about": rounded_total(total) if enough else None,
        "charts": build_charts(counts) if enough else [],
        "chart_width": CHART_WIDTH,
        "bar_height": BAR_HEIGHT,
        "font_size": FONT_SIZE,
    }
    return render(request, "testimonials/summary.html", context)
