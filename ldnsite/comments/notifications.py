"""Reply notifications: e-mail to members who follow a thread, with a signed one-click unsubscribe link.

Called inside the transaction that publishes the comment: the mail rows commit with it (ldnsite.mail).
"""

import logging

from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from ldnsite.http import absolute_url
from ldnsite.mail import delivery as mail
from ldnsite.mentions import text as mention_text

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "ldnsite.comments.unsubscribe"


def unsubscribe_token(subscription) -> str:
    return signing.dumps({"s": subscription.pk, "m": subscription.member_id}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def send_reply_notifications(comment_id: int) -> int:
    """Queue mail to the thread's followers about a comment, if it is public. Returns how many."""
    from .models import Comment
    from .threads import comment_url

    comment = Comment.objects.public().with_subjects().select_related("author").filter(pk=comment_id).first()
    if comment is None:
        return 0
    subscriptions = comment.thread.subscriptions.select_related("member").exclude(member=comment.author_id)
    comment_text = mention_text.as_text(comment.body)  # mentions by name, read once for every follower
    messages = []
    for subscription in subscriptions.filter(member__is_active=True):
        unsubscribe_url = absolute_url(
            reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(subscription)})
        )
        context = {
            "comment": comment,
            "comment_text": comment_text,
            "subject": comment.thread.subject,
            "comment_url": absolute_url(comment_url(comment)),
            "unsubscribe_url": unsubscribe_url,
            "member": subscription.member,
        }
        messages.append(
            EmailMessage(
                # A title may hold line breaks; a mail header may not.
                subject=" ".join(render_to_string("comments/email/reply_subject.txt", context).split()),
                body=render_to_string("comments/email/reply_body.txt", context),
                to=[subscription.member.email],
                headers={
                    "List-Unsubscribe": f"<{unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    **mail.about(comment),
                },
            )
        )
    if messages:
        get_connection().send_messages(messages)
        logger.info("reply notifications queued", extra={"comment": comment.pk, "count": len(messages)})
    return len(messages)
