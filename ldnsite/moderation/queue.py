"""The moderators' queue (/moderation/): the sections that apps register, in the order they name.

The moderation app names no kind of content. An app with something waiting for a moderator registers its
sections in its AppConfig.ready(), as the admin's register() does:

    queue.register(
        Section(key="held-heading", label="Held comments", permission=MODERATE_PERMISSION, order=300,
                template="comments/queue/held.html", waiting=held_comments),
        ...,
        urls=[path("comments/<int:pk>/<str:action>/", decide_comment, name="decide_comment")],
    )

Whoever acts with a section's permission (ldnsite.privileges) sees it, and holding the permission of any
section is what makes an account a moderator. `waiting(request)` says what waits: how many in all, and the
context of the section's template (the oldest items first, at most LIMIT, in a number of queries that does
not grow with them). The template renders the whole <section>; its heading has the id `key`, which is also
the section's link at the top of the page. The `urls` (mounted under /moderation/ in the `moderation`
namespace) are the app's decision views: each calls the app's own transition functions, with the helpers
of ldnsite.moderation.decisions.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import IntegerField, QuerySet, Subquery
from django.http import HttpRequest

from ldnsite.privileges import add_moderator_permission, forget_moderator_permissions

LIMIT = 100


@dataclass(frozen=True)
class Waiting:
    """What one section shows: how many wait in all, and what its template needs to list them."""

    total: int
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    permission: str
    template: str
    waiting: Callable[[HttpRequest], Waiting]
    order: int = 1000


_sections: dict[str, Section] = {}
_urls: list = []


def register(*sections: Section, urls: Sequence = ()) -> None:
    """Add an app's sections and the URLs of the views that decide them."""
    names = {pattern.name for pattern in _urls}
    for section in sections:
        if section.key in _sections:
            raise ValueError(f"A moderation queue section named {section.key!r} is already registered.")
    for pattern in urls:
        if pattern.name in names:
            raise ValueError(f"A moderation decision URL named {pattern.name!r} is already registered.")
    for section in sections:
        _sections[section.key] = section
        add_moderator_permission(section.permission)
    _urls.extend(urls)


def sections() -> list[Section]:
    """In page order; sections of the same order keep the order they were registered in."""
    return sorted(_sections.values(), key=lambda section: section.order)


def urlpatterns() -> list:
    return list(_urls)


def first_and_total(queryset: QuerySet) -> tuple[list, int]:
    """A section's first LIMIT items (in the queryset's order) and how many wait in all: the real number,
    which costs a COUNT query only when the list is full."""
    items = list(queryset[:LIMIT])
    total = len(items) if len(items) < LIMIT else queryset.count()
    return items, total


def clear() -> None:
    """For tests that build a queue of their own: nobody moderates until sections are registered again."""
    _sections.clear()
    _urls.clear()
    forget_moderator_permissions()


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery: a number per row, without a query per row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()
