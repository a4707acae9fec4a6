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

from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments import texts as comment_texts
from ldnsite.comments.managers import is_moderator
from ldnsite.comments.models import Comment, Report, Subscription
from ldnsite.mail import delivery as mail
from ldnsite.moderation.models import ModerationEvent
from testimonials import moderation as testimonial_moderation
from testimonials.models import CONSENT_TEXT, CONSENT_VERSION, Testimonial, TestimonialContent

_THREAD_SUBJECTS = ("thread__article", "thread__study", "thread__testimonial")


def _subject(thread, member) -> dict:
    """What a comment or subscription was about; another member's experience only while it is public."""
    subject = thread.subject
    if isinstance(subject, Testimonial) and not subject.is_public and subject.author_id != member.pk:
        return {"kind": "testimonial", "title": "(no longer published)", "url": None}
    return {"kind": subject._meta.model_name, "title": str(subject.title), "url": subject.get_absolute_url()}


def _content(content: TestimonialContent) -> dict:
    data = {field: getattr(content, field) for field in TestimonialContent.CONTENT_FIELDS}
    data["side_effect_labels"] = content.side_effect_labels
    return data


def collect(member) -> dict:
    """Everything `member` gave the site, in a fixed number of queries. Never another person's identity."""
    emails = EmailAddress.objects.filter(user=member).order_by("-primary", "email")
    testimonials = list(
        Testimonial.objects.filter(author=member).prefetch_related("revisions").order_by("created_at", "pk")
    )
    comments = list(
        Comment.objects.filter(author=member).select_related(*_THREAD_SUBJECTS).order_by("created_at", "pk")
    )
    reports = Report.objects.filter(reporter=member).select_related(
        *(f"comment__{s}" for s in _THREAD_SUBJECTS)
    )
    subscriptions = Subscription.objects.filter(member=member).select_related(*_THREAD_SUBJECTS)
    testimonial_type = ContentType.objects.get_for_model(Testimonial)
    comment_type = ContentType.objects.get_for_model(Comment)
    events = ModerationEvent.objects.filter(
        Q(content_type=testimonial_type, object_id__in=[t.pk for t in testimonials])
        | Q(content_type=comment_type, object_id__in=[c.pk for c in comments])
    ).order_by("created_at", "pk")

    def who(event) -> str:
        if event.actor_id == member.pk:
            return "you"
        return "a moderator" if event.actor_id else "the site (automatic)"

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
        "testimonials": [
            {
                "id": t.pk,
                "status": t.status,
                "status_label": t.get_status_display(),
                "url": t.get_absolute_url() if t.is_public else None,
                **_content(t),
                "written_as_carer": t.is_carer,
                "consent": {
                    "version": t.consent_version,
                    "given_at": t.consented_at,
                    "text": CONSENT_TEXT if t.consent_version == CONSENT_VERSION else None,
                },
                "created_at": t.created_at,
                "submitted_at": t.submitted_at,
                "approved_at": t.approved_at,
                "moderated_at": t.moderated_at,
                "rejection_reason": t.rejection_reason,
                "revisions": [
                    {
                        "id": r.pk,
                        "status": r.status,
                        **_content(r),
                        "created_at": r.created_at,
                        "moderated_at": r.moderated_at,
                        "rejection_reason": r.rejection_reason,
                    }
                    for r in t.revisions.all()
                ],
            }
            for t in testimonials
        ],
        "comments": [
            {
                "id": c.pk,
                "status": c.status,
                "status_label": c.get_status_display(),
                "body": c.body,
                "created_at": c.created_at,
                "edited_at": c.edited_at,
                "reply_to": c.parent_id,
                "thread": _subject(c.thread, member),
            }
            for c in comments
        ],
        "reports": [
            {
                "comment_id": r.comment_id,
                "thread": _subject(r.comment.thread, member),
                "reason": r.reason,
                "note": r.note,
                "created_at": r.created_at,
                "resolved_at": r.resolved_at,
            }
            for r in reports
        ],
        "subscriptions": [
            {"thread": _subject(s.thread, member), "created_at": s.created_at} for s in subscriptions
        ],
        "moderation_decisions": [
            {
                "about": "testimonial" if e.content_type_id == testimonial_type.pk else "comment",
                "id": e.object_id,
                "action": e.action,
                "from": e.from_state,
                "to": e.to_state,
                "reason": e.reason,
                "by": who(e),
                "at": e.created_at,
            }
            for e in events
        ],
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
        label="Your published experiences",
        choices=[
            (DELETE, "Delete my experiences"),
            (ANONYMISE, "Keep them anonymised, shown only as “A member with …”"),
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
    """Editors, moderators and superusers are removed by an administrator, not by themselves."""
    return user.is_staff or user.is_superuser or user.is_editor or is_moderator(user)


def delete_member(member, *, keep_experiences: bool) -> None:
    """Remove a member and what links to them, in one transaction. Other people's replies survive under
    placeholders; experiences are deleted or kept anonymised (published ones only)."""
    with transaction.atomic():
        member = get_user_model().objects.select_for_update().get(pk=member.pk)
        testimonials = list(Testimonial.objects.filter(author=member))
        testimonial_ids = [t.pk for t in testimonials]
        for testimonial in testimonials:
            if keep_experiences and testimonial.status == Testimonial.Status.APPROVED:
                testimonial_moderation.anonymise(testimonial, by=member)
            else:
                testimonial_moderation.delete(testimonial, by=member)

        # Comments on their own deleted experiences are already gone; the rest become placeholders.
        own_comments = Comment.objects.filter(author=member)
        comment_ids = list(own_comments.values_list("pk", flat=True))
        for comment in own_comments.filter(status__in=comment_moderation.ALLOWED_FROM["delete"]):
            comment_moderation.delete_by_author(comment, by=member)
        # Removed comments kept their text for moderators: that goes too, and nothing links to the member.
        Comment.objects.filter(pk__in=comment_ids).update(author=None, **comment_texts.text_fields(""))

        Report.objects.filter(reporter=member).delete()
        Subscription.objects.filter(member=member).delete()
        addresses = EmailAddress.objects.filter(user=member)
        mail.forget_recipient([member.email, *addresses.values_list("email", flat=True)])
        addresses.delete()

        # The admin log names objects by their __str__: a testimonial's title, "Comment 7 by <name>", the
        # member's display name. Those rows go; rows written *by* the member cascade with the user.
        types = ContentType.objects.get_for_models(Testimonial, Comment, get_user_model())
        LogEntry.objects.filter(
            Q(content_type=types[Testimonial], object_id__in=[str(pk) for pk in testimonial_ids])
            | Q(content_type=types[Comment], object_id__in=[str(pk) for pk in comment_ids])
            | Q(content_type=types[get_user_model()], object_id=str(member.pk))
        ).delete()
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
        return redirect("articles:home")
    return render(request, "account/delete.html", {"form": form})
