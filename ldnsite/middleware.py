"""Response headers that Django's own SecurityMiddleware does not set, the answer to a sign-in while the
shared cache is unreachable, and the page for a form that sends too much."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import errors, rediscache
from .comments.models import MAX_COMMENT_LENGTH


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(allowlist)})" for feature, allowlist in policy.items())


class PermissionsPolicyMiddleware:
    """Adds Permissions-Policy from settings.PERMISSIONS_POLICY; a view that sets its own header keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))
        if header:
            response.headers.setdefault("Permissions-Policy", header)
        return response


class SignInPausedMiddleware:
    """allauth counts attempts to sign in, join and reset a password in the shared cache. While Redis cannot
    be reached it cannot count, and refuses with "too many attempts" (429), which is untrue. Say what is
    happening instead: a 503 with Retry-After. Those limits stay closed rather than open because they are what
    stands between a password guesser and members' health stories; everything else (reading, commenting,
    search) goes on without its limits (docs/reliability.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429 and rediscache.is_unavailable():
            return errors.unavailable(request, reason="sign-in")
        return response


def request_too_large(request: HttpRequest) -> HttpResponse:
    """413: what was sent is longer than any form here takes; the person is told how long it may be."""
    return render(
        request,
        "413.html",
        {
            "max_characters": f"{settings.FORM_TEXT_MAX_CHARACTERS:,}",
            "comment_max_characters": f"{MAX_COMMENT_LENGTH:,}",
        },
        status=413,
    )


class RequestTooLargeMiddleware:
    """A form whose data is over DATA_UPLOAD_MAX_MEMORY_SIZE gets the 413 page, not Django's bare 400 and a
    security log line. Django notices the size when the form data is first read, which the CSRF check would
    do for every POST anyway: reading it here first costs nothing more."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - reading it is the check
            except RequestDataTooBig:
                return request_too_large(request)
        return self.get_response(request)
