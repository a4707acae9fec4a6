"""This app's sections of the moderator queue (ldnsite.moderation.queue): new member experiences and changes
to published ones, each shown with what a moderator should weigh up, and the views that decide them."""

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from ldnsite.comments.models import Report
from ldnsite.moderation import queue as moderator_queue
from ldnsite.moderation.decisions import back_to, decide, refuse_own
from ldnsite.moderation.models import ModerationEvent
from ldnsite.moderation.queue import Section, SubqueryCount, Waiting, first_and_total
from ldnsite.privileges import privilege_required

from . import moderation
from .managers import MODERATE_PERMISSION
from .models import Testimonial, TestimonialContent, TestimonialRevision

NEW_ACCOUNT_DAYS = 7
# A decision on a story its author withdrew meanwhile is refused with these words.
WITHDRAWN = {Testimonial.Status.WITHDRAWN.label.lower(): "was withdrawn by its author"}

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


# Reading ----------------------------------------------------------------------------------------------------


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


def record_rows(content: TestimonialContent, author) -> list[tuple[str, str]]:
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
    # The watched words are read from the shared cache: no query per item.
    item.watched_matches = item.watched.matches


def _reason_fields() -> dict:
    return {
        "reason_choices": RejectionForm.base_fields["reason_choice"].choices,
        "reason_max_length": REASON_MAX_LENGTH,
        "new_account_days": NEW_ACCOUNT_DAYS,
    }


def pending_testimonials(request: HttpRequest) -> Waiting:
    now = timezone.now()
    pending = _with_author_signals(
        Testimonial.objects.pending().select_related("author").order_by("submitted_at", "pk"), "author"
    )
    items, total = first_and_total(pending)
    for testimonial in items:
        _signals(testimonial, testimonial.author, now)
        testimonial.record = record_rows(testimonial, testimonial.author)
        testimonial.is_own = testimonial.author_id == request.user.pk
    context = {
        "testimonials": items,
        "testimonial_total": total,
        "has_decidable_testimonials": any(not testimonial.is_own for testimonial in items),
        **_reason_fields(),
    }
    return Waiting(total, context)


def pending_revisions(request: HttpRequest) -> Waiting:
    now = timezone.now()
    pending = TestimonialRevision.objects.filter(
        status=TestimonialRevision.Status.PENDING, testimonial__status=Testimonial.Status.APPROVED
    )
    revisions = _with_author_signals(
        pending.select_related("testimonial__author").order_by("created_at", "pk"), "testimonial__author"
    )
    items, total = first_and_total(revisions)
    for revision in items:
        published = revision.testimonial
        _signals(revision, published.author, now)
        was = dict(record_rows(published, published.author))
        now_reads = record_rows(revision, published.author)
        revision.record = [(label, value, was[label]) for label, value in now_reads]
        revision.changed_labels = [label for label, value, old in revision.record if value != old]
        revision.narrative_changed = revision.narrative != published.narrative
        if revision.narrative_changed:
            revision.changed_labels.append("Narrative")
        revision.is_own = published.author_id == request.user.pk
    return Waiting(total, {"revisions": items, "revision_total": total, **_reason_fields()})


# Deciding ---------------------------------------------------------------------------------------------------


def _testimonial_name(testimonial: Testimonial) -> str:
    return f"The experience “{testimonial.title}”"


def _decide_one(request: HttpRequest, obj, *, name: str, author_id, place: str, reason_form: str, action: str,
                approve, reject, approved: str, rejected: str) -> HttpResponse:  # fmt: skip
    """Approve (the version the moderator read) or reject with a reason one testimonial or revision."""
    if refuse_own(request, name, author_id):
        return back_to(place)
    seen = request.POST.get("seen", "")
    if action == "approve":
        if decide(request, name, approve, obj, explain=WITHDRAWN, seen=seen):
            messages.success(request, approved)
    elif action == "reject":
        form = RejectionForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"{name}: {form.first_error()} Nothing was changed.")
            return back_to(reason_form)
        if decide(request, name, reject, obj, explain=WITHDRAWN, reason=form.full_reason, seen=seen):
            messages.success(request, rejected)
    else:
        raise Http404("No such decision.")
    return back_to(place)


