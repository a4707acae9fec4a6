"""Where the test mode looks: the recent texts of each kind that watched words apply to.

Each app that applies watched words to its texts registers them in its AppConfig.ready(), so this app names
none of them:

    sources.register("comment", label="Comments", recent=recent_comments)

`recent(limit)` gives the newest texts, at most `limit`, as (url, text) pairs (url may be ""), in a fixed
number of queries. Moderators alone see the test mode, so held and pending texts may be included; text that
its author deleted or withdrew must not be.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    kind: str
    label: str
    recent: Callable[[int], Iterable[tuple[str, str]]]


_sources: dict[str, Source] = {}


def register(kind: str, *, label: str, recent: Callable[[int], Iterable[tuple[str, str]]]) -> None:
    if kind in _sources:
        raise ValueError(f"A watched-words source named {kind!r} is already registered.")
    _sources[kind] = Source(kind, label, recent)


def unregister(kind: str) -> None:
    _sources.pop(kind, None)


def sources() -> list[Source]:
    return list(_sources.values())


def clear() -> None:
    _sources.clear()
