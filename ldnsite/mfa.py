"""Staff and moderators reach the admin and the moderation queue only with two-factor authentication.

Anyone who can edit content or decide on members' health stories must have an authenticator app set up
(allauth's TOTP) and have used it in the current session; otherwise they are sent to set it up, or to
confirm a code, and come back.
"""

from urllib.parse import urlencode

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

PROTECTED_PREFIXES = ("/admin/", "/moderation/")
OPEN_PATHS = ("/admin/login/", "/admin/logout/")
MODERATOR_PERMISSIONS = ("comments.moderate_comment", "testimonials.moderate_testimonial")


def needs_mfa(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or any(user.has_perm(p) for p in MODERATOR_PERMISSIONS)


def session_used_mfa(request) -> bool:
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    return any(isinstance(record, dict) and record.get("method") == "mfa" for record in records)


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if (
            settings.STAFF_MFA_REQUIRED
            and path.startswith(PROTECTED_PREFIXES)
            and not path.startswith(OPEN_PATHS)
            and needs_mfa(request.user)
        ):
            query = "?" + urlencode({"next": request.get_full_path()})
            if not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
                messages.info(
                    request,
                    "Editors and moderators need two-factor authentication. Set up an authenticator app "
                    "to continue.",
                )
                return redirect(reverse("mfa_activate_totp") + query)
            if not session_used_mfa(request):
                return redirect(reverse("mfa_reauthenticate") + query)
        return self.get_response(request)
