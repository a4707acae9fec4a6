from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ldnsite import rediscache
from ldnsite.http import client_ip
from ldnsite.ratelimit import is_limited

from . import facts
from .forms import ContactForm
from .mail import editors_addresses, send_to_editors
from .models import PageSlug, SitePage

# What each page shows beside its Markdown, drawn from the code (ldnsite.pages.facts).
EXTRAS = {
    PageSlug.PRIVACY: lambda: {"retention": facts.retention()},
    PageSlug.GUIDELINES: lambda: {"limits": facts.limits()},
}
SENT_TOKEN_SECONDS = 24 * 60 * 60


def _page(slug: str) -> SitePage:
    return get_object_or_404(SitePage.objects.public(), slug=slug)


def site_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One of the site's own pages: the editors' Markdown, and for some pages figures from the code."""
    page = _page(slug)
    extras = EXTRAS.get(PageSlug(slug))
    return render(request, "pages/sitepage_detail.html", {"page": page, **(extras() if extras else {})})


def _contact_page(request, form: ContactForm, *, status: int = 200) -> HttpResponse:
    context = {"page": _page(PageSlug.CONTACT), "form": form}
    return render(request, "pages/contact.html", context, status=status)


def _limited(request: HttpRequest, email: str) -> bool:
    """Count this message against the sender's address and their IP address; True when either is used up."""
    per_address, per_ip = settings.CONTACT_RATE_PER_ADDRESS, settings.CONTACT_RATE_PER_IP
    by_address = is_limited(f"contact:email:{email.casefold()}", limit=per_address[0], period=per_address[1])
    by_ip = is_limited(f"contact:ip:{client_ip(request)}", limit=per_ip[0], period=per_ip[1])
    return by_address or by_ip


def _send_once(form: ContactForm, recipients: list[str]) -> None:
    """Queue the message unless this form (its token) was sent before: a double click or a reload sends one.
    While the cache is unavailable every message is sent (a duplicate rather than a lost message)."""
    data = form.cleaned_data
    key = f"contact:sent:{data['token']}"
    if not cache.add(key, True, SENT_TOKEN_SECONDS) and not rediscache.is_unavailable():
        return
    try:
        send_to_editors(
            name=data["name"],
            email=data["email"],
            topic=form.topic_label(),
            message=data["message"],
            recipients=recipients,
        )
    except Exception:  # not queued: sending the form again must not count as a duplicate
        cache.delete(key)
        raise


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: queue the message to the editors, or show the form again with the text kept."""
    if request.method == "GET":
        return _contact_page(request, ContactForm())

    form = ContactForm(request.POST)
    if not form.is_valid():
        return _contact_page(request, form, status=400)
    data = form.cleaned_data
    if form.is_robot:  # answered as if sent, so that the robot learns nothing
        return redirect("pages:contact_sent")
    if _limited(request, data["email"]):
        wait = facts.duration(max(settings.CONTACT_RATE_PER_ADDRESS[1], settings.CONTACT_RATE_PER_IP[1]))
        form.add_error(
            None,
            "You have sent us several messages in a short time, so this one was not sent. Please try again "
            f"in {wait}: your message is still in the form.",
        )
        return _contact_page(request, form, status=429)
    recipients = editors_addresses()
    if not recipients:
        form.add_error(
            None,
            "The contact form is not set up on this site yet, so this message was not sent. Your message is "
            "still in the form: please copy it and try again later.",
        )
        return _contact_page(request, form, status=503)
    _send_once(form, recipients)
    return redirect("pages:contact_sent")


def contact_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/contact_sent.html")
