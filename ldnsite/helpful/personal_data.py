"""A member's helpful marks in their download, and gone with their account (ldnsite.accounts.personal_data).

Erasing takes one off each count the member's marks added to, in the account deletion's transaction."""

from django.db.models import F, Q

from ldnsite.accounts import personal_data

from . import registry
from .models import HelpfulCount, HelpfulMark


def export(member) -> list[dict]:
    """Every mark, newest first; whether the item is still public is asked once per kind of item."""
    rows = list(HelpfulMark.objects.filter(member=member).values_list("kind", "object_id", "created_at"))
    ids_by_kind: dict[str, set[int]] = {}
    for kind, object_id, _at in rows:
        ids_by_kind.setdefault(kind, set()).add(object_id)
    public = set()
    for kind, ids in ids_by_kind.items():
        registration = registry.by_kind(kind)
        if registration is not None:
            found = registration.public().filter(pk__in=ids).values_list("pk", flat=True)
            public.update((kind, pk) for pk in found)
    return [
        {"kind": kind, "id": object_id, "marked_at": at, "still_published": (kind, object_id) in public}
        for kind, object_id, at in rows
    ]


def erase(member, *, anonymise: bool) -> None:
    marked = HelpfulMark.objects.filter(member=member)
    ids_by_kind: dict[str, list[int]] = {}
    for kind, object_id in marked.values_list("kind", "object_id"):
        ids_by_kind.setdefault(kind, []).append(object_id)
    items = Q()
    for kind, ids in ids_by_kind.items():
        items |= Q(kind=kind, object_id__in=ids)
    if items:
        # Each item has at most one of the member's marks (the constraint): one off each count.
        HelpfulCount.objects.filter(items).update(count=F("count") - 1)
    marked.delete()


def register() -> None:
    personal_data.register("helpful_marks", order=55, export=export, erase=erase)
