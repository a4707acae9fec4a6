import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.contrib.auth.hashers import make_password

from ldnsite.drafts import keep_only_own_drafts
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
