"""Member experiences: the list and one experience for readers; submit, mine, edit, withdraw and delete for
their authors.

Every state change goes through testimonials.moderation; reads start from public() or visible_to(privileges).
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Prefetch, ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView

from ldnsite.accounts.verified import has_verified_email
from ldnsite.comments.threads import thread_context, with_thread
from ldnsite.drafts import login_required_keeping_draft, pop_draft_initial
from ldnsite.helpful import marks
from ldnsite.markdown import render as render_markdown
from ldnsite.moderation.exceptions import InvalidTransition
from ldnsite.paging import CappedPaginator
from ldnsite.privileges import privileges
from ldnsite.ratelimit import is_limited
from ldnsite.watchwords import matching as watchwords

from . import moderation
from .forms import SORTS, SubmitTestimonialForm, TestimonialFilterForm, TestimonialForm
from .managers import MODERATE_PERMISSION
from .models import NARRATIVE_MAX_LENGTH, Testimonial, TestimonialContent, TestimonialRevision

DAY = 24 * 60 * 60


class TestimonialListView(ListView):
    """Approved experiences only, filtered by type of MS and by what changed, newest or most helpful first.
    Each filter, alone or with the other, has an index that gives the rows in the newest-first order
    (Testimonial.Meta.indexes), and the paginator counts and skips no further than its cap (ldnsite.paging).
    Each story's helpful count is read in the page's own query, from the kept counts (ldnsite.helpful)."""

    template_name = "testimonials/testimonial_list.html"
    context_object_name = "testimonials"
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_queryset(self):
        self.filter_form, self.filters = TestimonialFilterForm.from_query(self.request.GET)
        requested = self.request.GET.get("sort", "")
        self.sort = requested if requested in SORTS else next(iter(SORTS))
        stories = Testimonial.objects.public().filter(**self.filters).select_related("author")
        if self.sort == "helpful":
            return marks.most_helpful_first(stories)
        return marks.with_counts(stories)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "filter_form": self.filter_form,
            "is_filtered": bool(self.filters),
            "sort": self.sort,
            "sorts": SORTS,
        }


class TestimonialDetailView(DetailView):
    """One experience: public for everyone; its author and moderators also see it before and after."""

    template_name = "testimonials/testimonial_detail.html"
    context_object_name = "testimonial"

    def get_queryset(self):
        stories = Testimonial.objects.visible_to(privileges(self.request)).select_related("author")
        return with_thread(marks.with_counts(stories))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        testimonial = self.object
        user = self.request.user
        context["is_author"] = user.is_authenticated and testimonial.author_id == user.pk
        context["is_moderator"] = privileges(self.request).has(MODERATE_PERMISSION)
        context["pending_revision"] = (
            testimonial.revisions.filter(status=TestimonialRevision.Status.PENDING).first()
            if context["is_author"] and testimonial.is_public
            else None
        )
        if testimonial.is_public:
            context.update(thread_context(self.request, testimonial))
        return context


def _daily_limit(user) -> int:
    new_member_days = getattr(settings, "TESTIMONIALS_NEW_MEMBER_DAYS", 7)
    if timezone.now() - user.date_joined < timezone.timedelta(days=new_member_days):
        return getattr(settings, "TESTIMONIALS_PER_DAY_NEW_MEMBER", 1)
    return getattr(settings, "TESTIMONIALS_PER_DAY", 3)


def _log_blocked(form: TestimonialForm, member, where: str) -> None:
    """A text refused for a blocked word: the attempt is logged (nothing was saved, so no object)."""
    if form.watched.blocked:
        watchwords.record(form.watched, where=where, member=member)


def _form_page(request, form, *, testimonial=None, status=200, preview=None) -> HttpResponse:
    return render(
        request,
        "testimonials/testimonial_form.html",
        {
            "form": form,
            "testimonial": testimonial,
            "is_edit": testimonial is not None,
            "preview": preview,
            # markdownx's script makes the Tab key indent inside the text box, so keyboard users cannot
            # leave it: the live preview stays off until that is solved; the Preview button works for all.
            "live_preview": getattr(settings, "TESTIMONIALS_LIVE_PREVIEW", False),
        },
        status=status,
    )


def _preview_page(request, form_class, *, testimonial=None) -> HttpResponse:
    """The form again, as typed and without error messages, with the narrative rendered below its box."""
    data = request.POST
    initial = {
        name: data.getlist(name) if name == "side_effects" else data.get(name)
        for name in data
        if name not in ("csrfmiddlewaretoken", "preview")
    }
    form = form_class(member=request.user, initial=initial)
    narrative = data.get("narrative", "").strip()
    limit, period = getattr(settings, "EDITOR_PREVIEW_RATE_MEMBER", (30, 60))
    if not narrative:
        preview = {"note": "There is no text to preview yet."}
    elif len(narrative) > NARRATIVE_MAX_LENGTH:
        preview = {"note": f"Your text is longer than {NARRATIVE_MAX_LENGTH:,} characters: shorten it first."}
    elif is_limited(f"markdown-preview:{request.user.pk}", limit=limit, period=period):
        preview = {"note": "The preview was asked for very often: please wait a minute, then try again."}
    else:
        preview = {"html": render_markdown(narrative)}
    return _form_page(request, form, testimonial=testimonial, preview=preview)


@login_required_keeping_draft(SubmitTestimonialForm)
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """A verified member tells their experience; it waits for a moderator."""
    member = request.user
    if not has_verified_email(member):
        return render(request, "testimonials/testimonial_form.html", {"needs_verification": True}, status=403)
    if request.method == "GET":
        initial = {"token": uuid.uuid4(), **pop_draft_initial(request, SubmitTestimonialForm)}
        return _form_page(request, SubmitTestimonialForm(member=member, initial=initial))

    if "preview" in request.POST:
        return _preview_page(request, SubmitTestimonialForm)
    form = SubmitTestimonialForm(request.POST, member=member)
    if not form.is_valid():
        _log_blocked(form, member, moderation.STORY)
        return _form_page(request, form, status=400)
    token = form.cleaned_data["token"]
    duplicate = Testimonial.objects.filter(submission_token=token, author=member).first()
    if duplicate is not None:  # the same form sent twice: show what the first one made
        messages.info(request, "We had already received this experience; it was not sent twice.")
        return redirect("testimonials:mine")
    limit = _daily_limit(member)
    if is_limited(f"testimonial-submit:{member.pk}", limit=limit, period=DAY):
        form.add_error(
            None,
            f"You can share up to {limit} experience{'s' if limit != 1 else ''} a day, and you have reached "
            "that for today. Please send this one tomorrow. Your text is still here: you may want to copy "
            "it somewhere safe before you leave this page.",
        )
        return _form_page(request, form, status=429)
    try:
        moderation.submit(
            author=member, content=form.content(), is_carer=form.is_carer, token=token, watched=form.watched
        )
    except IntegrityError:  # the same form sent twice at the same moment
        get_object_or_404(Testimonial, submission_token=token, author=member)
        messages.info(request, "We had already received this experience; it was not sent twice.")
        return redirect("testimonials:mine")
    messages.success(
        request,
        "Thank you for sharing your experience. A moderator will read it before it appears on the site; "
        "you can follow it on this page.",
    )
    return redirect("testimonials:mine")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The author's own experiences in every state, with moderators' reasons and what they can do next."""
    testimonials = (
        Testimonial.objects.filter(author=request.user)
        .prefetch_related(
            Prefetch("revisions", queryset=TestimonialRevision.objects.order_by("-created_at", "-pk"))
        )
        .order_by("-submitted_at", "-pk")
    )
    return render(
        request,
        "testimonials/testimonial_mine.html",
        {"testimonials": testimonials, "can_submit": has_verified_email(request.user)},
    )


