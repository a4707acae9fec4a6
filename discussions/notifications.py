"""A moderator's decision on a topic, in its author's inbox (ldnsite.notifications, kind "decision") and by
e-mail as they chose for decisions; mentions in a topic's text. Called inside the decision's transaction:
the rows and the mail row commit with it. One decision, one e-mail: the notification's own, in this app's
words (`_render_mail`)."""

from django.template.loader import render_to_string
from django.urls import reverse

from ldnsite.http import absolute_url
from ldnsite.mentions.text import mentioned_members
from ldnsite.notifications import services as inbox
from ldnsite.notifications import targets
from ldnsite.notifications.models import Kind

SUBJECTS = {
    "approve": "Your discussion topic is published",
    "reject": "Your discussion topic was not approved",
    "hide": "Your discussion topic is hidden for review",
    "restore": "Your discussion topic is shown again",
    "remove": "Your discussion topic was removed",
}
NOTES = {
    "approve": "A moderator published your topic “{title}”.",
    "reject": "A moderator could not publish your topic “{title}” as it is: read their reason.",
    "hide": "A moderator hid your topic “{title}” while they review it.",
    "restore": "Your topic “{title}” is shown again.",
    "remove": "A moderator removed your topic “{title}”.",
}


def send_decision(topic_id: int, decision: str) -> None:
    from .models import Topic

    topic = Topic.objects.select_related("author").filter(pk=topic_id).first()
    if topic is None or topic.author is None:
        return
    inbox.notify(topic.author, Kind.DECISION, target=topic, note=decision)


def send_mentions(topic) -> None:
    """Tell the members the topic's text mentions, once it is public (a held topic tells nobody yet)."""
    from django.contrib.auth import get_user_model

    ids = mentioned_members(topic.body, author_id=topic.author_id)
    for member in get_user_model().objects.filter(pk__in=ids, is_active=True):
        inbox.notify(member, Kind.MENTION, target=topic, actor=topic.author)


def _visible_to(member):
    """Published topics, and the member's own in any state (decisions about them reach them)."""
    from .models import Topic

    if getattr(member, "pk", None) is None:
        return Topic.objects.public()
    return Topic.objects.public() | Topic.objects.filter(author=member)


def _render_mail(notification, links) -> tuple[str, str] | None:
    if notification.kind != Kind.DECISION or notification.note not in SUBJECTS:
        return None
    topic = notification.target
    context = {
        "topic": topic,
        "decision": notification.note,
        "member": notification.recipient,
        # Built where no request says the host (the worker may build it): DJANGO_SITE_URL.
        "topic_url": absolute_url(topic.get_absolute_url()),
        "guidelines_url": absolute_url(reverse("pages:guidelines")),
        **links,
    }
    subject = f"[ldnsite] {SUBJECTS[notification.note]}"
    return subject, render_to_string("discussions/email/decision.txt", context)


def register() -> None:
    from .models import Topic

    targets.register(
        Topic,
        kind="topic",
        visible_to=_visible_to,
        title=lambda topic: topic.title,
        url=lambda topic: topic.get_absolute_url(),
        notes=NOTES,
        render_mail=_render_mail,
    )
