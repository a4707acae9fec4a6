"""E-mail to a topic's author about a moderator's decision, queued in the decision's transaction."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from ldnsite.http import absolute_url

SUBJECTS = {
    "approve": "Your discussion topic is published",
    "reject": "Your discussion topic was not approved",
    "hide": "Your discussion topic is hidden for review",
    "restore": "Your discussion topic is shown again",
    "remove": "Your discussion topic was removed",
}


def send_decision(topic_id: int, decision: str) -> None:
    from .models import Topic

    topic = Topic.objects.select_related("author").filter(pk=topic_id).first()
    if topic is None or topic.author is None or not topic.author.is_active:
        return
    context = {
        "topic": topic,
        "decision": decision,
        "member": topic.author,
        # Built where no request says the host (the worker may build it): DJANGO_SITE_URL.
        "topic_url": absolute_url(topic.get_absolute_url()),
        "guidelines_url": absolute_url(reverse("pages:guidelines")),
    }
    send_mail(
        subject=f"[ldnsite] {SUBJECTS[decision]}",
        message=render_to_string("discussions/email/decision.txt", context),
        from_email=None,
        recipient_list=[topic.author.email],
    )
