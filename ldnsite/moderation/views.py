"""The moderators' queue: the registered sections (ldnsite.moderation.queue) that the moderator may decide.

Reading happens here; the decisions are the registering apps' own views (their `urls`), which call one
transition function from the app's moderation.py.
"""

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from ldnsite.privileges import moderator_required, privileges

from . import queue as registry

# Where a decision sends the moderator back to (?at=...): a section, a card or a form, by its id.
PLACE = re.compile(r"[a-z][a-z0-9-]{0,80}")


@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    """The moderators' page: every section the moderator may decide, each with what waits in it."""
    acting = privileges(request)
    at = request.GET.get("at", "")
    at = at if PLACE.fullmatch(at) else ""
    shown = []
    for section in registry.sections():
        if acting.has(section.permission):
            waiting = section.waiting(request)
            context = {**waiting.context, "section": section, "total": waiting.total, "at": at}
            html = render_to_string(section.template, context, request)
            shown.append({"key": section.key, "label": section.label, "total": waiting.total, "html": html})
    return render(request, "moderation/queue.html", {"sections": shown})
