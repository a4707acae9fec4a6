from django.contrib import messages

from .exceptions import InvalidTransition


def apply_transition(modeladmin, request, queryset, transition, done: str, **kwargs) -> None:
    """Run one transition function on each selected row, as an admin action, and report what happened."""
    moved = 0
    for obj in queryset:
        try:
            transition(obj, by=request.user, **kwargs)
            moved += 1
        except InvalidTransition as exc:
            modeladmin.message_user(request, f"“{obj}”: {exc}", messages.WARNING)
    if moved:
        modeladmin.message_user(request, f"{moved} {done}.", messages.SUCCESS)