@privilege_required(MODERATE_PERMISSION)
@require_POST
def decide_testimonial(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    testimonial = Testimonial.objects.filter(pk=pk).first()
    if testimonial is None:
        messages.warning(request, "That experience no longer exists (its author may have deleted it).")
        return back_to("testimonials")
    name = _testimonial_name(testimonial)
    return _decide_one(
        request, testimonial, name=name, author_id=testimonial.author_id, place="testimonials",
        reason_form=f"reject-testimonial-{pk}", action=action,
        approve=moderation.approve, reject=moderation.reject,
        approved=f"{name} is published. Its author will get an e-mail.",
        rejected=f"{name} was not approved. Its author will get the reason by e-mail.",
    )  # fmt: skip


@privilege_required(MODERATE_PERMISSION)
@require_POST
def decide_revision(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    revision = TestimonialRevision.objects.select_related("testimonial").filter(pk=pk).first()
    if revision is None:
        messages.warning(request, "Those changes no longer exist (the author may have withdrawn them).")
        return back_to("revisions")
    name = f"The changes to “{revision.testimonial.title}”"
    return _decide_one(
        request, revision, name=name, author_id=revision.testimonial.author_id, place="revisions",
        reason_form=f"reject-revision-{pk}", action=action, approve=moderation.approve_revision,
        reject=moderation.reject_revision,
        approved=f"{name} are published. Their author will get an e-mail.",
        rejected=f"{name} were not approved; the earlier text stays published.",
    )  # fmt: skip


@privilege_required(MODERATE_PERMISSION)
@require_POST
def decide_testimonials_in_bulk(request: HttpRequest) -> HttpResponse:
    """Approve, or reject with one reason, every ticked experience; each one on its own."""
    action = request.POST.get("action")
    ids = [int(value) for value in request.POST.getlist("ids") if value.isascii() and value.isdigit()][:200]
    ids = [pk for pk in ids if pk < 2**31]
    if action not in ("approve", "reject"):
        messages.error(request, "Choose to approve or to reject the ticked experiences. Nothing was changed.")
        return back_to("bulk-form")
    if not ids:
        messages.error(request, "Tick at least one experience first. Nothing was changed.")
        return back_to("bulk-form")
    kwargs = {}
    if action == "reject":
        form = RejectionForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"{form.first_error()} Nothing was changed.")
            return back_to("bulk-form")
        kwargs["reason"] = form.full_reason
    transition = moderation.approve if action == "approve" else moderation.reject
    done = 0
    for testimonial in Testimonial.objects.filter(pk__in=ids).order_by("submitted_at", "pk"):
        name = _testimonial_name(testimonial)
        kwargs["seen"] = request.POST.get(f"seen-{testimonial.pk}", "")
        if not refuse_own(request, name, testimonial.author_id) and decide(
            request, name, transition, testimonial, explain=WITHDRAWN, **kwargs
        ):
            done += 1
    if done:
        verb = "published" if action == "approve" else "not approved"
        if done == 1:
            messages.success(request, f"1 experience was {verb}. Its author will get an e-mail.")
        else:
            messages.success(request, f"{done} experiences were {verb}. Their authors will get an e-mail.")
    return back_to("testimonials")


def register() -> None:
    """Member experiences come first on the moderators' page, before comments."""
    moderator_queue.register(
        Section(
            key="testimonials",
            label="Member experiences",
            permission=MODERATE_PERMISSION,
            template="testimonials/queue/pending.html",
            waiting=pending_testimonials,
            order=100,
        ),
        Section(
            key="revisions",
            label="Changes to published experiences",
            permission=MODERATE_PERMISSION,
            template="testimonials/queue/revisions.html",
            waiting=pending_revisions,
            order=200,
        ),
        urls=[
            path("testimonials/decide/", decide_testimonials_in_bulk, name="decide_testimonials_in_bulk"),
            path("testimonials/<int:pk>/<str:action>/", decide_testimonial, name="decide_testimonial"),
            path("revisions/<int:pk>/<str:action>/", decide_revision, name="decide_revision"),
        ],
    )
