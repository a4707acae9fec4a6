"""Reading a thread: one page of root comments and everything under them, in a fixed number of queries."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string

from ldnsite import pagecache

from .managers import is_moderator
from .models import Comment, Subscription, new_submission_token

ROOTS_PER_PAGE = 20


@dataclass
class Node:
    comment: Comment
    show_text: bool
    children: list["Node"] = field(default_factory=list)


def has_verified_email(user) -> bool:
    return user.is_authenticated and EmailAddress.objects.filter(user=user, verified=True).exists()


def _readable(user, moderator: bool):
    """The Q() for comments whose text this reader may see."""
    if moderator:
        return Q()
    readable = Q(status=Comment.Status.PUBLISHED)
    if user.is_authenticated:
        readable |= Q(author=user, status__in=[Comment.Status.HELD, Comment.Status.HIDDEN])
    return readable


def build_tree(roots: list[Comment], descendants: list[Comment], user, moderator: bool) -> list[Node]:
    """Nest descendants under their parents; unreadable comments stay only as placeholders above replies."""

    def readable(comment: Comment) -> bool:
        if moderator:
            return True
        if comment.status == Comment.Status.PUBLISHED:
            return True
        return (
            user.is_authenticated
            and comment.author_id == user.pk
            and comment.status in (Comment.Status.HELD, Comment.Status.HIDDEN)
        )

    nodes = {c.pk: Node(c, show_text=readable(c) and not c.is_gone) for c in [*roots, *descendants]}
    for comment in descendants:
        parent = nodes.get(comment.parent_id)
        if parent is not None:
            parent.children.append(nodes[comment.pk])

    def prune(node: Node) -> Node | None:
        node.children = [kept for child in node.children if (kept := prune(child)) is not None]
        return node if node.show_text or node.children else None

    return [kept for root in roots if (kept := prune(nodes[root.pk])) is not None]


def _reader_flags(user, thread) -> dict:
    """In one query: may this reader comment, did they write in this thread, do they follow it."""
    if not user.is_authenticated:
        return {"can_comment": False, "wrote_here": False, "is_subscribed": False}
    flags = {"can_comment": Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True))}
    if thread is not None:
        flags["wrote_here"] = Exists(Comment.objects.filter(thread=thread, author=OuterRef("pk")))
        flags["is_subscribed"] = Exists(Subscription.objects.filter(thread=thread, member=OuterRef("pk")))
    found = get_user_model().objects.filter(pk=user.pk).annotate(**flags).values(*flags).get()
    return {"wrote_here": False, "is_subscribed": False, **found}


def thread_context(request, subject, *, form=None) -> dict:
    """Everything the comment section of an article or study page needs."""
    user = request.user
    moderator = is_moderator(user)
    thread = getattr(subject, "thread", None)
    reader = _reader_flags(user, thread)
    context = {
        "comment_subject": subject,
        "comment_kind": subject._meta.model_name,
        "comment_key": subject.slug if hasattr(subject, "slug") else subject.pk,
        "thread": thread,
        "comment_nodes": [],
        "comment_page": None,
        "comment_count": 0,
        "can_comment": reader["can_comment"],
        "is_moderator": moderator,
        "is_subscribed": reader["is_subscribed"],
        "comment_form_token": new_submission_token(),
    }
    if thread is None:
        return context
    readable = _readable(user, moderator)
    readable_below = Comment.objects.filter(root=OuterRef("pk")).filter(readable)
    roots = Comment.objects.filter(thread=thread, depth=0)
    if not moderator:
        # Not `readable | ...` for moderators: an empty Q() would vanish from the OR and leave only roots
        # with replies.
        roots = roots.filter(readable | Q(Exists(readable_below)))
    roots = roots.select_related("author").order_by("created_at", "pk")
    page = Paginator(roots, ROOTS_PER_PAGE).get_page(request.GET.get("comments"))
    key = _fragment_key(thread, page.number, user, reader, moderator)
    html = cache.get(key) if key else None
    nodes = []
    if html is None:
        page_roots = list(page.object_list)
        descendants = list(
            Comment.objects.filter(root__in=[root.pk for root in page_roots])
            .select_related("author")
            .order_by("created_at", "pk")
        )
        nodes = build_tree(page_roots, descendants, user, moderator)
        if key and nodes:
            html = render_to_string(
                "comments/comment_list.html", {**context, "comment_nodes": nodes}, request
            )
            cache.set(key, html, pagecache.cache_seconds())
    context.update(
        comment_nodes=nodes,
        comment_list_html=html,
        comment_page=page,
        comment_count=page.paginator.count,
    )
    return context


def _fragment_key(thread, page_number: int, user, reader: dict, moderator: bool) -> str | None:
    """The cache key of this page of comments as rendered for this reader, or None to render it afresh.

    The rendered list differs only by kind of reader (anonymous, member, member who may reply) unless the
    reader wrote in this thread (edit and delete links, their own held comments) or moderates. It is stored
    under the page cache's content generation, so any change to a comment makes it stale.
    """
    if moderator or reader["wrote_here"]:
        return None
    if user.is_authenticated:
        kind = "member-can-reply" if reader["can_comment"] else "member"
    else:
        kind = "anonymous"
    return pagecache.content_key("comments", thread.pk, page_number, kind)


def comment_url(comment: Comment) -> str:
    """The address that shows this comment: its subject's page, at the page of comments holding its root."""
    root = comment.root if comment.root_id else comment
    earlier_roots = (
        Comment.objects.filter(thread_id=comment.thread_id, depth=0, status=Comment.Status.PUBLISHED)
        .filter(Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk))
        .count()
    )
    page = earlier_roots // ROOTS_PER_PAGE + 1
    query = f"?comments={page}" if page > 1 else ""
    return f"{comment.thread.subject.get_absolute_url()}{query}#comment-{comment.pk}"
