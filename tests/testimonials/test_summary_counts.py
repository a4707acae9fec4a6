"""The summary counts pinned to a plain recount of public stories, so a faster way can be checked."""

from decimal import Decimal

import pytest

from ldnsite.choices import MSType
from testimonials.counts import DOSE_BANDS, count_reports
from testimonials.models import Change, SideEffect
from testimonials.models import Testimonial as MemberTestimonial

pytestmark = pytest.mark.django_db

DOSES = [Decimal("0.5"), Decimal("1.5"), Decimal("3"), Decimal("4.5"), Decimal("6")]


def _band(dose: Decimal) -> str:
    edges = [
        ("under_1_5", dose < Decimal("1.5")),
        ("1_5_to_3", dose < 3),
        ("3_to_4_5", dose < Decimal("4.5")),
    ]
    edges += [("4_5", dose == Decimal("4.5")), ("over_4_5", dose > Decimal("4.5"))]
    return next(key for key, matches in edges if matches)


def recount_public_stories() -> dict[str, int]:
    stories = list(MemberTestimonial.objects.public())
    counts = {"total": len(stories)}
    counts |= {f"ms_{v}": sum(s.ms_type == v for s in stories) for v in MSType.values}
    counts |= {f"change_{v}": sum(s.change == v for s in stories) for v in Change.values}
    counts |= {f"side_effect_{v}": sum(v in s.side_effects for s in stories) for v in SideEffect.values}
    counts |= {f"dose_{k}": sum(_band(s.dose_mg) == k for s in stories) for k, _l, _t in DOSE_BANDS}
    return counts


def test_summary_counts_match_a_recount_of_public_stories(make_testimonial):
    ms_types, changes, effects = MSType.values, Change.values, SideEffect.values
    for i in range(23):
        make_testimonial(
            state="approved" if i % 6 else "withdrawn",
            is_carer=i % 4 == 0,
            ms_type=ms_types[i % len(ms_types)],
            change=changes[i % len(changes)],
            dose_mg=DOSES[i % len(DOSES)],
            side_effects=[effects[i % len(effects)]] if i % 3 else [],
        )
    make_testimonial(state="pending")
    make_testimonial(state="rejected")

    counts = count_reports()

    assert counts == recount_public_stories()
    assert 0 < counts["total"] < 23
