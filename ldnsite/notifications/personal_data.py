"""A member's notifications and e-mail choices, in their download and gone with their account
(ldnsite.accounts.personal_data, registered in apps.py).

A notification is in the download only while its target is one the member may still see, and it names the
target by its kind and id, not by others' words or names: what others wrote is not the member's data (and
two queries cover any number of notifications)."""

from ldnsite.accounts import personal_data

from . import services
from .models import EmailPreference, Notification


def export_notifications(member) -> dict:
    notifications = Notification.objects.for_member(member).order_by("created_at", "pk")
    return {
        "email_preferences": services.deliveries(member),
        "items": [
            {
                "kind": n.kind,
                "about": {"kind": n.target_kind, "id": n.target_id},
                "decision": n.note,
                "created_at": n.created_at,
                "read_at": n.read_at,
                "emailed_at": n.emailed_at,
                "digested_at": n.digested_at,
            }
            for n in notifications
        ],
    }


def erase_notifications(member, *, anonymise: bool) -> None:
    Notification.objects.filter(recipient=member).delete()
    EmailPreference.objects.filter(member=member).delete()


def register() -> None:
    personal_data.register("notifications", order=50, export=export_notifications, erase=erase_notifications)
