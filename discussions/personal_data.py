"""What a member gave the discussions app (their topics and their reports on topics), for their download and
their account's deletion (ldnsite.accounts.personal_data, registered in apps.py).

Erasure follows stories (a topic, like a story, is the member's own post that a thread hangs from): a member
who leaves their published contributions on the site anonymised keeps their published topics, no longer
linked to them and shown as by "A former member"; every other topic of theirs is deleted with its thread,
other members' replies included, as a story takes its discussion. Their replies are the comments app's
business: erased to placeholders that keep others' replies in place.
"""

from . import moderation
from .models import Topic, TopicReport


def authored(member):
    return Topic.objects.filter(author=member)


def export(member) -> list[dict]:
    """Every topic the member started, in any state."""
    topics = authored(member).select_related("category").order_by("created_at", "pk")
    return [
        {
            "id": t.pk,
            "status": t.status,
            "status_label": t.get_status_display(),
            "url": t.get_absolute_url() if t.is_public else None,
            "title": t.title,
            "category": t.category.name,
            "body": t.body,
            "is_locked": t.is_locked,
            "created_at": t.created_at,
            "published_at": t.published_at,
            "last_activity_at": t.last_activity_at,
            "moderation_reason": t.moderation_reason,
        }
        for t in topics
    ]


def erase(member, *, anonymise: bool) -> None:
    for topic in list(authored(member)):
        if anonymise and topic.status == Topic.Status.PUBLISHED:
            moderation.anonymise(topic, by=member)
        else:
            moderation.delete(topic, by=member)


def export_reports(member) -> list[dict]:
    reports = TopicReport.objects.filter(reporter=member).select_related("topic").order_by("created_at", "pk")
    return [
        {
            "topic_id": r.topic_id,
            # Named only while anyone may read it: a report on a topic taken down since names nothing.
            "topic_title": r.topic.title if r.topic.is_public else "(no longer published)",
            "reason": r.reason,
            "note": r.note,
            "created_at": r.created_at,
            "resolved_at": r.resolved_at,
        }
        for r in reports
    ]


def erase_reports(member, *, anonymise: bool) -> None:
    TopicReport.objects.filter(reporter=member).delete()
