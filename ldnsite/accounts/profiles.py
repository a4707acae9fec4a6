"""What a member's public page (/members/<id>/) shows besides their comments, registered by the apps that
hold it, so that this shared app names none of them.

    profiles.register("experiences", items=lambda member: ..., template="testimonials/includes/....html")

``items(member)`` returns a queryset, from the app's public door, of what the member shows under their
display name; any row in it counts as a public contribution (a member without one has no page). The
template gets ``items`` and ``member``.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    items: Callable
    template: str


_sections: dict[str, Section] = {}


def register(key: str, *, items: Callable, template: str) -> None:
    if key in _sections:
        raise ValueError(f"A member page section named {key!r} is already registered.")
    _sections[key] = Section(key, items, template)


def clear() -> None:
    """For tests."""
    _sections.clear()


def sections() -> list[Section]:
    return list(_sections.values())
