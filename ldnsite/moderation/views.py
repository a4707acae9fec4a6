"""The moderators' queue: member experiences (new ones and edits of published ones) first, then comments.

Reading happens here; every decision is a POST that calls one transition function from the app's
moderation.py. A decision that another moderator already made (or that lost a race) changes nothing and
says so.
"""

import re
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Comment, CommentRevision, Report
from ldnsite.comments.subjects import with_subjects
from ldnsite.privileges import privilege_required, privileges
from testimonials import moderation as testimonial_moderation
from testimonials.models import Testimonial, TestimonialContent, TestimonialRevision

from .exceptions import STALE_DECISION, InvalidTransition, ItemChanged, OwnContent
from .models import ModerationEvent

MODERATE_COMMENTS = "comments.moderate_comment"
MODERATE_TESTIMONIALS = "testimonials.moderate_testimonial"
COMMENT_ACTIONS = {
    "publish": comment_moderation.publish,
    "restore": comment_moderation.restore,
    "dismiss": comment_moderation.dismiss,
    "remove": comment_moderation.remove,
}
# Decisions the log must explain: the moderator gives a reason.
COMMENT_ACTIONS_WITH_REASON = {"dismiss": "dismiss its reports", "remove": "remove it"}
COMMENT_DONE = {
    "publish": "is published",
    "restore": "is shown again; its reports are dismissed",
    "dismiss": "stays published; its reports are dismissed",
    "remove": "is removed",
}
COMMENT_REVISION_ACTIONS = {
    "approve": (comment_moderation.approve_revision, "The edit of comment {pk} is published."),
    "reject": (comment_moderation.reject_revision, "The edit of comment {pk} was turned down; the "
               "approved text stays."),
}  # fmt: skip
QUEUE_LIMIT = 100
# Where a decision sends the moderator back to (?at=...): a section, a card, or the bulk form.
PLACE = re.compile(
    r"testimonials|revisions|bulk-form|reject-(testimonial|revision)-\d+|held-heading|reported-heading"
    r"|comment-edits"
)
NEW_ACCOUNT_DAYS = 7
ALREADY_DECIDED = "was already decided by another moderator; nothing changed"

# Reasons moderators give most often: a short label for the moderator, and the words the author receives
# (in the e-mail and on their own page), written so that the author knows what to change.
CANNED_REASONS = {
    "personal_details": (
        "Contains someone's personal details",
        "It contains someone's personal details, such as a name, an address, an e-mail address or a phone "
        "number. Please take them out and send it again.",
    ),
    "selling": (
        "Promotes buying or selling medicines",
        "It promotes buying or selling medicines, or says where to get them. ldnsite cannot publish that.",
    ),
    "instructions": (
        "Gives medical instructions to others",
        "It tells other people how to take LDN or other medicines. Please describe what you did and what "
        "happened to you, rather than what others should do.",
    ),
    "not_own_experience": (
        "Not about the author's own experience with LDN",
        "It is not about your own experience with LDN (or, if you are a carer, the experience of the person "
        "you care for). Member experiences are first-hand accounts.",
    ),
}
REASON_MAX_LENGTH = 1_000


