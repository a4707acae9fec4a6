from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ldnsite.accounts.verified import has_verified_email
from ldnsite.ratelimit import is_limited

from . import marks, registry


def _wants_json(request: HttpRequest) -> bool:
    """The page's script (static/js/helpful.js) asks for JSON; a plain form submit gets a redirect."""
    return "application/json" in request.headers.get("Accept", "")


def _back(request: HttpRequest, item) -> str:
    """Where the form came from (the item's place on its page), if it is an address on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return item.get_absolute_url()


def _refused(request: HttpRequest, item, message: str, status: int) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return render(
        request, "helpful/refused.html", {"message": message, "back": _back(request, item)}, status=status
    )


@login_required
@require_POST
def toggle(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Mark an item helpful (action=mark) or take the mark back (action=undo); without an action, the
    opposite of what the member has now. An explicit action makes a form sent twice change nothing more."""
    registration = registry.by_kind(kind)
    item = registration.find_public(pk) if registration is not None else None
    if item is None:
        raise Http404("Nothing to mark here.")
    member = request.user
    if not has_verified_email(member):
        message = "Please confirm your e-mail address before you mark anything as helpful."
        if _wants_json(request):
            return JsonResponse({"error": message}, status=403)
        messages.error(request, message)
        return redirect("account_email")
    if registration.author_id(item) == member.pk:
        return _refused(request, item, "You cannot mark your own words as helpful.", 403)
    limit, period = getattr(settings, "HELPFUL_RATE_MEMBER", (30, 10 * 60))
    if is_limited(f"helpful:{member.pk}", limit=limit, period=period):
        return _refused(
            request,
            item,
            "You are marking faster than we allow. Please wait a few minutes and try again.",
            429,
        )
    action = request.POST.get("action")
    if action not in ("mark", "undo"):
        action = "undo" if marks.marked_by(member, [item]) else "mark"
    try:
        if action == "mark":
            marks.mark(item, by=member)
        else:
            marks.unmark(item, by=member)
    except marks.NotPublic:  # taken off the site since it was found above
        raise Http404("Nothing to mark here.") from None
    if _wants_json(request):
        count = marks.counts_for([item]).get(marks.key(item), 0)
        return JsonResponse({"marked": action == "mark", "count": count})
    return redirect(_back(request, item))
