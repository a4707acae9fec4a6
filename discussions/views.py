"""Discussions: the list and one topic for readers; starting a topic and reporting one for members; the
moderators' tools on the topic page.

Every state change goes through discussions.moderation; reads start from public() or visible_to(privileges).
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView, ListView

from ldnsite.accounts.verified import has_verified_email
from ldnsite.comments.models import Comment
from ldnsite.comments.threads import thread_context, with_thread
from ldnsite.drafts import login_required_keeping_draft, pop_draft_initial
from ldnsite.helpful import marks
from ldnsite.moderation.exceptions import InvalidTransition, OwnContent
from ldnsite.moderation.queue import SubqueryCount
from ldnsite.paging import CappedPaginator
from ldnsite.privileges import privilege_required, privileges
from ldnsite.ratelimit import is_limited

from . import moderation
from .forms import SORTS, MoveForm, TopicForm, TopicReportForm
from .managers import MODERATE_PERMISSION
from .models import Category, Topic

DAY = 24 * 60 * 60
LOCKED_NOTICE = "This topic is closed to new replies by a moderator. What was said stays here to read."


def reply_counts(topics):
    """Each topic with how many published replies its thread has, in the list's own query."""
    replies = Comment.objects.filter(
        thread__subject_kind="topic", thread__subject_id=OuterRef("pk"), status=Comment.Status.PUBLISHED
    ).values("pk")
    return topics.annotate(reply_count=SubqueryCount(replies))


class TopicListView(ListView):
    """Published topics, newest activity first, whole or in one category. Each has an index that gives the
    rows in the list's order (Topic.Meta.indexes); the paginator counts no further than its cap."""

    template_name = "discussions/topic_list.html"
    context_object_name = "topics"
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_queryset(self):
        self.categories = list(Category.objects.all())
        wanted = self.request.GET.get("category", "")
        self.category = next((c for c in self.categories if c.slug == wanted), None)
        requested = self.request.GET.get("sort", "")
        self.sort = requested if requested in SORTS else next(iter(SORTS))
        topics = Topic.objects.public()
        if self.category is not None:
            topics = topics.filter(category=self.category)
        topics = reply_counts(topics.select_related("author", "category"))
        if self.sort == "helpful":
            return marks.most_helpful_first(topics)
        return marks.with_counts(topics)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "categories": self.categories,
            "category": self.category,
            "sort": self.sort,
            "sorts": SORTS,
        }


class TopicDetailView(DetailView):
    """One topic and its thread: public for everyone; its author and moderators also see it in any state."""

    template_name = "discussions/topic_detail.html"
    context_object_name = "topic"

    def get_queryset(self):
        topics = Topic.objects.visible_to(privileges(self.request)).select_related("author", "category")
        return with_thread(topics)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic, user = self.object, self.request.user
        context["is_author"] = user.is_authenticated and topic.author_id == user.pk
        context["is_moderator"] = privileges(self.request).has(MODERATE_PERMISSION)
        if context["is_moderator"]:
            context["move_form"] = MoveForm(initial={"category": topic.category})
            context["open_reports"] = list(topic.reports.filter(resolved_at__isnull=True))
        if topic.is_public:
            context.update(thread_context(self.request, topic))
            if topic.is_locked:
                context["comments_closed"] = LOCKED_NOTICE
        return context


def _daily_limit(user) -> int:
    if timezone.now() - user.date_joined < timezone.timedelta(days=settings.DISCUSSIONS_NEW_MEMBER_DAYS):
        return settings.DISCUSSIONS_TOPICS_PER_DAY_NEW_MEMBER
    return settings.DISCUSSIONS_TOPICS_PER_DAY


def _form_page(request, form, *, status=200) -> HttpResponse:
    return render(
        request,
        "discussions/topic_form.html",
        {"form": form, "first_topic_is_held": moderation.is_held_for(request.user)},
        status=status,
    )


