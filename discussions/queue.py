"""This app's sections of the moderator queue (ldnsite.moderation.queue): held topics (a new member's first)
and reported or hidden ones, and the view that decides them through discussions.moderation."""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from ldnsite.moderation import queue as moderator_queue
from ldnsite.moderation.decisions import back_to, decide
from ldnsite.moderation.queue import Section, Waiting, first_and_total
from ldnsite.privileges import privilege_required

from . import moderation
from .managers import MODERATE_PERMISSION
from .models import Topic, TopicReport

Status = Topic.Status
# action -> (transition, needs a reason, what is said when done)
ACTIONS = {
    "approve": (moderation.approve, False, "is published. Its author will get an e-mail"),
    "reject": (moderation.reject, True, "was not approved. Its author will get the reason by e-mail"),
    "dismiss": (moderation.dismiss, True, "stays published; its reports are dismissed"),
    "hide": (moderation.hide, True, "is hidden until a moderator decides"),
    "restore": (moderation.restore, False, "is shown again; its reports are dismissed"),
    "remove": (moderation.remove, True, "is removed"),
}


def _topics():
    open_reports = Prefetch(
        "reports",
        queryset=TopicReport.objects.filter(resolved_at__isnull=True).order_by("created_at"),
        to_attr="open_reports",
    )
    return Topic.objects.select_related("author", "category").prefetch_related(open_reports)


def held_topics(request: HttpRequest) -> Waiting:
    held, total = first_and_total(_topics().held().order_by("created_at", "pk"))
    return Waiting(total, {"held_topics": held})


def reported_topics(request: HttpRequest) -> Waiting:
    reported, total = first_and_total(
        _topics()
        .filter(status__in=[Status.PUBLISHED, Status.HIDDEN])
        .annotate(open_report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .filter(Q(status=Status.HIDDEN) | Q(open_report_count__gt=0))
        .order_by("created_at", "pk")
    )
    return Waiting(total, {"reported_topics": reported})


@privilege_required(MODERATE_PERMISSION)
@require_POST
def decide_topic(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such decision.")
    topic = Topic.objects.filter(pk=pk).first()
    place = "held-topics" if topic is None or topic.status == Status.HELD else "reported-topics"
    if topic is None:
        messages.warning(request, "That topic no longer exists (its author may have deleted it).")
        return back_to(place)
    transition, needs_reason, done = ACTIONS[action]
    name = f"The topic “{topic.title}”"
    reason = request.POST.get("reason", "").strip()[:1_000]
    if needs_reason and not reason:
        messages.error(request, f"{name}: give a reason to {action} it. Nothing was changed.")
        return back_to(place)
    if decide(request, name, transition, topic, reason=reason):
        messages.success(request, f"{name} {done}.")
    return back_to(place)


def register() -> None:
    """Topics come after member experiences (100, 200) and before comments (300 onwards)."""
    moderator_queue.register(
        Section(
            key="held-topics",
            label="Held discussion topics",
            permission=MODERATE_PERMISSION,
            template="discussions/queue/held.html",
            waiting=held_topics,
            order=250,
        ),
        Section(
            key="reported-topics",
            label="Reported and hidden discussion topics",
            permission=MODERATE_PERMISSION,
            template="discussions/queue/reported.html",
            waiting=reported_topics,
            order=260,
        ),
        urls=[path("topics/<int:pk>/<str:action>/", decide_topic, name="decide_topic")],
    )
