"""What each app adds to the demo site (load_demo) and to the volume seed (seed_volume).

The demo app names no domain app: each one registers its builders in its AppConfig.ready(), as it registers
its comment subjects and search sources:

    builders.register(
        "articles", order=10, content=demo.load, volume=demo.volume,
        volume_options=[VolumeOption("articles", 200, "Articles, citing the studies."), ...],
    )

- ``content(team)`` builds the content every install shows (the team account is the author), safe to run
  again, and returns a line for the command to print;
- ``debug_content(member=, moderator=)`` adds content by the demo accounts, which exist only with DEBUG on;
  it returns a line to print, or "" when there was nothing to add;
- ``volume(counts, run)`` bulk-creates synthetic content for benchmarks. ``counts`` holds this builder's
  ``volume_options`` as the command received them; ``run`` gives the run's members, staff and repeatable
  fake data (see seed_volume). It returns a ``Volume``: what to print, and the public subjects that the
  command should give comments to (the first one gets the most, so builders that come first say what the
  benchmarks' busiest page is).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class VolumeOption:
    name: str  # the seed_volume option (--name) and the key in `counts`
    default: int
    help: str
    needs_members: bool = False  # content written by members: the run must have some


@dataclass(frozen=True)
class Volume:
    summary: str  # e.g. "200 articles, 50 studies"
    discussed: list = field(default_factory=list)
    # How much discussion each kind of subject draws, by comment-subject kind (1 when not named).
    weights: dict[str, int] = field(default_factory=dict)
    # A subject that should get as many comments as any discussion but the most discussed one (a page the
    # benchmarks read), or None.
    busy: object = None


@dataclass(frozen=True)
class Builder:
    key: str
    order: int
    content: Callable[[object], str] | None
    debug_content: Callable[..., str] | None
    volume: Callable[[dict, object], Volume] | None
    volume_options: tuple[VolumeOption, ...]


_builders: dict[str, Builder] = {}


def register(
    key: str,
    *,
    order: int,
    content: Callable[[object], str] | None = None,
    debug_content: Callable[..., str] | None = None,
    volume: Callable[[dict, object], Volume] | None = None,
    volume_options: Sequence[VolumeOption] = (),
) -> None:
    if key in _builders:
        raise ValueError(f"Demo content under {key!r} is already registered.")
    taken = {option.name for builder in _builders.values() for option in builder.volume_options}
    clash = taken & {option.name for option in volume_options}
    if clash:
        raise ValueError(f"The seed_volume option(s) {sorted(clash)} are already registered.")
    _builders[key] = Builder(key, order, content, debug_content, volume, tuple(volume_options))


def unregister(key: str) -> None:
    """For tests that register builders of their own."""
    del _builders[key]


def registered() -> list[Builder]:
    return sorted(_builders.values(), key=lambda builder: builder.order)


def volume_options() -> list[VolumeOption]:
    return [option for builder in registered() for option in builder.volume_options]
