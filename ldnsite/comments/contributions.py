"""Has a member an approved contribution? Each app that approves members' writing says so here.

Reports count toward hiding a comment only from established members, and "established" includes having had
something approved: a published comment, an approved member experience, whatever a later app adds. The
comments app cannot name those apps (shared apps never import domain apps), so each registers a check in its
AppConfig.ready(), as the admin's register() does.
"""

from collections.abc import Callable

_CHECKS: dict[str, Callable[[object], bool]] = {}


def register(key: str, *, has_approved: Callable[[object], bool]) -> None:
    """`has_approved(member)` answers for one app's contributions, in one query."""
    if key in _CHECKS:
        raise ValueError(f"Two apps registered contributions under the key {key!r}.")
    _CHECKS[key] = has_approved


def has_approved_contribution(member) -> bool:
    return any(check(member) for check in _CHECKS.values())
