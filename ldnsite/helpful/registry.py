"""What the helpful app learns from the apps whose content can be marked helpful, without importing them.

An app registers each kind of item in its AppConfig.ready(), with one call:

    helpful.registry.register(Testimonial, kind="testimonial", public=Testimonial.objects.public,
                              author_id=lambda story: story.author_id)

- ``kind``: the word for it in URLs (/helpful/<kind>/<pk>/) and in HelpfulMark and HelpfulCount rows; stored
  in the database, so it never changes once used;
- ``public``: the one door to the public, a callable returning the queryset of items anyone may read. Only
  those can be marked, unmarked or have their count shown; a hidden item keeps its marks, unseen;
- ``author_id(item)``: the id of the member who wrote it (or None): nobody marks their own content, also
  when it is shown without their name (an anonymous story).

Deleting a registered item deletes its marks and its count, as a foreign key with CASCADE would.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models.signals import pre_delete


@dataclass(frozen=True)
class Kind:
    model: type
    kind: str
    public: Callable[[], object]
    author_id: Callable[[object], int | None]

    def find_public(self, pk: int):
        """The public item with this key, or None."""
        return self.public().filter(pk=pk).first()

    def is_public(self, item) -> bool:
        return self.public().filter(pk=item.pk).exists()


_by_kind: dict[str, Kind] = {}
_by_model: dict[type, Kind] = {}


def register(
    model: type, *, kind: str, public: Callable[[], object], author_id: Callable[[object], int | None]
) -> None:
    if kind in _by_kind or model in _by_model:
        raise ValueError(f"{model._meta.label} or the kind {kind!r} can already be marked helpful.")
    registration = Kind(model, kind, public, author_id)
    _by_kind[kind] = registration
    _by_model[model] = registration
    pre_delete.connect(_delete_marks, sender=model, dispatch_uid=f"helpful-{kind}")


def unregister(kind: str) -> None:
    """For tests that register a kind of their own."""
    registration = _by_kind.pop(kind)
    del _by_model[registration.model]
    pre_delete.disconnect(sender=registration.model, dispatch_uid=f"helpful-{kind}")


def registered() -> list[Kind]:
    return list(_by_kind.values())


def by_kind(kind: str) -> Kind | None:
    return _by_kind.get(kind)


def of(item_or_model) -> Kind:
    """The registration of an item (or its model); KeyError for a model nobody registered."""
    model = item_or_model if isinstance(item_or_model, type) else type(item_or_model)
    return _by_model[model._meta.concrete_model]


def is_registered(item_or_model) -> bool:
    model = item_or_model if isinstance(item_or_model, type) else type(item_or_model)
    return model._meta.concrete_model in _by_model


def _delete_marks(sender, instance, **kwargs) -> None:
    kind = of(sender).kind
    for name in ("HelpfulMark", "HelpfulCount"):
        apps.get_model("helpful", name).objects.filter(kind=kind, object_id=instance.pk).delete()