@login_required_keeping_draft(TopicForm)
@require_http_methods(["GET", "POST"])
def new_topic(request: HttpRequest) -> HttpResponse:
    """A verified member starts a topic; a new member's first one waits for a moderator."""
    member = request.user
    if not has_verified_email(member):
        return render(request, "discussions/topic_form.html", {"needs_verification": True}, status=403)
    if request.method == "GET":
        initial = {"token": uuid.uuid4(), **pop_draft_initial(request, TopicForm)}
        category = Category.objects.filter(slug=request.GET.get("category", "")).first()
        if category is not None:
            initial.setdefault("category", category)
        return _form_page(request, TopicForm(initial=initial))

    form = TopicForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    token = form.cleaned_data["token"]
    duplicate = Topic.objects.filter(submission_token=token, author=member).first()
    if duplicate is not None:  # the same form sent twice: show what the first one made
        messages.info(request, "We had already received this topic; it was not posted twice.")
        return redirect(duplicate)
    limit = _daily_limit(member)
    if is_limited(f"topic-submit:{member.pk}", limit=limit, period=DAY):
        form.add_error(
            None,
            f"You can start up to {limit} topic{'s' if limit != 1 else ''} a day, and you have reached that "
            "for today. Please post this one tomorrow. Your text is still here: you may want to copy it "
            "somewhere safe before you leave this page.",
        )
        return _form_page(request, form, status=429)
    data = form.cleaned_data
    try:
        topic = moderation.submit(
            author=member, title=data["title"], category=data["category"], body=data["body"], token=token
        )
    except IntegrityError:  # the same form sent twice at the same moment
        topic = get_object_or_404(Topic, submission_token=token, author=member)
        messages.info(request, "We had already received this topic; it was not posted twice.")
        return redirect(topic)
    if topic.status == Topic.Status.HELD:
        messages.info(
            request,
            "Thank you. Your first topic waits for a moderator; only you can see it until it is approved. "
            "You will get an e-mail then.",
        )
    else:
        messages.success(request, "Your topic is posted. You will get an e-mail when someone replies.")
    return redirect(topic)


@login_required
@require_http_methods(["GET", "POST"])
def report_topic(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.public(), pk=pk)
    if topic.author_id == request.user.pk:
        raise Http404("You cannot report your own topic.")
    if not has_verified_email(request.user):
        messages.error(request, "Please confirm your e-mail address before you report a topic.")
        return redirect("account_email")
    form = TopicReportForm(request.POST or None)

    def form_page(status: int) -> HttpResponse:
        return render(request, "discussions/report_form.html", {"topic": topic, "form": form}, status=status)

    if request.method == "GET":
        return form_page(200)
    if not form.is_valid():
        return form_page(400)
    if is_limited(f"topic-report:{request.user.pk}", limit=settings.COMMENTS_REPORTS_PER_DAY, period=DAY):
        form.add_error(None, "You have sent as many reports as one member can in a day. Please send this one "
                             "tomorrow: what you wrote is still below.")  # fmt: skip
        return form_page(429)
    try:
        moderation.report(
            topic, by=request.user, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
        )
    except moderation.AlreadyReported:
        messages.info(request, "You have already reported this topic. Moderators will look at it.")
    except InvalidTransition:
        raise Http404("This topic is no longer shown.") from None
    else:
        messages.success(request, "Thank you. Moderators will look at this topic.")
    return redirect(topic)


# The moderator's tools on the topic page: action -> (transition, its reason: "required", "optional" or None
# when it takes none, what is said when done).
TOOLS = {
    "hide": (moderation.hide, "required", "is hidden; only its author and moderators can see it"),
    "restore": (moderation.restore, "optional", "is shown again"),
    "remove": (moderation.remove, "required", "is removed"),
    "lock": (moderation.lock, None, "is closed to new replies"),
    "unlock": (moderation.unlock, None, "is open to replies again"),
}


@privilege_required(MODERATE_PERMISSION)
@require_POST
def moderate_topic(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Hide, restore, remove, lock, unlock or move one topic (the queue decides held and reported ones)."""
    topic = get_object_or_404(Topic, pk=pk)
    name = f"The topic “{topic.title}”"
    kwargs = {}
    if action == "move":
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a category to move the topic to. Nothing was changed.")
            return redirect(topic)
        transition, done = moderation.move, f"is now in {form.cleaned_data['category'].name}"
        kwargs["category"] = form.cleaned_data["category"]
    elif action in TOOLS:
        transition, reason_rule, done = TOOLS[action]
        reason = request.POST.get("reason", "").strip()[:1_000]
        if reason_rule == "required" and not reason:
            messages.error(request, f"Give a reason to {action} this topic. Nothing was changed.")
            return redirect(topic)
        if reason_rule is not None:
            kwargs["reason"] = reason
    else:
        raise Http404("No such decision.")
    try:
        transition(topic, by=request.user, **kwargs)
    except InvalidTransition as exc:
        messages.warning(request, f"{name} could not be changed: it is {exc.current}. Nothing changed.")
    except OwnContent:
        messages.error(request, f"{name} is your own; another moderator needs to decide on it.")
    else:
        messages.success(request, f"{name} {done}.")
    return redirect(topic)
