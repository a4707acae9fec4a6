"""E-mail to a testimonial's author about a moderator's decision, queued in the decision's transaction."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from ldnsite.http import absolute_url

SUBJECTS = {
    "approved": "Your experience is published",
    "rejected": "Your experience was not approved yet",
    "revision_approved": "Your changes are published",
    "revision_rejected": "Your changes were not approved",
}


def send_decision(testimonial_id: int, decision: str) -> None:
    from .models import Testimonial

    testimonial = Testimonial.objects.select_related("author").filter(pk=testimonial_id).first()
    if testimonial is None or testimonial.author is None or not testimonial.author.is_active:
        return
    revision = None
    if "revision" in decision:
        revision = testimonial.revisions.order_by("-moderated_at", "-pk").first()
    context = {
        "testimonial": testimonial,
        "revision": revision,
        "decision": decision,
        "member": testimonial.author,
        # Built where no request says the host (the worker may build it): DJANGO_SITE_URL.
        "mine_url": absolute_url(reverse("testimonials:mine")),
        "public_url": absolute_url(testimonial.get_absolute_url()),
    }
    send_mail(
        subject=f"[ldnsite] {SUBJECTS[decision]}",
        message=render_to_string("testimonials/email/decision.txt", context),
        from_email=None,
        recipient_list=[testimonial.author.email],
    )
