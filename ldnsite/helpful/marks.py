"""Marking an item helpful and undoing it, and reading marks and counts for a page of items.

mark() and unmark() are the only writers of HelpfulMark and HelpfulCount (besides an item's deletion, the
member's erasure and the recount): each moves the kept count in the transaction that adds or deletes the
mark, and refreshes the pages that show the item once it commits.
"""

import logging
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from ldnsite import pagecache

from . import registry
from .models import HelpfulCount, HelpfulMark

logger = logging.getLogger(__name__)


class NotPublic(Exception):
    """The item is not public (pending, hidden, removed): it cannot be marked or unmarked."""


class OwnContent(Exception):
    """Members do not mark their own content helpful."""


def _check(item, by) -> registry.Kind:
    registration = registry.of(item)
    if not registration.is_public(item):
        raise NotPublic
    if registration.author_id(item) == by.pk:
        raise OwnContent
    return registration


def is_own(item, user) -> bool:
    return user.is_authenticated and registry.of(item).author_id(item) == user.pk


def mark(item, *, by) -> bool:
    """`by` finds a public item that is not theirs helpful; False when they already had (nothing changes)."""
    kind = _check(item, by).kind
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the constraint answers a double submit or a race
                HelpfulMark.objects.create(member=by, kind=kind, object_id=item.pk)
        except IntegrityError:
            return False
        HelpfulCount.objects.bulk_create([HelpfulCount(kind=kind, object_id=item.pk)], ignore_conflicts=True)
        HelpfulCount.objects.filter(kind=kind, object_id=item.pk).update(count=F("count") + 1)
        pagecache.refresh(*pagecache.pages_of(item))
    return True


def unmark(item, *, by) -> bool:
    """`by` takes back their mark on a public item; False when there was none."""
    kind = _check(item, by).kind
    with transaction.atomic():
        deleted, _ = HelpfulMark.objects.filter(member=by, kind=kind, object_id=item.pk).delete()
        if not deleted:
            return False
        HelpfulCount.objects.filter(kind=kind, object_id=item.pk).update(count=F("count") - 1)
        pagecache.refresh(*pagecache.pages_of(item))
    return True


def _items_by_kind(items) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    for item in items:
        ids.setdefault(registry.of(item).kind, []).append(item.pk)
    return ids


def _of_items(items) -> Q | None:
    by_kind = _items_by_kind(items)
    if not by_kind:
        return None
    condition = Q()
    for kind, ids in by_kind.items():
        condition |= Q(kind=kind, object_id__in=ids)
    return condition


def counts_for(items) -> dict[tuple[str, int], int]:
    """{(kind, pk): count} for `items` (marked ones only; get() with 0), in one query however many."""
    condition = _of_items(items)
    if condition is None:
        return {}
    rows = HelpfulCount.objects.filter(condition, count__gt=0).values_list("kind", "object_id", "count")
    return {(kind, object_id): count for kind, object_id, count in rows}


def marked_by(user, items) -> set[tuple[str, int]]:
    """{(kind, pk)} of `items` that `user` marked helpful, in one query however many (none if anonymous)."""
    condition = _of_items(items)
    if condition is None or not user.is_authenticated:
        return set()
    return set(HelpfulMark.objects.filter(condition, member=user).values_list("kind", "object_id"))


def key(item) -> tuple[str, int]:
    return registry.of(item).kind, item.pk


def with_counts(queryset, name: str = "helpful_count"):
    """`queryset` (of a registered model) with each item's kept count as `name`, read in the same query."""
    kind = registry.of(queryset.model).kind
    kept = HelpfulCount.objects.filter(kind=kind, object_id=OuterRef("pk")).values("count")[:1]
    return queryset.annotate(**{name: Coalesce(Subquery(kept), Value(0), output_field=IntegerField())})


def most_helpful_first(queryset, name: str = "helpful_count"):
    """`queryset` with its counts (with_counts), most marks first, then in its own order."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return with_counts(queryset, name).order_by(f"-{name}", *ordering)


def rebuild() -> dict[tuple[str, int], tuple[int, int]]:
    """Set every kept count to a recount of the marks; returns what was wrong, as {(kind, pk): (kept, true)}.

    The counts are locked before the marks are read, so a mark committing meanwhile waits and moves the
    new value."""
    with transaction.atomic():
        kept = {
            (kind, object_id): count
            for kind, object_id, count in HelpfulCount.objects.select_for_update()
            .order_by("kind", "object_id")
            .values_list("kind", "object_id", "count")
        }
        true = Counter(HelpfulMark.objects.values_list("kind", "object_id").order_by().iterator(2_000))
        wrong = {
            item: (kept.get(item, 0), true[item])
            for item in kept.keys() | true.keys()
            if kept.get(item, 0) != true[item]
        }
        if wrong:
            HelpfulCount.objects.bulk_create(
                [HelpfulCount(kind=kind, object_id=pk, count=true[kind, pk]) for kind, pk in sorted(wrong)],
                update_conflicts=True,
                unique_fields=["kind", "object_id"],
                update_fields=["count"],
            )
            pagecache.refresh(pagecache.EVERY_PAGE)  # no signal tells the page cache
    return wrong
