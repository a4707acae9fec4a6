"""Response headers that Django's own SecurityMiddleware does not set."""

from django.conf import settings


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
