"""Response headers that Django's own SecurityMiddleware does not set, and the answer to a sign-in while the
shared cache is unreachable."""

from django.conf import settings

from . import errors, rediscache


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
