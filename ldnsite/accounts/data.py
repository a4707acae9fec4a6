"""A member's own data: download everything they gave (export) and leave the site (delete).

Both need a recent password entry (allauth's reauthentication), because both hand over or destroy
special-category health data.
"""

import json

from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ldnsite.mail import delivery as mail
from ldnsite.mfa import holds_privileges

from . import personal_data


def collect(member) -> dict:
    """Everything `member` gave the site, in a fixed number of queries. Never another person's identity:
    the account's own details here, then what each app registered in `personal_data`."""
    emails = EmailAddress.objects.filter(user=member).order_by("-primary", "email")
    return {
        "about": "Everything you gave ldnsite, as stored on "
        f"{timezone.now():%Y-%m-%d}. Moderators' identities are not part of your data and are left out.",
        "profile": {
            "display_name": member.display_name,
            "earlier_display_names": [
                {"name": change.old_name, "changed_at": change.changed_at}
                for change in member.display_name_changes.all()
            ],
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary} for e in emails
            ],
            "joined": member.date_joined,
            "last_login": member.last_login,
        },
        **{kind.key: kind.export(member) for kind in personal_data.kinds()},
    }


@never_cache
@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """GET explains what the download holds; POST sends it as a JSON file that no cache keeps."""
    if request.method == "GET":
        return render(request, "account/export.html")
    body = json.dumps(collect(request.user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"ldnsite-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DeleteAccountForm(forms.Form):
    DELETE = "delete"
    ANONYMISE = "anonymise"

    experiences = forms.ChoiceField(
        label="Your published experiences and discussion topics",
        choices=[
            (DELETE, "Delete them, with the replies under them"),
            (
                ANONYMISE,
                "Keep them without my name: experiences as “A member with …”, topics as “A former member”",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens to your experiences."},
    )
    confirm = forms.CharField(
        label="Type your display name to confirm",
        max_length=100,
        strip=True,
        error_messages={"required": "Type your display name to confirm."},
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"]
        if typed.casefold() != self.member.display_name.casefold():
            raise forms.ValidationError(
                "That is not your display name. Nothing was deleted: "
                "type it exactly as it appears on the site."
            )
        return typed


def is_staff_account(user) -> bool:
    """Editors, moderators, staff and superusers (any account that can do more than a member) are removed
    by an administrator, not by themselves."""
    return holds_privileges(user)


def delete_member(member, *, keep_experiences: bool) -> None:
    """Remove a member and what links to them, in one transaction. Other people's replies survive under
    placeholders; experiences are deleted or kept anonymised (published ones only)."""
    with transaction.atomic():
        member = get_user_model().objects.select_for_update().get(pk=member.pk)
        # What each kind's rows were before it went (an experience takes its discussion with it), for the
        # admin log below.
        named = []
        for kind in personal_data.kinds():
            if kind.authored is not None:
                rows = kind.authored(member)
                named.append((rows.model, [str(pk) for pk in rows.values_list("pk", flat=True)]))
            if kind.erase is not None:
                kind.erase(member, anonymise=keep_experiences)

        addresses = EmailAddress.objects.filter(user=member)
        mail.forget_recipient([member.email, *addresses.values_list("email", flat=True)])
        addresses.delete()

        # The admin log names objects by their __str__: a testimonial's title, "Comment 7 by <name>", the
        # member's display name. Those rows go; rows written *by* the member cascade with the user.
        about_the_member = Q(content_type=ContentType.objects.get_for_model(member), object_id=str(member.pk))
        for model, pks in named:
            about_the_member |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=pks)
        LogEntry.objects.filter(about_the_member).delete()
        member.delete()


@never_cache
@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """Delete the account. GET shows the choice and the confirmation; POST does it all in one transaction,
    then logs out. Other sessions of the member end too: Django's auth finds no user row for them."""
    member = request.user
    if is_staff_account(member):
        if request.method == "POST":
            messages.error(
                request,
                "Editor, moderator and administrator accounts cannot be deleted here. "
                "Ask an administrator to remove your account.",
            )
            return redirect("account_delete")
        return render(request, "account/delete.html", {"refused": True})
    form = DeleteAccountForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        delete_member(member, keep_experiences=form.cleaned_data["experiences"] == form.ANONYMISE)
        logout(request)
        messages.success(request, "Your account and your data have been deleted. Thank you for taking part.")
        return redirect("home")
    return render(request, "account/delete.html", {"form": form})
