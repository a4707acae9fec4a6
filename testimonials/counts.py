"""The summary page's numbers, kept as they change instead of counted on every request.

Each public story adds one to a handful of counters (ReportCount rows): the total, its type of MS, what
changed, each side effect it lists and its dose band. `move()` is called by every transition that makes a
story public, changes a public story's content or takes it off the site, in the same transaction, so the
counts are exact at every commit. `rebuild()` recounts from the stories themselves: after bulk loads (which
skip the transitions), in the migration that made the table, and once a day on the worker as a check that
logs any difference it corrects.
"""

import logging
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.urls import reverse

from ldnsite import pagecache
from ldnsite.choices import MSType

from .models import Change, ReportCount, SideEffect, Testimonial

logger = logging.getLogger(__name__)

# Dose bands, lowest first, with the test that puts a dose in each; the first that matches wins.
# "4.5 mg" gets its own band: it is the dose most people are prescribed.
DOSE_BANDS = [
    ("under_1_5", "Under 1.5 mg", lambda dose: dose < Decimal("1.5")),
    ("1_5_to_3", "1.5 mg to under 3 mg", lambda dose: dose < 3),
    ("3_to_4_5", "3 mg to under 4.5 mg", lambda dose: dose < Decimal("4.5")),
    ("4_5", "4.5 mg", lambda dose: dose == Decimal("4.5")),
    ("over_4_5", "More than 4.5 mg", lambda dose: dose > Decimal("4.5")),
]
# Every counter the page shows, in no particular order; a story may add to others (an MS type no longer
# offered), which are kept but never shown.
SHOWN_KEYS = [
    "total",
    *(f"ms_{value}" for value in MSType.values),
    *(f"change_{value}" for value in Change.values),
    *(f"side_effect_{value}" for value in SideEffect.values),
    *(f"dose_{key}" for key, _label, _test in DOSE_BANDS),
]
COUNTED_FIELDS = ("ms_type", "change", "side_effects", "dose_mg")


def dose_band(dose: Decimal | None) -> str | None:
    if dose is None:
        return None
    return next((key for key, _label, test in DOSE_BANDS if test(dose)), None)


def keys_of(ms_type: str, change: str, side_effects: list, dose_mg: Decimal | None) -> list[str]:
    """The counters one public story adds to."""
    keys = ["total", f"ms_{ms_type}", f"change_{change}"]
    keys += [f"side_effect_{value}" for value in sorted(set(side_effects or []))]
    band = dose_band(dose_mg)
    if band is not None:
        keys.append(f"dose_{band}")
    return keys


def public_keys(story) -> list[str]:
    """The counters `story` (a Testimonial, or None) adds to as it stands: none unless it is public."""
    if story is None or not story.is_public:
        return []
    return keys_of(*(getattr(story, field) for field in COUNTED_FIELDS))


def count_reports() -> dict[str, int]:
    """Every number the summary page shows, from one query over the counters."""
    counts = dict.fromkeys(SHOWN_KEYS, 0)
    counts.update(ReportCount.objects.filter(key__in=SHOWN_KEYS).values_list("key", "count"))
    return counts


def move(before: list[str], after: list[str]) -> None:
    """Take one off each counter in `before` and add one to each in `after` (public_keys of a story before
    and after a change). Runs inside the transition's transaction. The rows are locked in key order first,
    so two decisions at once wait for each other instead of deadlocking."""
    delta = Counter(after)
    delta.subtract(before)
    changes = {key: amount for key, amount in delta.items() if amount}
    if not changes:
        return
    with transaction.atomic():
        keys = sorted(changes)
        locked = _lock(keys)
        if len(locked) < len(keys):  # a counter nobody has needed yet
            ReportCount.objects.bulk_create(
                [ReportCount(key=key) for key in keys if key not in locked], ignore_conflicts=True
            )
            _lock(keys)
        for amount in sorted(set(changes.values())):
            ReportCount.objects.filter(key__in=[k for k in keys if changes[k] == amount]).update(
                count=F("count") + amount
            )


def _lock(keys: list[str]) -> set[str]:
    return set(
        ReportCount.objects.select_for_update()
        .filter(key__in=keys)
        .order_by("key")
        .values_list("pk", flat=True)
    )


def tally(stories) -> Counter:
    """Every counter, counted from `stories` (a queryset of public ones) row by row: a scan of all of them,
    for the worker and migrations, never for a request."""
    counts = Counter()
    for row in stories.values_list(*COUNTED_FIELDS).order_by().iterator(chunk_size=5_000):
        counts.update(keys_of(*row))
    return counts


def rebuild() -> dict[str, tuple[int, int]]:
    """Set every counter to a recount of the public stories; returns what was wrong, as {key: (kept, true)}.

    The counters are locked before the stories are read, so a decision committing meanwhile is either in the
    recount or waits and moves the new values."""
    with transaction.atomic():
        kept = dict(ReportCount.objects.select_for_update().order_by("key").values_list("key", "count"))
        true = tally(Testimonial.objects.public())
        wrong = {
            key: (kept.get(key, 0), true[key])
            for key in kept.keys() | true.keys()
            if kept.get(key, 0) != true[key]
        }
        if wrong:
            rows = [ReportCount(key=key, count=true[key]) for key in sorted(wrong)]
            ReportCount.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["key"], update_fields=["count"]
            )
            pagecache.refresh(reverse("testimonials:summary"))  # no signal tells the page cache
    return wrong
