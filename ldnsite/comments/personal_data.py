"""What a member gave the comments app (their comments, reports and subscriptions), for their download and
their account's deletion (ldnsite.accounts.personal_data, registered in apps.py).

A comment's subject is named in the download by its title and address only while the member could still find
it: public through its registered door (``subjects.of(subject).public``), or written by the member (a subject
whose ``author_id`` is theirs). Otherwise it is "(no longer published)".
"""

from ldnsite.accounts import personal_data
from ldnsite.mentions import text as mention_text

from . import moderation, subjects, texts
from .models import Comment, Report, Subscription
from .subjects import with_subjects

NOT_NAMED = "(no longer published)"


def _public_subjects(threads) -> set[tuple[str, int]]:
    """(kind, id) of the subjects of `threads` that are public: one query per kind of subject, not per row."""
    ids_by_kind: dict[str, set[int]] = {}
    for thread in threads:
        ids_by_kind.setdefault(thread.subject_kind, set()).add(thread.subject_id)
    public = set()
    for kind, ids in ids_by_kind.items():
        door = subjects.by_kind(kind).public()
        public.update((kind, pk) for pk in door.filter(pk__in=ids).values_list("pk", flat=True))
    return public


def _subjects_of(threads, member) -> list[dict]:
    """What each of `threads` was about, named only while public or the member's own."""
    public = _public_subjects(threads)
    named = []
    for thread in threads:
        subject = thread.subject
        kind = subject._meta.model_name
        own = getattr(subject, "author_id", None) == member.pk
        if own or (thread.subject_kind, thread.subject_id) in public:
            named.append({"kind": kind, "title": str(subject.title), "url": subject.get_absolute_url()})
        else:
            named.append({"kind": kind, "title": NOT_NAMED, "url": None})
    return named


def authored(member):
    return Comment.objects.filter(author=member)


def export_comments(member) -> list[dict]:
    comments = list(with_subjects(authored(member)).order_by("created_at", "pk"))
    about = _subjects_of([c.thread for c in comments], member)
    # What they wrote, as they wrote it: mentions by the member's name, not by id (ldnsite.mentions).
    bodies = mention_text.as_texts([c.body for c in comments])
    return [
        {
            "id": c.pk,
            "status": c.status,
            "status_label": c.get_status_display(),
            "body": body,
            "created_at": c.created_at,
            "edited_at": c.edited_at,
            "reply_to": c.parent_id,
            "thread": thread,
        }
        for c, thread, body in zip(comments, about, bodies, strict=True)
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
    reports = list(with_subjects(Report.objects.filter(reporter=member), through="comment__thread"))
    about = _subjects_of([r.comment.thread for r in reports], member)
    return [
        {
            "comment_id": r.comment_id,
            "thread": thread,
            "reason": r.reason,
            "note": r.note,
            "created_at": r.created_at,
            "resolved_at": r.resolved_at,
        }
        for r, thread in zip(reports, about, strict=True)
    ]


def erase_reports(member, *, anonymise: bool) -> None:
    Report.objects.filter(reporter=member).delete()


def export_subscriptions(member) -> list[dict]:
    # In the order they were made: without it PostgreSQL may give them in any order.
    subscriptions = list(
        with_subjects(Subscription.objects.filter(member=member)).order_by("created_at", "pk")
    )
    about = _subjects_of([s.thread for s in subscriptions], member)
    return [
        {"thread": thread, "created_at": s.created_at} for s, thread in zip(subscriptions, about, strict=True)
    ]


def erase_subscriptions(member, *, anonymise: bool) -> None:
    Subscription.objects.filter(member=member).delete()


def register() -> None:
    personal_data.register(
        "comments", order=20, export=export_comments, erase=erase_comments, authored=authored
    )
    personal_data.register("reports", order=30, export=export_reports, erase=erase_reports)
    personal_data.register("subscriptions", order=40, export=export_subscriptions, erase=erase_subscriptions)
