import hashlib

from allauth.account.adapter import get_adapter
from allauth.account.internal import flows
from allauth.account.internal.stagekit import unstash_login
from allauth.account.views import SignupView as AllauthSignupView
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ldnsite.paging import CappedPaginator
from ldnsite.ratelimit import is_limited

from . import names, profiles, screening
from .forms import DisplayNameChangeForm

# New confirmation e-mails on request: this many per hour for one member, and for one address.
RESEND_LIMIT = (3, 60 * 60)


def _shown(section: profiles.Section, member, page_number) -> dict:
    """One section of a member's page: its rows (a page of them, if it is paginated) and how many in all."""
    items = section.items(member)
    if section.paginate_by:
        page = CappedPaginator(items, section.paginate_by).get_page(page_number)
        return {"template": section.template, "items": page.object_list, "page_obj": page,
                "count": page.paginator.count}  # fmt: skip
    items = list(items)
    return {"template": section.template, "items": items, "page_obj": None, "count": len(items)}


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's public page: display name, when they joined, and what the apps registered in `profiles`
    show under their name (their stories, their public comments). Never the e-mail, nor anything written
    anonymously.

    Only a verified member with at least one public contribution has a page (staff accounts too): any other
    id answers 404, so the pages cannot be used to list accounts."""
    member = get_object_or_404(
        profiles.page_owners(get_user_model().objects.all()).only("display_name", "date_joined"), pk=pk
    )
    sections = [_shown(section, member, request.GET.get("page")) for section in profiles.sections()]
    if not any(section["count"] for section in sections):
        raise Http404("No such member page.")
    return render(request, "accounts/profile.html", {"member": member, "sections": sections})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def change_display_name(request: HttpRequest) -> HttpResponse:
    """The member's own display name: see it, change it (once every 30 days, names.CHANGE_INTERVAL)."""
    member = request.user
    form = DisplayNameChangeForm(request.POST or None, member=member)
    waiting_until = names.next_change_allowed_at(member)
    status = 200
    if request.method == "POST":
        status = 400
        if not form.is_valid():
            screening.record(form.verdicts, member, taken=False)
        else:
            try:
                with transaction.atomic():
                    names.change_display_name(member, form.cleaned_data["display_name"], by=member)
                    screening.record(form.verdicts, member, taken=True, url=_profile_url(member))
            except names.NameRefused as refusal:
                form.add_error("display_name", str(refusal))
                status = 429 if waiting_until is not None else 400
            else:
                messages.success(request, f"Your display name is now “{form.cleaned_data['display_name']}”.")
                return redirect("account_display_name")
    return render(
        request,
        "account/display_name.html",
        {"form": form, "waiting_until": waiting_until, "member": member},
        status=status,
    )


class SignupView(AllauthSignupView):
    """allauth's sign-up, safe against a race it cannot see: two people choosing look-alike names (or one
    address) at the same moment both pass the form's checks, and the second save meets the unique index.
    That sign-up is checked again from what was typed: a name taken meanwhile is a form error like any other
    (their address and name stay in the form), an address taken meanwhile is answered as allauth answers an
    existing address."""

    def form_valid(self, form) -> HttpResponse:
        try:
            with transaction.atomic():
                response = super().form_valid(form)
                if self.user is not None:
                    screening.record(form.verdicts, self.user, taken=True, url=_profile_url(self.user))
                return response
        except IntegrityError:
            if names.is_taken(form.cleaned_data["display_name"]):
                form.add_error("display_name", names.TAKEN)
                return self.form_invalid(form)
            email = form.cleaned_data.get("email", "")
            if email and get_user_model().objects.filter(email__iexact=email).exists():
                return flows.signup.prevent_enumeration(self.request, email=email)
            raise  # not a race with another sign-up: a real fault, shown as one

    def form_invalid(self, form) -> HttpResponse:
        # A refused name is recorded by the screens that refused it (there is no account yet).
        screening.record(getattr(form, "verdicts", []), None, taken=False)
        return super().form_invalid(form)


def _profile_url(member) -> str:
    return reverse("accounts:profile", kwargs={"pk": member.pk})


signup = SignupView.as_view()


@never_cache
@require_POST
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    """ "Send the e-mail again" on the page that asks a new member to confirm their address.

    The address is the one of the sign-up or login waiting in this browser's session (allauth keeps it for
    LOGIN_TIMEOUT); a visitor without one is sent to log in, which mails a new link to an unconfirmed
    address. A sign-up with an address that already had an account gets allauth's "you already have an
    account" mail again, so the answer is the same either way (no account enumeration). RESEND_LIMIT holds
    per member and per address, with a page that says so."""
    login = unstash_login(request, peek=True)
    if login is None or request.user.is_authenticated or not (login.user or login.email):
        messages.info(
            request,
            "To get a new confirmation link, log in with your e-mail address and password: "
            "we send one whenever an unconfirmed address logs in.",
        )
        return redirect("account_login")
    address = None
    if login.user is not None:
        address = flows.email_verification.get_address_for_login(login)
        if address is None or address.verified:
            return redirect("account_login")
    email = address.email if address is not None else login.email
    if _resend_limited(email, login.user):
        return render(request, "account/verification_sent.html", {"resend_limited": True}, status=429)
    if address is not None:
        address.send_confirmation(request, signup=login.signup)
    else:
        get_adapter(request).send_account_already_exists_mail(email)
    messages.success(request, f"We sent a new confirmation e-mail to {email}.")
    return redirect("account_email_verification_sent")


def _resend_limited(email: str, member) -> bool:
    limit, period = RESEND_LIMIT
    keys = ["confirm-resend:address:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()]
    if member is not None:
        keys.append(f"confirm-resend:member:{member.pk}")
    # Every key counts this attempt, so a member cannot spread requests over two addresses or the reverse.
    counted = [is_limited(key, limit=limit, period=period) for key in keys]
    return any(counted)