EDITABLE = {Testimonial.Status.PENDING, Testimonial.Status.REJECTED, Testimonial.Status.APPROVED}


@login_required_keeping_draft(TestimonialForm)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author changes their text; an approved one keeps its published version until a moderator agrees."""
    testimonial = get_object_or_404(Testimonial, pk=pk, author=request.user)
    if testimonial.status not in EDITABLE:
        messages.error(request, "This experience was withdrawn, so it can no longer be changed.")
        return redirect("testimonials:mine")
    if request.method == "GET":
        # An approved one with changes waiting: go on from those changes, not from the published text.
        pending = testimonial.revisions.filter(status=TestimonialRevision.Status.PENDING).first()
        source = pending or testimonial
        form = TestimonialForm(
            member=request.user,
            initial={
                **{name: getattr(source, name) for name in TestimonialContent.CONTENT_FIELDS},
                **pop_draft_initial(request, TestimonialForm),
            },
        )
        return _form_page(request, form, testimonial=testimonial)

    if "preview" in request.POST:
        return _preview_page(request, TestimonialForm, testimonial=testimonial)
    form = TestimonialForm(request.POST, member=request.user)
    if not form.is_valid():
        where = moderation.REVISION if testimonial.status == Testimonial.Status.APPROVED else moderation.STORY
        _log_blocked(form, request.user, where)
        return _form_page(request, form, testimonial=testimonial, status=400)
    try:
        result = moderation.edit(testimonial, by=request.user, content=form.content(), watched=form.watched)
    except InvalidTransition as exc:
        form.add_error(
            None,
            f"Your changes could not be saved: this experience is now {exc.current}. "
            "Your text is still here; copy it if you want to keep it.",
        )
        return _form_page(request, form, testimonial=testimonial, status=409)
    if isinstance(result, TestimonialRevision):
        messages.success(
            request,
            "Your changes are saved and wait for a moderator. Until they are approved, the published "
            "version stays on the site.",
        )
    elif testimonial.status == Testimonial.Status.REJECTED:
        messages.success(request, "Your changed experience is sent back to the moderators.")
    else:
        messages.success(request, "Your changes are saved. Your experience still waits for a moderator.")
    return redirect("testimonials:mine")


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm on GET; on POST the experience leaves the site at once."""
    testimonial = get_object_or_404(Testimonial, pk=pk, author=request.user)
    if request.method == "GET":
        return render(request, "testimonials/testimonial_confirm_withdraw.html", {"testimonial": testimonial})
    try:
        moderation.withdraw(testimonial, by=request.user)
    except InvalidTransition as exc:
        messages.info(request, f"This experience could not be withdrawn: it is {exc.current}.")
    else:
        messages.success(request, f"“{testimonial.title}” is withdrawn. Nobody else can read it now.")
    return redirect("testimonials:mine")


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm on GET; on POST the experience and its revisions are deleted for good."""
    testimonial = get_object_or_404(Testimonial, pk=pk, author=request.user)
    if request.method == "GET":
        return render(request, "testimonials/testimonial_confirm_delete.html", {"testimonial": testimonial})
    try:
        moderation.delete(testimonial, by=request.user)
    except ProtectedError:
        messages.error(
            request,
            "This experience could not be deleted because other members replied in its discussion. "
            "You can withdraw it so nobody can read it, and ask the moderators to delete it completely.",
        )
    else:
        messages.success(request, f"“{testimonial.title}” is deleted.")
    return redirect("testimonials:mine")
