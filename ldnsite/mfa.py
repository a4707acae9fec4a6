"""Staff and moderators reach the admin and the moderation queue only with two-factor authentication.

Anyone who can edit content or decide on members' health stories must have an authenticator app set up
(allauth's TOTP) and have used it in the current session; otherwise they are sent to set it up, or to
confirm a code, and come back.
"""

import time
from urllib.parse import urlencode

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY, record_authentication
from allauth.account.utils import get_next_redirect_url
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes import views as recovery_views
from allauth.mfa.totp import views as totp_views
from allauth.mfa.totp.forms import ActivateTOTPForm as ActivateTOTPBaseForm
from allauth.mfa.totp.internal import auth as totp_auth
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

PROTECTED_PREFIXES = ("/admin/", "/moderation/")
OPEN_PATHS = ("/admin/login/", "/admin/logout/")


def holds_privileges(user) -> bool:
    """True for an account that can do more than a member: staff, superusers, anyone with a permission."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser or user.get_all_permissions())
    )


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
            and holds_privileges(request.user)
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


def signed_in_recently(request) -> bool:
    """The session's latest sign-in step (password or code) is within the reauthentication window.

    allauth asks for the password again before an authenticator is added unless the session *re*authenticated
    lately; a login a minute ago does not count for it. For staff sent to set up their app straight after
    signing in, that was a second password prompt for no gain: the same person typed it moments ago.
    """
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    times = [record.get("at", 0) for record in records if isinstance(record, dict)]
    return bool(times) and time.time() - max(times) < account_settings.REAUTHENTICATION_TIMEOUT


def _continue_url(request) -> str | None:
    """Where the person was going before two-factor set-up: a page of this site, or nothing."""
    return get_next_redirect_url(request)


class ActivateTOTPForm(ActivateTOTPBaseForm):
    """The secret stays the same across reloads of the set-up page (allauth makes a new one on every GET, so a
    reload after scanning the QR code left the app with a secret the site no longer knew)."""

    def __init__(self, *args, **kwargs) -> None:
        self.user = kwargs.pop("user")
        forms.Form.__init__(self, *args, **kwargs)  # not allauth's __init__, which makes a new secret
        self.secret = totp_auth.get_totp_secret(regenerate=False)


class ActivateTOTPView(totp_views.ActivateTOTPView):
    """allauth's set-up page, finished the way people expect: the code typed here counts as this session's
    second factor (no second code at the door of the page they wanted), and the recovery codes page that
    follows offers a way back there."""

    form_class = ActivateTOTPForm

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "next_url": _continue_url(self.request)}

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        record_authentication(self.request, self.request.user, method="mfa", type="totp")
        return response

    def get_success_url(self) -> str:
        following = _continue_url(self.request)
        if not self.did_generate_recovery_codes:
            return following or reverse("mfa_index")
        codes = reverse("mfa_view_recovery_codes")
        return f"{codes}?{urlencode({'next': following})}" if following else codes


class ViewRecoveryCodesView(recovery_views.ViewRecoveryCodesView):
    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "next_url": _continue_url(self.request)}


activate_totp = ActivateTOTPView.as_view()
view_recovery_codes = ViewRecoveryCodesView.as_view()
