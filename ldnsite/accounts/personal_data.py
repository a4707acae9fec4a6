"""What a member gave the site, registered by the apps that hold it, so that accounts names none of them.

Each app registers, in its AppConfig.ready(), one entry per key of the member's download:

    personal_data.register("comments", order=20, export=..., erase=..., authored=...)

- ``export(member)``: what goes under ``key`` in the download (JSON-able; DjangoJSONEncoder), in a fixed
  number of queries however much the member gave;
- ``erase(member, *, anonymise)``: removes it when the member deletes their account, inside that transaction.
  ``anonymise`` is the member's choice to leave what they published on the site without their name;
- ``authored(member)``: a queryset of the rows the member wrote. The moderation log's decisions about them
  are part of the download, and the admin log's lines naming them go with the account.

Keys appear in the download, and are erased, by ``order`` (then by registration): the download's shape is
an interface, and erasing what others hang from (an experience and its discussion) comes first.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Kind:
    key: str
    order: int
    export: Callable[[object], object]
    erase: Callable[..., None] | None
    authored: Callable[[object], QuerySet] | None


_kinds: dict[str, Kind] = {}


def register(
    key: str,
    *,
    order: int,
    export: Callable[[object], object],
    erase: Callable[..., None] | None = None,
    authored: Callable[[object], QuerySet] | None = None,
) -> None:
    if key in _kinds:
        raise ValueError(f"Personal data under {key!r} is already registered.")
    _kinds[key] = Kind(key, order, export, erase, authored)


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: kind.order)


def authored(member) -> list[QuerySet]:
    """The rows `member` wrote, one queryset per kind that has them."""
    return [kind.authored(member) for kind in kinds() if kind.authored is not None]
