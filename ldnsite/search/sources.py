"""What /search/ looks through, registered by the apps that hold it: this shared app names none of them.

Each domain app registers its sources in its AppConfig.ready(), as the admin's register() does:

    sources.register("studies", model=Study, heading="Study summaries", fields=(...), ...)

The key is the group's `in=` value in addresses; groups are shown in the order they were registered
(INSTALLED_APPS order: evidence before experience). Every search starts from the model's public door,
``Model.objects.public()``, so nothing a reader may not see can be found.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

DEFAULT_RESULT_TEMPLATE = "search/includes/result.html"


@dataclass(frozen=True)
class Source:
    """One kind of result: how to find it, and how to show it."""

    key: str
    model: type
    heading: str
    # What the SQLite fallback looks in: the same fields as the PostgreSQL search document
    # (ldnsite.fulltext.AddSearchDocument in the model's migrations).
    fields: tuple[str, ...]
    snippet_fields: tuple[str, ...]
    # For the help shown before a search, and the links offered when nothing matches.
    description: str = ""
    browse_url_name: str = ""
    browse_label: str = ""
    # How one result reads (it gets `result`), and what stands above the group's results.
    result_template: str = DEFAULT_RESULT_TEMPLATE
    intro_template: str = ""
    section_class: str = ""
    select_related: tuple[str, ...] = ()

    def public(self) -> QuerySet:
        return self.model.objects.public()


_sources: dict[str, Source] = {}


def register(
    key: str,
    *,
    model: type,
    heading: str,
    fields: Iterable[str],
    snippet_fields: Iterable[str],
    **options,
) -> Source:
    if key in _sources:
        raise ValueError(f"A search source with the key {key!r} is already registered.")
    if not callable(getattr(model.objects, "public", None)):
        raise ValueError(f"{model._meta.label} has no public() door: search starts from it.")
    source = Source(key, model, heading, tuple(fields), tuple(snippet_fields), **options)
    _sources[key] = source
    return source


def unregister(key: str) -> None:
    """For tests that add a source of their own."""
    _sources.pop(key, None)


def get(key: str) -> Source | None:
    return _sources.get(key)


def is_key(value: str) -> bool:
    """An `in=` value that names a registered source (the page cache keeps only those)."""
    return value in _sources


def all() -> list[Source]:  # noqa: A001 - read as sources.all(), like a queryset
    return list(_sources.values())
