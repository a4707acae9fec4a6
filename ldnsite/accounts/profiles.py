"""What a member's public page (/members/<id>/) shows, registered by the apps that hold it, so that this
shared app names none of them.

    profiles.register("experiences", order=10, items=lambda member: ..., template="testimonials/....html")

``items(member)`` returns a queryset, from the app's public door, of what the member shows under their
display name; any row in it counts as a public contribution (a member without one has no page). The
template gets ``items`` and ``member``. One section may be long: with ``paginate_by`` it is shown a page at
a time (the page's ``page`` parameter), and its template also gets ``page_obj``. Sections are shown by
``order``.

``items`` may use the member only as a value in queryset filters (``.filter(author=member)``): it is also
called with ``OuterRef("pk")``, to ask of many members at once which of them have a page
(with_public_page).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    items: Callable
    template: str
    paginate_by: int | None = None


_sections: dict[str, Section] = {}


def register(key: str, *, order: int, items: Callable, template: str, paginate_by: int | None = None) -> None:
    if key in _sections:
        raise ValueError(f"A member page section named {key!r} is already registered.")
    if paginate_by and any(section.paginate_by for section in _sections.values()):
        raise ValueError("Only one member page section can be paginated: they would share ?page=.")
    _sections[key] = Section(key, order, items, template, paginate_by)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: section.order)


def page_owners(members):
    """The members who may have a page at all, the view's own rule: active, with a verified primary
    address."""
    return members.filter(is_active=True, emailaddress__primary=True, emailaddress__verified=True)


def with_public_page(members):
    """`members` (a queryset of users), each annotated `has_public_page`: whether /members/<id>/ shows them,
    asked of every member in the one query (an EXISTS per registered section)."""
    shown = Q()
    for section in sections():
        shown |= Q(Exists(section.items(OuterRef("pk"))))
    owners = page_owners(members.model._default_manager.all()).filter(pk=OuterRef("pk"))
    if not shown:
        return members.annotate(has_public_page=Value(False, output_field=BooleanField()))
    return members.annotate(
        has_public_page=ExpressionWrapper(Q(Exists(owners)) & shown, output_field=BooleanField())
    )
