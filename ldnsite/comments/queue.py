"""This app's sections of the moderator queue (ldnsite.moderation.queue): held comments, reported or hidden
ones, and edits of approved comments, and the views that decide them. Each card's forms carry the comment's
version, so a decision on a comment that changed since is refused."""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_POST

from ldnsite.moderation import queue as moderator_queue
from ldnsite.moderation.decisions import ALREADY_DECIDED, back_to, decide
from ldnsite.moderation.queue import Section, Waiting, first_and_total
from ldnsite.privileges import privilege_required
from ldnsite.watchwords.matching import hits_by_object

from . import moderation
from .managers import MODERATE_PERMISSION
from .models import Comment, CommentRevision, Report
from .subjects import with_subjects

ACTIONS = {
    "publish": moderation.publish,
    "restore": moderation.restore,
    "dismiss": moderation.dismiss,
    "remove": moderation.remove,
}
# Decisions the log must explain: the moderator gives a reason.
ACTIONS_WITH_REASON = {"dismiss": "dismiss its reports", "remove": "remove it"}
DONE = {
    "publish": "is published",
    "restore": "is shown again; its reports are dismissed",
    "dismiss": "stays published; its reports are dismissed",
    "remove": "is removed",
}
REVISION_ACTIONS = {
    "approve": (moderation.approve_revision, "The edit of comment {pk} is published."),
    "reject": (moderation.reject_revision, "The edit of comment {pk} was turned down; the "
               "approved text stays."),
}  # fmt: skip


# Reading ----------------------------------------------------------------------------------------------------


def _comments():
    open_reports = Prefetch(
        "reports", queryset=Report.objects.filter(resolved_at__isnull=True).order_by("created_at")
    )
    return Comment.objects.with_subjects().select_related("author").prefetch_related(open_reports)


def _with_watched_words(comments: list[Comment]) -> list[Comment]:
    """Attach the watched words each comment matched (why a comment was held, what was flagged): one query."""
    found = hits_by_object(moderation.WATCHED_KIND, [comment.pk for comment in comments])
    for comment in comments:
        comment.watched_hits = found.get(comment.pk, [])
    return comments


def held_comments(request: HttpRequest) -> Waiting:
    held, total = first_and_total(_comments().held().order_by("created_at", "pk"))
    return Waiting(total, {"held": _with_watched_words(held)})


def reported_comments(request: HttpRequest) -> Waiting:
    reported, total = first_and_total(
        _comments()
        .filter(status__in=[Comment.Status.PUBLISHED, Comment.Status.HIDDEN])
        .annotate(open_report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .filter(Q(status=Comment.Status.HIDDEN) | Q(open_report_count__gt=0))
        .order_by("created_at", "pk")
    )
    return Waiting(total, {"reported": _with_watched_words(reported)})


def comment_edits(request: HttpRequest) -> Waiting:
    waiting = CommentRevision.objects.filter(comment__status=Comment.Status.PUBLISHED)
    edits, total = first_and_total(
        with_subjects(waiting, through="comment__thread").select_related("comment__author")
    )
    found = hits_by_object(moderation.WATCHED_KIND, [revision.comment_id for revision in edits])
    for revision in edits:
        revision.watched_hits = found.get(revision.comment_id, [])
    return Waiting(total, {"comment_edits": edits})


# Deciding ---------------------------------------------------------------------------------------------------


@privilege_required(MODERATE_PERMISSION)
@require_POST
def decide_comment(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Publish, restore, dismiss the reports on, or remove one comment: the version the moderator read."""
    if action not in ACTIONS:
        raise Http404("No such decision.")
    comment = get_object_or_404(Comment, pk=pk)
    place = "held-heading" if comment.status == Comment.Status.HELD else "reported-heading"
    reason = request.POST.get("reason", "").strip()[:500]
    if action in ACTIONS_WITH_REASON and not reason:
        messages.error(request, f"Comment {pk}: give a reason to {ACTIONS_WITH_REASON[action]}. "
                                "Nothing was changed.")  # fmt: skip
        return back_to(place)
    name = f"Comment {pk}"
    seen = request.POST.get("seen", "")
    if decide(request, name, ACTIONS[action], comment, reason=reason, seen=seen):
        messages.success(request, f"{name} {DONE[action]}.")
    return back_to(place)


@privilege_required(MODERATE_PERMISSION)
@require_POST
def decide_comment_revision(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve or turn down the edit waiting on comment `pk` (the version the moderator read)."""
    if action not in REVISION_ACTIONS:
        raise Http404("No such decision.")
    revision = CommentRevision.objects.filter(comment_id=pk).first()
    if revision is None:
        messages.warning(request, f"The edit of comment {pk} {ALREADY_DECIDED}.")
        return back_to("comment-edits")
    transition, done = REVISION_ACTIONS[action]
    kwargs = {"seen": request.POST.get("seen", "")}
    if action == "reject":
        kwargs["reason"] = request.POST.get("reason", "").strip()[:500]
    if decide(request, f"The edit of comment {pk}", transition, revision, **kwargs):
        messages.success(request, done.format(pk=pk))
    return back_to("comment-edits")


def register() -> None:
    """Comments come after the sections of what they are written about (orders 100 to 299)."""
    moderator_queue.register(
        Section(
            key="held-heading",
            label="Held comments",
            permission=MODERATE_PERMISSION,
            template="comments/queue/held.html",
            waiting=held_comments,
            order=300,
        ),
        Section(
            key="reported-heading",
            label="Reported and hidden comments",
            permission=MODERATE_PERMISSION,
            template="comments/queue/reported.html",
            waiting=reported_comments,
            order=400,
        ),
        Section(
            key="comment-edits",
            label="Edits of approved comments",
            permission=MODERATE_PERMISSION,
            template="comments/queue/edits.html",
            waiting=comment_edits,
            order=500,
        ),
        urls=[
            path("comments/<int:pk>/<str:action>/", decide_comment, name="decide_comment"),
            path(
                "comments/<int:pk>/edit/<str:action>/",
                decide_comment_revision,
                name="decide_comment_revision",
            ),
        ],
    )
