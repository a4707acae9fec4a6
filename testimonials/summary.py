"""What members report, summarised from public testimonials only.

The numbers are the counters in testimonials.counts, which the moderation transitions keep exact: the page
reads a few dozen rows whatever the number of stories. Groups smaller than ``MIN_GROUP_SIZE`` are never shown
as a number or a bar, and the overall total is rounded so that a small group cannot be worked out by
subtraction.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ldnsite.choices import MSType

from .counts import DOSE_BANDS, count_reports
from .models import Change, SideEffect

MIN_GROUP_SIZE = 5
TOTAL_ROUNDED_TO = 10
SUPPRESSED_TEXT = f"fewer than {MIN_GROUP_SIZE}"

# SVG geometry, in user units. The chart scales with its box, so it is kept narrow: on a phone its 20-unit
# text still comes out at about 16px or more.
CHART_WIDTH = 320
FONT_SIZE = 20
ROW_HEIGHT = 68
BAR_OFFSET = 30  # from a row's top to its bar's top: the group's label sits above its bar
BAR_HEIGHT = 24
VALUE_SPACE = 56  # room right of the longest bar for its value label
BAR_MAX_WIDTH = CHART_WIDTH - VALUE_SPACE


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
            [(label, counts[f"dose_{key}"]) for key, label, _test in DOSE_BANDS],
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
