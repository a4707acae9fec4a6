from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Comment, Report

from .exceptions import InvalidTransition

MODERATE_COMMENTS = "comments.moderate_comment"
COMMENT_ACTIONS = {
    "publish": comment_moderation.publish,
    "restore": comment_moderation.restore,
    "remove": comment_moderation.remove,
}


@login_required
@permission_required(MODERATE_COMMENTS, raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    """The moderators' page: held comments and reported or hidden comments, oldest first."""
    open_reports = Prefetch(
        "reports", queryset=Report.objects.filter(resolved_at__isnull=True).order_by("created_at")
    )
    base = Comment.objects.select_related("author", "thread__article", "thread__study").prefetch_related(
        open_reports
    )
    held = base.held().order_by("created_at", "pk")[:100]
    reported = (
        base.filter(status__in=[Comment.Status.PUBLISHED, Comment.Status.HIDDEN])
        .annotate(open_report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .filter(Q(status=Comment.Status.HIDDEN) | Q(open_report_count__gt=0))
        .order_by("created_at", "pk")[:100]
    )
    return render(request, "moderation/queue.html", {"held": held, "reported": reported})


@login_required
@permission_required(MODERATE_COMMENTS, raise_exception=True)
@require_POST
def decide_comment(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in COMMENT_ACTIONS:
        raise Http404("No such decision.")
    comment = get_object_or_404(Comment, pk=pk)
    reason = request.POST.get("reason", "").strip()[:500]
    if action == "remove" and not reason:
        messages.error(request, f"Comment {pk}: give a reason to remove it.")
        return redirect("moderation:queue")
    try:
        COMMENT_ACTIONS[action](comment, by=request.user, reason=reason)
    except InvalidTransition:
        messages.warning(request, f"Comment {pk} was already decided by another moderator; nothing changed.")
    else:
        messages.success(request, f"Comment {pk}: {action} done.")
    return redirect("moderation:queue")
