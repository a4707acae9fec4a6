"""The moderation log's part of a member's download: every decision about what they wrote (the rows the
apps registered as ``authored`` in ldnsite.accounts.personal_data), without the moderators' identities."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from ldnsite.accounts import personal_data

from .models import ModerationEvent


def export(member) -> list[dict]:
    about_their_rows = Q(pk__in=[])
    for rows in personal_data.authored(member):
        content_type = ContentType.objects.get_for_model(rows.model)
        about_their_rows |= Q(content_type=content_type, object_id__in=rows.values("pk"))
    events = ModerationEvent.objects.filter(about_their_rows).order_by("created_at", "pk")

    def who(event) -> str:
        if event.actor_id == member.pk:
            return "you"
        return "a moderator" if event.actor_id else "the site (automatic)"

    return [
        {
            "about": ContentType.objects.get_for_id(e.content_type_id).model,
            "id": e.object_id,
            "action": e.action,
            "from": e.from_state,
            "to": e.to_state,
            "reason": e.reason,
            "by": who(e),
            "at": e.created_at,
        }
        for e in events
    ]


def register() -> None:
    # Last in the download: decisions about everything above.
    personal_data.register("moderation_decisions", order=90, export=export)
