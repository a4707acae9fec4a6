"""Checks that other apps run on a display name a member chooses, so that accounts names none of them.

An app registers a screen in its AppConfig.ready() (ldnsite.watchwords does, for watched words):

    screening.register(screen)

`screen(name)` returns a verdict with `refusal` (a message saying why the name cannot be used, or "") and
`record(member, *, taken: bool, url: str = "")`, which the view calls once the outcome is known: after the
name is saved (`taken`), or after it was refused (`member` may be None at sign-up).
"""

from collections.abc import Callable

_screens: list[Callable] = []


def register(screen: Callable) -> None:
    if screen in _screens:
        raise ValueError(f"The display-name screen {screen!r} is already registered.")
    _screens.append(screen)


def unregister(screen: Callable) -> None:
    if screen in _screens:
        _screens.remove(screen)


def screen(name: str) -> list:
    """Every registered screen's verdict on `name`."""
    return [check(name) for check in _screens]


def record(verdicts: list, member, *, taken: bool, url: str = "") -> None:
    for verdict in verdicts:
        verdict.record(member, taken=taken, url=url)