class RejectionForm(forms.Form):
    """A reason is required: one of the usual ones, words of the moderator's own, or both."""

    reason_choice = forms.ChoiceField(
        label="Reason",
        required=False,
        choices=[("", "Choose a usual reason…"), *((key, pair[0]) for key, pair in CANNED_REASONS.items())],
    )
    reason = forms.CharField(
        label="Reason in your own words",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict:
        data = super().clean()
        parts = []
        if data.get("reason_choice"):
            parts.append(CANNED_REASONS[data["reason_choice"]][1])
        if data.get("reason", "").strip():
            parts.append(data["reason"].strip())
        if not parts and not self.errors:
            raise forms.ValidationError(
                "Give a reason: choose a usual one or write your own. "
                "The author needs to know what to change."
            )
        self.full_reason = "\n\n".join(parts)
        return data

    def first_error(self) -> str:
        return " ".join(message for messages_ in self.errors.values() for message in messages_)


# Logged in (else to the login page) and acting as a moderator of something (else 403).
moderator_required = privilege_required(MODERATE_TESTIMONIALS, MODERATE_COMMENTS)


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery: a number per row, without a query per row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def _with_author_signals(queryset: QuerySet, author_field: str) -> QuerySet:
    """Annotate each row with its author's earlier rejections and open reports on their comments."""
    testimonial_type = ContentType.objects.get_for_model(Testimonial)
    authors_testimonials = Testimonial.objects.filter(author=OuterRef(OuterRef(author_field))).values("pk")
    rejections = ModerationEvent.objects.filter(
        content_type=testimonial_type,
        action__in=["reject", "reject_revision"],
        object_id__in=authors_testimonials,
    ).values("pk")
    open_reports = Report.objects.filter(
        resolved_at__isnull=True, comment__author=OuterRef(author_field)
    ).values("pk")
    return queryset.annotate(
        author_rejection_count=SubqueryCount(rejections), author_open_report_count=SubqueryCount(open_reports)
    )


def _dose(content: TestimonialContent) -> str:
    return f"{format(content.dose_mg.normalize(), 'f')} mg a day"


def _shown_as(content: TestimonialContent, author) -> str:
    """The name the public will see, exactly as the published page will show it."""
    as_published = Testimonial(author=author, ms_type=content.ms_type, display_as=content.display_as)
    return as_published.shown_author


def _record(content: TestimonialContent, author) -> list[tuple[str, str]]:
    """The structured part of a testimonial or revision, as (label, value) rows a moderator reads."""
    side_effects = ", ".join(content.side_effect_labels) or "None given"
    return [
        ("Title", content.title),
        ("Type of MS", content.get_ms_type_display()),
        ("LDN dose", _dose(content)),
        ("Time on LDN", content.get_time_on_ldn_display()),
        ("What changed", content.get_change_display()),
        ("Side effects", side_effects),
        ("Other side effects", content.side_effects_other or "—"),
        ("Other MS treatments", content.other_treatments or "—"),
        ("Shown to readers as", _shown_as(content, author)),
    ]


def _signals(item, author, now) -> None:
    """Attach what a moderator should weigh up to a queue item (no queries: the counts are annotated)."""
    item.account_age_days = (now - author.date_joined).days if author is not None else None
    item.is_new_account = item.account_age_days is not None and item.account_age_days < NEW_ACCOUNT_DAYS
    item.contact_signals = item.risk_signals


def _pending_testimonials(user, now) -> tuple[list[Testimonial], int]:
    pending = _with_author_signals(
        Testimonial.objects.pending().select_related("author").order_by("submitted_at", "pk"), "author"
    )
    items = list(pending[:QUEUE_LIMIT])
    total = len(items) if len(items) < QUEUE_LIMIT else Testimonial.objects.pending().count()
    for testimonial in items:
        _signals(testimonial, testimonial.author, now)
        testimonial.record = _record(testimonial, testimonial.author)
        testimonial.is_own = testimonial.author_id == user.pk
    return items, total


def _pending_revisions(user, now) -> tuple[list[TestimonialRevision], int]:
    pending = TestimonialRevision.objects.filter(
        status=TestimonialRevision.Status.PENDING, testimonial__status=Testimonial.Status.APPROVED
    )
    revisions = _with_author_signals(
        pending.select_related("testimonial__author").order_by("created_at", "pk"), "testimonial__author"
    )
    items = list(revisions[:QUEUE_LIMIT])
    total = len(items) if len(items) < QUEUE_LIMIT else pending.count()
    for revision in items:
        published = revision.testimonial
        _signals(revision, published.author, now)
        was = dict(_record(published, published.author))
        revision.record = [(label, value, was[label]) for label, value in _record(revision, published.author)]
        revision.changed_labels = [label for label, value, old in revision.record if value != old]
        revision.narrative_changed = revision.narrative != published.narrative
        if revision.narrative_changed:
            revision.changed_labels.append("Narrative")
        revision.is_own = published.author_id == user.pk
    return items, total


def _comment_queue() -> dict:
    """Held comments, reported or hidden ones, and edits of approved comments. Each card's forms carry the
    comment's version, so a decision on a comment that changed since is refused."""
    open_reports = Prefetch(
        "reports", queryset=Report.objects.filter(resolved_at__isnull=True).order_by("created_at")
    )
    base = Comment.objects.with_subjects().select_related("author").prefetch_related(open_reports)
    held = base.held().order_by("created_at", "pk")[:QUEUE_LIMIT]
    reported = (
        base.filter(status__in=[Comment.Status.PUBLISHED, Comment.Status.HIDDEN])
        .annotate(open_report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .filter(Q(status=Comment.Status.HIDDEN) | Q(open_report_count__gt=0))
        .order_by("created_at", "pk")[:QUEUE_LIMIT]
    )
    comment_edits = with_subjects(
        CommentRevision.objects.filter(comment__status=Comment.Status.PUBLISHED), through="comment__thread"
    ).select_related("comment__author")[:QUEUE_LIMIT]
    return {"held": held, "reported": reported, "comment_edits": comment_edits}


@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    """The moderators' page: waiting member experiences and edits, then held and reported comments."""
    acting = privileges(request)
    can_testimonials = acting.has(MODERATE_TESTIMONIALS)
    can_comments = acting.has(MODERATE_COMMENTS)
    context = {
        "can_moderate_testimonials": can_testimonials,
        "can_moderate_comments": can_comments,
        "reason_choices": RejectionForm.base_fields["reason_choice"].choices,
        "reason_max_length": REASON_MAX_LENGTH,
        "new_account_days": NEW_ACCOUNT_DAYS,
        "at": request.GET.get("at", "") if PLACE.fullmatch(request.GET.get("at", "")) else "",
    }
    if can_testimonials:
        now = timezone.now()
        context["testimonials"], context["testimonial_total"] = _pending_testimonials(request.user, now)
        context["revisions"], context["revision_total"] = _pending_revisions(request.user, now)
        context["has_decidable_testimonials"] = any(not t.is_own for t in context["testimonials"])
    if can_comments:
        context.update(_comment_queue())
    return render(request, "moderation/queue.html", context)


def _back_to(place: str) -> HttpResponse:
    """Back to the queue at the place the moderator was working; the outcome is repeated there, because
    the page's own messages at the top are scrolled out of view."""
    return redirect(reverse("moderation:queue") + f"?{urlencode({'at': place})}#{place}")


def _decide(request: HttpRequest, name: str, transition: Callable, obj, **kwargs) -> bool:
    """Run one transition and tell the moderator what happened; True if it was done."""
    try:
        transition(obj, by=request.user, **kwargs)
    except InvalidTransition as exc:
        if exc.current == Testimonial.Status.WITHDRAWN.label.lower():
            messages.warning(request, f"{name} was withdrawn by its author; nothing changed.")
        else:
            messages.warning(request, f"{name} {ALREADY_DECIDED} (it is now {exc.current}).")
        return False
    except ObjectDoesNotExist:
        messages.warning(request, f"{name} no longer exists (its author may have deleted it).")
        return False
    except ItemChanged:
        messages.warning(request, f"{name}: {STALE_DECISION} Nothing changed.")
        return False
    except OwnContent:
        messages.error(request, f"{name} is your own; another moderator needs to decide on it.")
        return False
    return True


def _refuse_own(request: HttpRequest, name: str, author_id: int | None) -> bool:
    """Moderators do not decide on their own writing: another moderator does."""
    if author_id is not None and author_id == request.user.pk:
        messages.error(request, f"{name} is your own; another moderator needs to decide on it.")
        return True
    return False


def _testimonial_name(testimonial: Testimonial) -> str:
    return f"The experience “{testimonial.title}”"


def _decide_one(request: HttpRequest, obj, *, name: str, author_id, place: str, reason_form: str, action: str,
                approve, reject, approved: str, rejected: str) -> HttpResponse:  # fmt: skip
    """Approve (the version the moderator read) or reject with a reason one testimonial or revision."""
    if _refuse_own(request, name, author_id):
        return _back_to(place)
    if action == "approve":
        if _decide(request, name, approve, obj, seen=request.POST.get("seen", "")):
            messages.success(request, approved)
    elif action == "reject":
        form = RejectionForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"{name}: {form.first_error()} Nothing was changed.")
            return _back_to(reason_form)
        if _decide(request, name, reject, obj, reason=form.full_reason, seen=request.POST.get("seen", "")):
            messages.success(request, rejected)
    else:
        raise Http404("No such decision.")
    return _back_to(place)


@privilege_required(MODERATE_TESTIMONIALS)
@require_POST
def decide_testimonial(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    testimonial = Testimonial.objects.filter(pk=pk).first()
    if testimonial is None:
        messages.warning(request, "That experience no longer exists (its author may have deleted it).")
        return _back_to("testimonials")
    name = _testimonial_name(testimonial)
    return _decide_one(
        request, testimonial, name=name, author_id=testimonial.author_id, place="testimonials",
        reason_form=f"reject-testimonial-{pk}", action=action,
        approve=testimonial_moderation.approve, reject=testimonial_moderation.reject,
        approved=f"{name} is published. Its author will get an e-mail.",
        rejected=f"{name} was not approved. Its author will get the reason by e-mail.",
    )  # fmt: skip


@privilege_required(MODERATE_TESTIMONIALS)
@require_POST
def decide_revision(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    revision = TestimonialRevision.objects.select_related("testimonial").filter(pk=pk).first()
    if revision is None:
        messages.warning(request, "Those changes no longer exist (the author may have withdrawn them).")
        return _back_to("revisions")
    name = f"The changes to “{revision.testimonial.title}”"
    return _decide_one(
        request, revision, name=name, author_id=revision.testimonial.author_id, place="revisions",
        reason_form=f"reject-revision-{pk}", action=action, approve=testimonial_moderation.approve_revision,
        reject=testimonial_moderation.reject_revision,
        approved=f"{name} are published. Their author will get an e-mail.",
        rejected=f"{name} were not approved; the earlier text stays published.",
    )  # fmt: skip


@privilege_required(MODERATE_TESTIMONIALS)
@require_POST
def decide_testimonials_in_bulk(request: HttpRequest) -> HttpResponse:
    """Approve, or reject with one reason, every ticked experience; each one on its own."""
    action = request.POST.get("action")
    ids = [int(value) for value in request.POST.getlist("ids") if value.isascii() and value.isdigit()][:200]
    ids = [pk for pk in ids if pk < 2**31]
    if action not in ("approve", "reject"):
        messages.error(request, "Choose to approve or to reject the ticked experiences. Nothing was changed.")
        return _back_to("bulk-form")
    if not ids:
        messages.error(request, "Tick at least one experience first. Nothing was changed.")
        return _back_to("bulk-form")
    kwargs = {}
    if action == "reject":
        form = RejectionForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"{form.first_error()} Nothing was changed.")
            return _back_to("bulk-form")
        kwargs["reason"] = form.full_reason
    transition = testimonial_moderation.approve if action == "approve" else testimonial_moderation.reject
    done = 0
    for testimonial in Testimonial.objects.filter(pk__in=ids).order_by("submitted_at", "pk"):
        name = _testimonial_name(testimonial)
        kwargs["seen"] = request.POST.get(f"seen-{testimonial.pk}", "")
        if not _refuse_own(request, name, testimonial.author_id) and _decide(
            request, name, transition, testimonial, **kwargs
        ):
            done += 1
    if done:
        verb = "published" if action == "approve" else "not approved"
        if done == 1:
            messages.success(request, f"1 experience was {verb}. Its author will get an e-mail.")
        else:
            messages.success(request, f"{done} experiences were {verb}. Their authors will get an e-mail.")
    return _back_to("testimonials")


@privilege_required(MODERATE_COMMENTS)
@require_POST
def decide_comment(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Publish, restore, dismiss the reports on, or remove one comment: the version the moderator read."""
    if action not in COMMENT_ACTIONS:
        raise Http404("No such decision.")
    comment = get_object_or_404(Comment, pk=pk)
    place = "held-heading" if comment.status == Comment.Status.HELD else "reported-heading"
    reason = request.POST.get("reason", "").strip()[:500]
    if action in COMMENT_ACTIONS_WITH_REASON and not reason:
        messages.error(request, f"Comment {pk}: give a reason to {COMMENT_ACTIONS_WITH_REASON[action]}. "
                                "Nothing was changed.")  # fmt: skip
        return _back_to(place)
    name = f"Comment {pk}"
    seen = request.POST.get("seen", "")
    if _decide(request, name, COMMENT_ACTIONS[action], comment, reason=reason, seen=seen):
        messages.success(request, f"{name} {COMMENT_DONE[action]}.")
    return _back_to(place)


@privilege_required(MODERATE_COMMENTS)
@require_POST
def decide_comment_revision(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve or turn down the edit waiting on comment `pk` (the version the moderator read)."""
    if action not in COMMENT_REVISION_ACTIONS:
        raise Http404("No such decision.")
    revision = CommentRevision.objects.filter(comment_id=pk).first()
    if revision is None:
        messages.warning(request, f"The edit of comment {pk} {ALREADY_DECIDED}.")
        return _back_to("comment-edits")
    transition, done = COMMENT_REVISION_ACTIONS[action]
    kwargs = {"seen": request.POST.get("seen", "")}
    if action == "reject":
        kwargs["reason"] = request.POST.get("reason", "").strip()[:500]
    if _decide(request, f"The edit of comment {pk}", transition, revision, **kwargs):
        messages.success(request, done.format(pk=pk))
    return _back_to("comment-edits")
