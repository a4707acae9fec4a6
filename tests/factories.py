"""Plain data builders shared by several test modules."""

from decimal import Decimal


def story(**overrides) -> dict:
    """The content of a member experience, as the testimonial transitions take it."""
    content = {
        "title": "My months on LDN",
        "ms_type": "rrms",
        "dose_mg": Decimal("4.5"),
        "time_on_ldn": "3-6m",
        "change": "better",
        "side_effects": ["vivid_dreams"],
        "side_effects_other": "",
        "other_treatments": "",
        "narrative": "Afternoons are easier now.",
        "display_as": "display_name",
    }
    content.update(overrides)
    return content
