"""What a member gave the comments app (their comments, reports and subscriptions), for their download and
their account's deletion (ldnsite.accounts.personal_data, registered in apps.py).

A comment's subject is named in the download by its title and address. An app whose subjects can stop being
public registers who may still see them named (``shown_to(subject, member)``); the others are always named.
"""

from collections.abc import Callable

from ldnsite.accounts import personal_data

from . import moderation, texts
from .models import Comment, Report, Subscription
from .subjects import with_subjects

_shown_to: dict[type, Callable[[object, object], bool]] = {}


def register_subject(model: type, *, shown_to: Callable[[object, object], bool]) -> None:
    if model in _shown_to:
        raise ValueError(f"{model._meta.label} already says who sees it named in an export.")
    _shown_to[model] = shown_to


def _subject(thread, member) -> dict:
    """What a comment or subscription was about; another member's experience only while it is public."""
    subject = thread.subject
    shown_to = _shown_to.get(type(subject))
    if shown_to is not None and not shown_to(subject, member):
        return {"kind": subject._meta.model_name, "title": "(no longer published)", "url": None}
    return {"kind": subject._meta.model_name, "title": str(subject.title), "url": subject.get_absolute_url()}


def authored(member):
    return Comment.objects.filter(author=member)


def export_comments(member) -> list[dict]:
    comments = with_subjects(authored(member)).order_by("created_at", "pk")
    return [
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
    ]


def erase_comments(member, *, anonymise: bool) -> None:
    """Other people's replies survive under placeholders. (Comments on the member's own deleted experiences
    went with them.)"""
    own_comments = authored(member)
    comment_ids = list(own_comments.values_list("pk", flat=True))
    for comment in own_comments.filter(status__in=moderation.ALLOWED_FROM["delete"]):
        moderation.delete_by_author(comment, by=member)
    # Removed comments kept their text for moderators: that goes too, and nothing links to the member.
    Comment.objects.filter(pk__in=comment_ids).update(author=None, **texts.text_fields(""))


def export_reports(member) -> list[dict]:
    reports = with_subjects(Report.objects.filter(reporter=member), through="comment__thread")
    return [
        {
            "comment_id": r.comment_id,
            "thread": _subject(r.comment.thread, member),
            "reason": r.reason,
            "note": r.note,
            "created_at": r.created_at,
            "resolved_at": r.resolved_at,
        }
        for r in reports
    ]


def erase_reports(member, *, anonymise: bool) -> None:
    Report.objects.filter(reporter=member).delete()


def export_subscriptions(member) -> list[dict]:
    subscriptions = with_subjects(Subscription.objects.filter(member=member))
    return [{"thread": _subject(s.thread, member), "created_at": s.created_at} for s in subscriptions]


def erase_subscriptions(member, *, anonymise: bool) -> None:
    Subscription.objects.filter(member=member).delete()


def register() -> None:
    personal_data.register(
        "comments", order=20, export=export_comments, erase=erase_comments, authored=authored
    )
    personal_data.register("reports", order=30, export=export_reports, erase=erase_reports)
    personal_data.register("subscriptions", order=40, export=export_subscriptions, erase=erase_subscriptions)
