"""Admin actions that decide items: the same transition functions as the queue, after the same reading.

An action first shows every selected item in full, each with the version the moderator reads (a hidden
`seen-<pk>` field); confirming decides on those versions only, so an item that changed since is refused and
named, exactly as in the queue.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from .exceptions import InvalidTransition, ItemChanged, OwnContent


def apply_transition(
    modeladmin, request, queryset, transition, done: str, *, versions=None, **kwargs
) -> None:
    """Run one transition function on each selected row, as an admin action, and report what happened.
    `versions` maps a pk to the version the moderator read (else the transition does not compare)."""
    moved = 0
    for obj in queryset:
        if versions is not None:
            kwargs["seen"] = versions.get(obj.pk, "")
        try:
            transition(obj, by=request.user, **kwargs)
            moved += 1
        except (InvalidTransition, ItemChanged, OwnContent) as exc:
            modeladmin.message_user(request, f"“{obj}”: {exc}", messages.WARNING)
    if moved:
        modeladmin.message_user(request, f"{moved} {done}.", messages.SUCCESS)


def decide_after_reading(
    modeladmin,
    request,
    queryset,
    transition: Callable,
    *,
    done: str,
    title: str,
    explanation: str,
    button: str,
    read: Callable[[object], dict],
    form_class: type[forms.Form] | None = None,
    reason_from: Callable[[forms.Form], str] | None = None,
    **kwargs,
) -> TemplateResponse | None:
    """Show the selected items in full (`read(obj)` -> {"heading", "status", "text", "version"}) with a
    confirm button (and a form, e.g. for a reason); on confirmation run `transition` on each, on the version
    read. Returns the page to show, or None to go back to the list."""
    confirmed = request.POST.get("post") == "yes"
    form = form_class(request.POST if confirmed else None) if form_class else None
    if confirmed and (form is None or form.is_valid()):
        if form is not None and reason_from is not None:
            kwargs["reason"] = reason_from(form)
        versions = {obj.pk: request.POST.get(f"seen-{obj.pk}", "") for obj in queryset}
        apply_transition(modeladmin, request, queryset, transition, done, versions=versions, **kwargs)
        return None
    items = [{"pk": obj.pk, **read(obj)} for obj in queryset]
    if not items:  # nothing left to decide (e.g. only the moderator's own were selected)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "explanation": explanation,
        "button": button,
        "opts": modeladmin.model._meta,
        "items": items,
        "form": form,
        "action_name": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "moderation/admin_decide.html", context)
