from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ldnsite.accounts.verified import has_verified_email
from ldnsite.drafts import login_required_keeping_draft, pop_draft_initial
from ldnsite.errors import is_database_outage, marked_unavailable
from ldnsite.mentions import text as mention_text
from ldnsite.moderation.exceptions import InvalidTransition
from ldnsite.ratelimit import is_limited
from ldnsite.watchwords import matching as watchwords

from . import moderation, notifications, subjects
from .forms import CommentForm, EditCommentForm, ReportForm
from .hold import needs_premoderation
from .models import Comment, CommentRevision, Subscription, Thread, new_submission_token
from .threads import comment_url


def _public_subject(kind: str, key: str):
    """The subject registered under `kind` and named `key` in the URL, if it is public."""
    registration = subjects.by_kind(kind)
    subject = registration.find_public(key) if registration is not None else None
    if subject is None:
        raise Http404("Nothing to discuss here.")
    return subject


def _visible_comment(user, pk: int) -> Comment:
    """A comment in a public thread whose text this member may see (their own, or a published one)."""
    comment = get_object_or_404(
        Comment.objects.select_related("thread", "author").filter(thread__in=Thread.objects.public()),
        pk=pk,
    )
    if comment.status != Comment.Status.PUBLISHED and comment.author_id != user.pk:
        raise Http404("No such comment.")
    return comment


def _form_page(request, *, subject, form, parent=None, status=200, limited=False) -> HttpResponse:
    return render(
        request,
        "comments/comment_form.html",
        {"subject": subject, "form": form, "parent": parent, "kind": subjects.of(subject).kind,
         "key": subjects.of(subject).key_of(subject), "limited": limited,
         "first_comment_is_held": needs_premoderation(request.user)},
        status=status,
    )  # fmt: skip


def _log_blocked(form, member, comment: Comment | None = None) -> None:
    """A text refused for a blocked word: the attempt is logged (with the comment it would have changed)."""
    if form.watched.blocked:
        watchwords.record(form.watched, where=moderation.WATCHED_KIND, member=member, obj=comment)


def _rate_limited(user) -> bool:
    joined_recently = timezone.now() - user.date_joined < timezone.timedelta(
        days=settings.COMMENTS_NEW_MEMBER_DAYS
    )
    limit, period = settings.COMMENTS_RATE_NEW_MEMBER if joined_recently else settings.COMMENTS_RATE_MEMBER
    return is_limited(f"comment:{user.pk}", limit=limit, period=period)


@login_required_keeping_draft(CommentForm)
@require_http_methods(["GET", "POST"])
def post_comment(request: HttpRequest, kind: str, slug: str, parent_pk: int | None = None) -> HttpResponse:
    """GET: the form on a page of its own (replies without JavaScript). POST: post a comment or a reply."""
    subject = _public_subject(kind, slug)
    parent = None
    if parent_pk is not None:
        parent = _visible_comment(request.user, parent_pk)
        if not parent.thread.is_about(subject):
            raise Http404("That comment is not in this discussion.")
    if not has_verified_email(request.user):
        messages.error(request, "Please confirm your e-mail address before you comment.")
        return redirect("account_email")
    if not subjects.of(subject).may_comment(request.user, subject):
        raise PermissionDenied("This discussion is not open to your comments.")
    if request.method == "GET":
        initial = {
            "token": new_submission_token(),
            "parent": parent.pk if parent else None,
            **pop_draft_initial(request, CommentForm),
        }
        return _form_page(request, subject=subject, form=CommentForm(initial=initial), parent=parent)

    form = CommentForm(request.POST)
    if not form.is_valid():
        _log_blocked(form, request.user)
        return _form_page(request, subject=subject, form=form, parent=parent, status=400)
    token = form.cleaned_data["token"]
    duplicate = Comment.objects.filter(submission_token=token, author=request.user).first()
    if duplicate is not None:
        return redirect(comment_url(duplicate))
    thread = Thread.objects.for_subject(subject)
    parent_id = form.cleaned_data["parent"]
    if parent_id:
        parent = Comment.objects.filter(pk=parent_id, thread=thread).first()
        if (
            parent is None
            or parent.is_gone
            or (parent.status != Comment.Status.PUBLISHED and parent.author_id != request.user.pk)
        ):
            form.add_error(None, "You can only reply to a comment that is shown in this discussion.")
            return _form_page(request, subject=subject, form=form, status=400)
    if _rate_limited(request.user):
        form.add_error(None, "You are posting faster than we allow. Please wait a few minutes: your text is "
                             "still here, ready to send.")  # fmt: skip
        return _form_page(request, subject=subject, form=form, parent=parent, status=429, limited=True)
    try:
        comment = moderation.submit(
            thread,
            author=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            token=token,
            follow=form.cleaned_data["subscribe"],
            watched=form.watched,
        )
    except IntegrityError:  # the same form sent twice at the same moment
        duplicate = get_object_or_404(Comment, submission_token=token, author=request.user)
        return redirect(comment_url(duplicate))
    except OperationalError as error:  # the database went away mid-request: nothing was saved
        if not is_database_outage(error):
            raise
        form.add_error(None, "We could not save your comment: the site is briefly unavailable. Your text is "
                             "still here; please send it again in a minute.")  # fmt: skip
        page = _form_page(request, subject=subject, form=form, parent=parent)
        return marked_unavailable(request, page, reason="not saved")
    if comment.status == Comment.Status.HELD and form.watched.held:
        messages.info(
            request,
            "Thank you. Your comment waits for a moderator before it is shown; only you can see it until it "
            "is approved.",
        )
    elif comment.status == Comment.Status.HELD:
        messages.info(
            request,
            "Thank you. Your first comment waits for a moderator; only you can see it until it is approved.",
        )
    else:
        messages.success(request, "Your comment is posted.")
    return redirect(comment_url(comment))


