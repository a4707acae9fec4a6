from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ldnsite.paging import CappedPaginator
from ldnsite.ratelimit import is_limited

from . import services, targets
from .forms import PreferencesForm
from .models import Kind, Notification

PER_PAGE = 25


def _too_fast(request: HttpRequest, what: str, rate: tuple[int, int]) -> bool:
    limit, period = rate
    return is_limited(f"notifications:{what}:{request.user.pk}", limit=limit, period=period)


def _back_to_inbox(request: HttpRequest) -> HttpResponse:
    """To the page of the inbox the member was reading."""
    url, page = reverse("notifications:inbox"), request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() and page != "1" else url)


@login_required
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    """The member's notifications, newest first, only those whose target they can still see."""
    notifications = Notification.objects.for_member(request.user).select_related("actor")
    page = CappedPaginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {"page_obj": page, "notifications": services.with_targets(page.object_list, request.user)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    if _too_fast(request, "read", settings.NOTIFICATIONS_RATE_READ):
        messages.error(request, "That was a lot of clicks at once: please wait a minute and try again.")
        return _back_to_inbox(request)
    services.mark_read(request.user, pk)
    return _back_to_inbox(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    if _too_fast(request, "read", settings.NOTIFICATIONS_RATE_READ):
        messages.error(request, "That was a lot of clicks at once: please wait a minute and try again.")
        return _back_to_inbox(request)
    if services.mark_all_read(request.user):
        messages.success(request, "All your notifications are marked as read.")
    return redirect("notifications:inbox")


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks the notification read and goes to what it is about (a POST: reading a page changes nothing)."""
    found = services.with_targets(
        Notification.objects.for_member(request.user).select_related("actor").filter(pk=pk), request.user
    )
    if not found:
        raise Http404("No such notification.")
    if not _too_fast(request, "read", settings.NOTIFICATIONS_RATE_READ):
        services.mark_read(request.user, pk)
    return redirect(targets.exact_url(found[0].registration, found[0].target))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """E-mail choices per kind of notification."""
    current = services.deliveries(request.user)
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if _too_fast(request, "settings", settings.NOTIFICATIONS_RATE_SETTINGS):
            form.is_valid()  # keeps the member's choices shown
            messages.error(
                request, "Too many changes in a short time: please wait a few minutes and save again."
            )
            status = 429
        elif form.is_valid():
            services.set_deliveries(request.user, form.cleaned_data)
            messages.success(request, "Your e-mail choices are saved.")
            return redirect("notifications:settings")
        else:
            status = 400
    else:
        form = PreferencesForm(initial=current)
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


@csrf_exempt  # the signed token is the authority; mail clients send one-click unsubscribes without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST (the button, or a mail client's one-click) turns that kind's e-mail off."""
    data = services.read_unsubscribe_token(token)
    member = None
    if data is not None:
        member = get_user_model().objects.filter(pk=data[0], is_active=True).first()
    if member is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    member_id, kinds = data
    labels = [Kind(kind).label.lower() for kind in kinds]
    if request.method == "POST":
        limit, period = settings.NOTIFICATIONS_RATE_SETTINGS
        if is_limited(f"notifications:unsubscribe:{member_id}", limit=limit, period=period):
            context = {"labels": labels, "token": token, "limited": True}
            return render(request, "notifications/unsubscribe.html", context, status=429)
        services.set_deliveries(member, dict.fromkeys(kinds, "off"))
        return render(request, "notifications/unsubscribe.html", {"done": True, "labels": labels})
    return render(request, "notifications/unsubscribe.html", {"labels": labels, "token": token})
