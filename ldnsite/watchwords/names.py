"""Watched words in display names, through the accounts app's screening registry (ldnsite.accounts.screening).

A name cannot wait for a moderator: a blocked word refuses it (the member chooses another); a held or flagged
one lets it through, and the match waits in the moderators' queue for a look.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from .matching import Result, record, scan
from .models import Action

WHERE = "display name"


@dataclass(frozen=True)
class NameVerdict:
    result: Result

    @property
    def refusal(self) -> str:
        found = self.result.labels(Action.BLOCK)
        return (
            f"A display name cannot contain {' or '.join(found)}. Please choose another name."
            if found
            else ""
        )

    def record(self, member, *, taken: bool, url: str = "") -> None:
        if taken:
            record(self.result, where=WHERE, member=member, url=url, shown=True)
        elif self.result.blocked:
            record(self.result, where=WHERE, member=member)


def screen(name: str) -> NameVerdict:
    return NameVerdict(scan(name))


def recent_names(limit: int):
    """For the test mode: the display names of the newest members (no page to link to: a member without
    public contributions has none)."""
    names = get_user_model().objects.order_by("-date_joined", "-pk").values_list("display_name", flat=True)
    return [("", name) for name in names[:limit]]
