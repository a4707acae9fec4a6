"""Comments in members' inboxes (ldnsite.notifications): a published reply tells the author of the comment
it answers (`reply`) and the thread's other followers (`followed`); a moderator's decision on a member's
comment tells them (`decision`). Whether each also e-mails, at once or in the daily digest, is the member's
choice per kind. The thread's own unfollow link (a signed token) stays in the follow-up e-mails.

Called inside the transaction that publishes the comment: the rows and mail rows commit with it.
"""

import logging

from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse

from ldnsite.http import absolute_url
from ldnsite.mentions import text as mention_text
from ldnsite.notifications import services as inbox
from ldnsite.notifications import targets
from ldnsite.notifications.models import Kind

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "ldnsite.comments.unsubscribe"

# What a moderator's decision on a member's comment tells them (the transition's name as the note).
DECISION_NOTES = {
    "publish": "A moderator published your comment in “{title}”.",
    "hide": "Your comment in “{title}” is hidden until a moderator has looked at it.",
    "restore": "A moderator looked at your comment in “{title}” and shows it again.",
    "remove": "A moderator removed your comment in “{title}”: it breaks the community guidelines.",
}


def unsubscribe_token(subscription) -> str:
    return signing.dumps({"s": subscription.pk, "m": subscription.member_id}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def send_reply_notifications(comment_id: int) -> int:
    """Tell the author of the comment this one answers, and the thread's followers, about a comment if it is
    public. Returns how many members were told."""
    from .models import Comment

    comment = (
        Comment.objects.public()
        .with_subjects()
        .select_related("author", "parent__author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    told = 0
    parent_author = comment.parent.author if comment.parent_id else None
    if parent_author is not None and inbox.notify(
        parent_author, Kind.REPLY, target=comment, actor=comment.author
    ):
        told += 1
    told += tell_mentioned(comment, told_already={parent_author.pk} if parent_author else set())
    followers = comment.thread.subscriptions.select_related("member").exclude(member=comment.author_id)
    if parent_author is not None:
        followers = followers.exclude(member=parent_author)  # told once, as the one answered
    for subscription in followers.filter(member__is_active=True):
        told += bool(inbox.notify(subscription.member, Kind.FOLLOWED, target=comment, actor=comment.author))
    if told:
        logger.info("reply notifications", extra={"comment": comment.pk, "count": told})
    return told


def tell_mentioned(comment, *, before: str = "", told_already: set[int] = frozenset()) -> int:
    """Tell the members a public comment mentions (those `before`, its earlier text, named were told then;
    those in `told_already` heard of it as a reply). Inside the transaction that publishes the text."""
    from django.contrib.auth import get_user_model

    if comment.status != comment.Status.PUBLISHED:
        return 0  # a held comment tells nobody until a moderator publishes it
    ids = mention_text.mentioned_members(comment.body, author_id=comment.author_id, before=before)
    told = 0
    for member in get_user_model().objects.filter(pk__in=set(ids) - set(told_already), is_active=True):
        told += bool(inbox.notify(member, Kind.MENTION, target=comment, actor=comment.author))
    return told


def tell_author(comment, action: str) -> None:
    """The author hears of a moderator's decision on their comment (inside the decision's transaction)."""
    if action in DECISION_NOTES and comment.author_id is not None:
        inbox.notify(comment.author, Kind.DECISION, target=comment, note=action)


# --- The comment as a notification's target -----------------------------------------------------------------


def _title(comment) -> str:
    return str(comment.thread.subject.title)


def _open_url(comment) -> str:
    from .threads import comment_url

    return comment_url(comment)


def _prepare(queryset):
    return queryset.with_subjects().select_related("author")


def _actor_label(comment, notification) -> str:
    from .subjects import shown_author

    return shown_author(comment)


def _unfollow_url(comment, member) -> str | None:
    subscription = comment.thread.subscriptions.filter(member=member).first()
    if subscription is None:
        return None
    return absolute_url(reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(subscription)}))


def _render_mail(notification, links) -> tuple[str, str] | None:
    """A reply or a follow-up quotes the comment, as the thread e-mails always did."""
    if notification.kind not in (Kind.REPLY, Kind.FOLLOWED, Kind.MENTION):
        return None
    comment = notification.target
    context = {
        "comment": comment,
        "comment_text": mention_text.as_text(comment.body),  # mentions by their current names
        "subject": comment.thread.subject,
        "comment_url": links["url"],
        "member": notification.recipient,
        "kind": notification.kind,
        **links,
    }
    return (
        render_to_string("comments/email/reply_subject.txt", context),
        render_to_string("comments/email/reply_body.txt", context),
    )


def register() -> None:
    from .models import Comment

    targets.register(
        Comment,
        kind="comment",
        visible_to=Comment.objects.seen_by,
        title=_title,
        url=Comment.get_absolute_url,
        open_url=_open_url,
        prepare=_prepare,
        actor_label=_actor_label,
        notes=DECISION_NOTES,
        render_mail=_render_mail,
        unfollow_url=_unfollow_url,
    )
