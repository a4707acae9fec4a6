"""What a member gave the experiences app, for their download and their account's deletion
(ldnsite.accounts.personal_data, registered in apps.py)."""

from . import moderation
from .models import CONSENT_TEXTS, Testimonial, TestimonialContent


def _content(content: TestimonialContent) -> dict:
    data = {field: getattr(content, field) for field in TestimonialContent.CONTENT_FIELDS}
    data["side_effect_labels"] = content.side_effect_labels
    return data


def authored(member):
    return Testimonial.objects.filter(author=member)


def export(member) -> list[dict]:
    """Every experience the member wrote, in any state, with its consent and its pending revisions."""
    testimonials = authored(member).prefetch_related("revisions").order_by("created_at", "pk")
    return [
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
                "text": CONSENT_TEXTS.get(t.consent_version),
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
    ]


def erase(member, *, anonymise: bool) -> None:
    """Delete the member's experiences, or keep the published ones anonymised if they chose so."""
    for testimonial in list(authored(member)):
        if anonymise and testimonial.status == Testimonial.Status.APPROVED:
            moderation.anonymise(testimonial, by=member)
        else:
            moderation.delete(testimonial, by=member)