@login_required
@require_http_methods(["GET", "POST"])
def edit_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _visible_comment(request.user, pk)
    if comment.author_id != request.user.pk:
        raise Http404("No such comment.")
    if not comment.can_be_edited_by(request.user):
        messages.error(
            request, "Comments can be edited for 15 minutes after posting; this one can no longer be."
        )
        return redirect(comment_url(comment))
    # An edit waiting for review: go on from it, not from the approved text.
    pending = CommentRevision.objects.filter(comment=comment).first()
    # Mentions as `@Current Name`: the author never sees the ids their text keeps (ldnsite.mentions).
    shown = mention_text.as_text((pending or comment).body)
    form = EditCommentForm(request.POST or None, initial={"body": shown})
    if request.method == "POST" and not form.is_valid():
        _log_blocked(form, request.user, comment)
    if request.method == "POST" and form.is_valid():
        try:
            result = moderation.edit(
                comment, by=request.user, body=form.cleaned_data["body"], watched=form.watched
            )
        except moderation.EditWindowClosed as exc:
            form.add_error(None, f"{exc} Copy your text if you want to keep it.")
        else:
            if isinstance(result, CommentRevision):
                messages.success(
                    request,
                    "Your changes are saved and wait for a moderator. Until they are approved, the text a "
                    "moderator already approved stays on the page.",
                )
            else:
                messages.success(request, "Your comment is updated.")
            return redirect(comment_url(comment))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "comments/comment_edit.html",
        {"comment": comment, "form": form, "has_pending_edit": pending is not None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _visible_comment(request.user, pk)
    if comment.author_id != request.user.pk:
        raise Http404("No such comment.")
    if request.method == "POST":
        try:
            moderation.delete_by_author(comment, by=request.user)
        except InvalidTransition:
            messages.info(request, "This comment had already been removed or deleted.")
        else:
            messages.success(request, "Your comment is deleted. Replies to it stay in the discussion.")
        return redirect(comment.thread.get_absolute_url())
    return render(request, "comments/comment_confirm_delete.html", {"comment": comment})


@login_required
@require_http_methods(["GET", "POST"])
def report_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _visible_comment(request.user, pk)
    if comment.author_id == request.user.pk or not comment.is_published:
        raise Http404("No such comment.")
    if not has_verified_email(request.user):
        messages.error(request, "Please confirm your e-mail address before you report a comment.")
        return redirect("account_email")
    form = ReportForm(request.POST or None)

    def form_page(status: int) -> HttpResponse:
        return render(request, "comments/report_form.html", {"comment": comment, "form": form}, status=status)

    if request.method == "GET":
        return form_page(200)
    if not form.is_valid():
        return form_page(400)
    try:
        moderation.report(
            comment, by=request.user, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
        )
    except moderation.AlreadyReported:
        messages.info(request, "You have already reported this comment. Moderators will look at it.")
    except moderation.TooManyReports as exc:
        form.add_error(
            None,
            f"You have sent {exc.args[0]} reports in the last 24 hours, the most one member can send in a "
            "day. Moderators will read the ones you sent. Please send this one tomorrow: what you wrote is "
            "still below. If someone may be in danger right now, contact your local emergency services.",
        )
        return form_page(429)
    else:
        messages.success(request, "Thank you. Moderators will look at this comment.")
    return redirect(comment.thread.get_absolute_url())


@login_required
@require_POST
def follow_thread(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    subject = _public_subject(kind, slug)
    if not has_verified_email(request.user):
        messages.error(request, "Please confirm your e-mail address before you follow a discussion.")
        return redirect("account_email")
    thread = Thread.objects.for_subject(subject)
    if request.POST.get("follow") == "1":
        moderation.subscribe(thread, member=request.user)
        messages.success(request, "You will get an e-mail when someone replies in this discussion.")
    else:
        moderation.unsubscribe(thread, member=request.user)
        messages.success(request, "You will no longer get e-mails about this discussion.")
    return redirect(thread.get_absolute_url())


@csrf_exempt  # the signed token is the authority; mail clients send one-click unsubscribes without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    data = notifications.read_unsubscribe_token(token)
    if data is None:
        return render(request, "comments/unsubscribe.html", {"invalid": True}, status=400)
    subscription = (
        subjects.with_subjects(Subscription.objects.all())
        .filter(pk=data.get("s"), member_id=data.get("m"))
        .first()
    )
    # The subject is named only while it is public: an old e-mail must not reveal a withdrawn story.
    show_subject = (
        subscription is not None and Thread.objects.public().filter(pk=subscription.thread_id).exists()
    )
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return render(request, "comments/unsubscribe.html", {"done": True})
    return render(
        request,
        "comments/unsubscribe.html",
        {"subscription": subscription, "show_subject": show_subject, "token": token},
    )
