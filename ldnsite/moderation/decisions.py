"""What every decision view of the queue does around the app's transition function.

A decision is a POST that calls one transition function from the app's moderation.py. A decision that
another moderator already made (or that lost a race) changes nothing and says so; the moderator is sent back
to the place on the page where they were working.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .exceptions import STALE_DECISION, InvalidTransition, ItemChanged, OwnContent

ALREADY_DECIDED = "was already decided by another moderator; nothing changed"


def back_to(place: str) -> HttpResponse:
    """Back to the queue at the place the moderator was working (a section, a card, a form); the outcome
    is repeated there, because the page's own messages at the top are scrolled out of view."""
    return redirect(reverse("moderation:queue") + f"?{urlencode({'at': place})}#{place}")


def decide(
    request: HttpRequest,
    name: str,
    transition: Callable,
    obj,
    *,
    explain: dict[str, str] | None = None,
    **kwargs,
) -> bool:
    """Run one transition and tell the moderator what happened; True if it was done. `explain` words a
    refusal by the state the item is in now (e.g. {"withdrawn": "was withdrawn by its author"})."""
    try:
        transition(obj, by=request.user, **kwargs)
    except InvalidTransition as exc:
        if explain and exc.current in explain:
            messages.warning(request, f"{name} {explain[exc.current]}; nothing changed.")
        else:
            messages.warning(request, f"{name} {ALREADY_DECIDED} (it is now {exc.current}).")
        return False
    except ObjectDoesNotExist:
        messages.warning(request, f"{name} no longer exists (its author may have deleted it).")
        return False
    except ItemChanged:
        messages.warning(request, f"{name}: {STALE_DECISION} Nothing changed.")
        return False
    except OwnContent:
        messages.error(request, f"{name} is your own; another moderator needs to decide on it.")
        return False
    return True


def refuse_own(request: HttpRequest, name: str, author_id: int | None) -> bool:
    """Moderators do not decide on their own writing: another moderator does."""
    if author_id is not None and author_id == request.user.pk:
        messages.error(request, f"{name} is your own; another moderator needs to decide on it.")
        return True
    return False
