"""A moderator's decision on a member's experience, in their inbox (ldnsite.notifications, kind "decision")
and by e-mail as they chose for decisions (at once by default; a member who turned decision e-mails off gets
none). Called inside the decision's transaction: the row and the mail row commit with it.

One decision, one e-mail: the e-mail is the notification's own (`render_mail` below gives it this app's
words, the moderator's reason included), never a second one beside it.
"""

from django.template.loader import render_to_string
from django.urls import reverse

from ldnsite.http import absolute_url
from ldnsite.notifications import services as inbox
from ldnsite.notifications import targets
from ldnsite.notifications.models import Kind

SUBJECTS = {
    "approved": "Your experience is published",
    "rejected": "Your experience was not approved yet",
    "revision_approved": "Your changes are published",
    "revision_rejected": "Your changes were not approved",
}
NOTES = {
    "approved": "A moderator published your experience “{title}”.",
    "rejected": "A moderator could not publish your experience “{title}” as it is: read their reason.",
    "revision_approved": "Your changes to “{title}” are published.",
    "revision_rejected": "A moderator could not publish your changes to “{title}”: read their reason.",
}


def send_decision(testimonial_id: int, decision: str) -> None:
    from .models import Testimonial

    testimonial = Testimonial.objects.select_related("author").filter(pk=testimonial_id).first()
    if testimonial is None or testimonial.author is None:
        return
    inbox.notify(testimonial.author, Kind.DECISION, target=testimonial, note=decision)


def _visible_to(member):
    """Published experiences, and the member's own in any state (decisions about them reach them)."""
    from .models import Testimonial

    return Testimonial.objects.public() | Testimonial.objects.filter(author=member)


def _url(testimonial) -> str:
    if testimonial.status == testimonial.Status.APPROVED:
        return testimonial.get_absolute_url()
    return reverse("testimonials:mine")


def _render_mail(notification, links) -> tuple[str, str] | None:
    if notification.kind != Kind.DECISION or notification.note not in SUBJECTS:
        return None
    testimonial = notification.target
    revision = None
    if "revision" in notification.note:
        revision = testimonial.revisions.order_by("-moderated_at", "-pk").first()
    context = {
        "testimonial": testimonial,
        "revision": revision,
        "decision": notification.note,
        "member": notification.recipient,
        # Built where no request says the host (the worker may build it): DJANGO_SITE_URL.
        "mine_url": absolute_url(reverse("testimonials:mine")),
        "public_url": absolute_url(testimonial.get_absolute_url()),
        **links,
    }
    return f"[ldnsite] {SUBJECTS[notification.note]}", render_to_string(
        "testimonials/email/decision.txt", context
    )


def register() -> None:
    from .models import Testimonial

    targets.register(
        Testimonial,
        kind="testimonial",
        visible_to=_visible_to,
        title=lambda testimonial: testimonial.title,
        url=_url,
        notes=NOTES,
        render_mail=_render_mail,
    )
