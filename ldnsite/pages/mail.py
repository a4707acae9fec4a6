"""The contact form's message to the editors, queued in the mail queue (ldnsite.mail) like every e-mail."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string

from ldnsite.mail.tasks import KEEP_SENT_DAYS

from .managers import EDIT_PERMISSION


def editors_addresses() -> list[str]:
    """Who reads the contact form: settings.CONTACT_EMAILS when set, else every active account that may edit
    the site's pages (the Editors group), else the error-report addresses (settings.ADMINS)."""
    if settings.CONTACT_EMAILS:
        return list(settings.CONTACT_EMAILS)
    app_label, codename = EDIT_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    editors = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
    return list(editors) or [address for _name, address in settings.ADMINS]


def send_to_editors(*, name: str, email: str, topic: str, message: str, recipients: list[str]) -> None:
    """Queue the message; the worker delivers it once the row is committed. Replying answers the sender."""
    context = {"name": name, "email": email, "topic": topic, "message": message,
               "site_name": settings.SITE_NAME, "kept_days": KEEP_SENT_DAYS}  # fmt: skip
    with transaction.atomic():
        EmailMessage(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Contact form: {topic}",
            body=render_to_string("pages/email/contact.txt", context),
            to=recipients,
            reply_to=[email],
        ).send()
