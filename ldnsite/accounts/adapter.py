import secrets
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.contrib.auth.hashers import make_password

from ldnsite.drafts import keep_only_own_drafts
from ldnsite.http import site_url
from ldnsite.mfa import signed_in_recently


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The display name must be on the row before its first save: it is required and unique.
        user.display_name = form.cleaned_data["display_name"]
        return super().save_user(request, user, form, commit=commit)

    def login(self, request, user) -> None:
        """Every sign-in (password, e-mail confirmation, two-factor) goes through here: a draft left in the
        browser by someone else is dropped before this member can see it (ldnsite.drafts)."""
        super().login(request, user)
        keep_only_own_drafts(request, user)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mail names the site by settings.SITE_NAME and links to ldnsite.http.site_url, not the
        host the request came in on (allauth's default greets "Hello from 127.0.0.1:8000!")."""
        request = globals()["context"].request
        names = {"site_name": settings.SITE_NAME, "site_url": site_url(request)}
        super().send_mail(template_prefix, email, {**names, **context})

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return on_site(request, super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_site(self.request, super().get_reset_password_from_key_url(key))

    def send_account_already_exists_mail(self, email: str) -> None:
        """Sign-up with an address that already has an account: allauth answers with the same page as for a
        new address (ACCOUNT_PREVENT_ENUMERATION) and mails the owner instead. The page must also take as
        long, or its timing tells who is registered: hashing the typed password (then thrown away) is what a
        new sign-up spends its time on, and the notice goes through the same mail queue as a new member's
        confirmation (docs/security.md, `make bench-signup`)."""
        request = context.request
        typed = request.POST.get("password1", "") if request is not None else ""
        make_password(typed or secrets.token_urlsafe(16))
        super().send_account_already_exists_mail(email)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Adding an authenticator straight after signing in does not ask for the password a second time
        (ldnsite.mfa.signed_in_recently); later it does, as allauth intends."""
        request = context.request
        if app == "allauth.mfa" and request is not None and signed_in_recently(request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


def on_site(request, url: str) -> str:
    """allauth's absolute `url` (built on the request's host) moved to the site's address."""
    parts = urlsplit(url)
    return site_url(request) + parts.path + (f"?{parts.query}" if parts.query else "")
