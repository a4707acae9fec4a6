"""Reading a thread: one page of root comments and everything under them, in a fixed number of queries."""

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.paginator import Page
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q, Subquery
from django.template.loader import render_to_string

from ldnsite import pagecache, paging
from ldnsite.accounts.verified import remember_verified
from ldnsite.helpful import marks, markup
from ldnsite.helpful.models import HelpfulMark
from ldnsite.privileges import privileges
from ldnsite.sql import quoted_names

from . import subjects, texts
from .hold import needs_premoderation
from .managers import MODERATE_PERMISSION
from .models import Comment, Subscription, Thread, new_submission_token

ROOTS_PER_PAGE = 20
# The word for a comment in helpful marks (ldnsite.helpful; registered in apps.py): stored, never changed.
HELPFUL_KIND = "comment"
# The heading's count of a thread's comments stops here ("more than 20,000 comments").
MAX_COUNTED_COMMENTS = 20_000


@dataclass
class Node:
    comment: Comment
    show_text: bool
    children: list["Node"] = field(default_factory=list)


def _readable(user, moderator: bool):
    """The Q() for comments whose text this reader may see."""
    if moderator:
        return Q()
    readable = Q(status=Comment.Status.PUBLISHED)
    if user.is_authenticated:
        readable |= Q(author=user, status__in=[Comment.Status.HELD, Comment.Status.HIDDEN])
    return readable


def walk(nodes: list[Node]) -> Iterator[Node]:
    """Every node of a tree, each before its replies."""
    for node in nodes:
        yield node
        yield from walk(node.children)


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


@functools.cache
def _reader_facts_sql(alias: str) -> str:
    table, column = quoted_names(alias)
    email, subscription, comment = EmailAddress._meta, Subscription._meta, Comment._meta
    mark = HelpfulMark._meta
    # Only quoted table and column names go into the text; every value is a parameter.
    return (
        f"SELECT EXISTS (SELECT 1 FROM {table(email)} "  # noqa: S608
        f"WHERE {column(email, 'user')} = %s AND {column(email, 'verified')} = %s), "
        f"EXISTS (SELECT 1 FROM {table(subscription)} "
        f"WHERE {column(subscription, 'member')} = %s AND {column(subscription, 'thread')} = %s), "
        f"EXISTS (SELECT 1 FROM {table(comment)} "
        f"WHERE {column(comment, 'author')} = %s AND {column(comment, 'thread')} = %s), "
        f"EXISTS (SELECT 1 FROM {table(comment)} "
        f"WHERE {column(comment, 'author')} = %s AND {column(comment, 'status')} = %s), "
        f"EXISTS (SELECT 1 FROM {table(mark)} WHERE {column(mark, 'member')} = %s "
        f"AND {column(mark, 'kind')} = %s AND {column(mark, 'object_id')} IN "
        f"(SELECT {column(comment, 'id')} FROM {table(comment)} WHERE {column(comment, 'thread')} = %s))"
    )


@dataclass(frozen=True)
class Reader:
    can_comment: bool = False  # has a verified e-mail address
    is_subscribed: bool = False  # follows this thread (only a reader who may comment can)
    wrote_here: bool = False  # has a comment in this thread, in any state
    first_is_held: bool = False  # may comment, and their first comment would wait for a moderator
    marked_here: bool = False  # has marked a comment in this thread helpful


def _reader_facts(user, thread) -> Reader:
    """What the comment section needs to know about this reader, in one fixed statement (ldnsite.sql).

    Read from the database on every request, never from a cache: straight after a member's first comment the
    page's refresh may not have reached the cache yet, and they must not be shown the shared page without it.
    """
    if not user.is_authenticated:
        return Reader()
    alias = router.db_for_read(Comment)
    thread_id = thread.pk if thread is not None else None
    with connections[alias].cursor() as cursor:
        cursor.execute(
            _reader_facts_sql(alias),
            [user.pk, True, user.pk, thread_id, user.pk, thread_id, user.pk, Comment.Status.PUBLISHED,
             user.pk, HELPFUL_KIND, thread_id],
        )  # fmt: skip
        verified, subscribed, wrote_here, has_published, marked_here = cursor.fetchone()
    first_is_held = bool(verified) and needs_premoderation(user, has_published=bool(has_published))
    return Reader(
        bool(verified), bool(verified and subscribed), bool(wrote_here), first_is_held, bool(marked_here)
    )


def with_thread(subjects_queryset):
    """Subjects with the id of their thread (None before the first comment) read in the same query, for
    the page that shows one with its comments (thread_context)."""
    kind = subjects.of(subjects_queryset.model).kind
    threads = Thread.objects.filter(subject_kind=kind, subject_id=OuterRef("pk"))
    return subjects_queryset.annotate(comment_thread_id=Subquery(threads.values("pk")[:1]))


def _thread_of(subject) -> Thread | None:
    """The subject's thread, without a query when its id was read along with it (with_thread)."""
    if not hasattr(subject, "comment_thread_id"):
        thread = Thread.objects.of(subject).first()
    elif subject.comment_thread_id is None:
        thread = None
    else:
        thread = Thread.from_db(subject._state.db, ["id"], [subject.comment_thread_id])
    if thread is not None:
        thread.subject = subject
    return thread


def thread_context(request, subject) -> dict:
    """Everything the comment section of a subject's page (an article, a study, a testimonial...) needs."""
    user = request.user
    moderator = privileges(request).has(MODERATE_PERMISSION)
    registration = subjects.of(subject)
    thread = _thread_of(subject)
    reader = _reader_facts(user, thread)
    if user.is_authenticated:
        remember_verified(request, reader.can_comment)
    context = {
        "comment_subject": subject,
        "comment_kind": registration.kind,
        "comment_key": registration.key_of(subject),
        "thread": thread,
        "can_comment": reader.can_comment and registration.may_comment(user, subject),
        "first_comment_is_held": reader.first_is_held,
        "is_moderator": moderator,
        "is_subscribed": reader.is_subscribed,
        "comment_form_token": new_submission_token(),
        "comment_list_html": "",
        "comment_count": 0,
    }
    if thread is not None:
        listing = _comment_listing(request, thread, context, reader)
        context.update(
            # The kept list holds a slot for the CSRF token of its mark-as-helpful forms: this reader's.
            comment_list_html=markup.fill_csrf(listing["html"], request),
            comment_count=listing["count"],
            # A list kept before counts were capped has none: its count was the whole number.
            comment_count_text=listing.get("count_text", f"{listing['count']:,}"),
        )
    elif request.GET.get("comments", "1") != "1":
        pagecache.do_not_store(request)  # no comments yet: no other page of them to keep
    return context


def _comment_listing(request, thread, context: dict, reader: Reader) -> dict:
    """One page of the thread's comments as HTML (with the links to other pages) and how many comments are
    published in the thread, replies included (counted no further than MAX_COUNTED_COMMENTS).

    The rendered page differs only by kind of reader (anonymous, member, member with a confirmed address,
    member who may reply) unless the reader moderates, wrote in this thread (edit and delete links, their
    own held comments) or marked a comment in it helpful (a pressed button). So for the
    others it is kept by the page cache as a fragment of the subject's page, which a change to a comment
    shown there refreshes: a hit costs no comment query at all.
    """
    user = request.user
    requested = request.GET.get("comments")
    number = int(requested) if requested is not None and pagecache.page_number(requested) else None
    kept = None
    shared = not (context["is_moderator"] or reader.wrote_here or reader.marked_here)
    if shared and (requested is None or number is not None):
        if context["can_comment"]:
            kind = "member-can-reply"
        elif reader.can_comment:  # a confirmed address, in a thread closed to their comments: may mark
            kind = "member-verified"
        elif user.is_authenticated:
            kind = "member"
        else:
            kind = "anonymous"
        page_path = context["comment_subject"].get_absolute_url()
        kept = pagecache.fragment("comments", thread.pk, number or 1, kind, page=page_path)
    listing = kept.get() if kept is not None else None
    if listing is not None:
        return listing

    page, nodes, published = _comment_page(thread, user, context["is_moderator"], requested)
    html = ""
    if nodes:
        shown = [node.comment for node in walk(nodes) if node.show_text and node.comment.is_published]
        helpful = {
            "helpful_counts": {marks.key(comment): comment.helpful_count for comment in shown},
            # A reader who shares the kept list has marked nothing here: no query for them.
            "helpful_marked": marks.marked_by(user, shown) if reader.marked_here else set(),
            "helpful_may_mark": reader.can_comment,
        }
        html = render_to_string(
            "comments/comment_list.html",
            {**context, **helpful, "comment_nodes": nodes, "comment_page": page},
            request,
        )
    counted = min(published, MAX_COUNTED_COMMENTS)
    listing = {
        "html": html,
        "count": counted,
        "count_text": paging.capped_text(counted, published > MAX_COUNTED_COMMENTS),
    }
    if number is not None and page.number != number:
        # An out-of-range number fell back to another page: keep neither the list nor the page under it.
        pagecache.do_not_store(request)
    elif kept is not None:
        kept.set(listing)
    return listing


def _comment_page(thread, user, moderator: bool, requested: str | None):
    """The page of root comments asked for, and the tree of what this reader may see on it."""
    readable = _readable(user, moderator)
    # Within the thread (as every reply is): when PostgreSQL hashes this test rather than probing it root by
    # root, it then reads the thread's rows through its index, not every comment of the site.
    readable_below = Comment.objects.filter(thread=thread, root=OuterRef("pk")).filter(readable)
    roots = Comment.objects.filter(thread=thread, depth=0)
    if not moderator:
        # Not `readable | ...` for moderators: an empty Q() would vanish from the OR and leave only roots
        # with replies.
        roots = roots.filter(readable | Q(Exists(readable_below)))
    # Only the author's name (the comment list shows nothing else of them), not a whole member each: with
    # select_related, the query for 180 replies took 5.7 ms instead of 3.5. Looked up comment by comment (an
    # index probe each) rather than joined: for the join PostgreSQL hashed every member on every page.
    members = Comment._meta.get_field("author").related_model._default_manager
    author_name = Subquery(members.filter(pk=OuterRef("author_id")).values("display_name"))
    # How many comments the thread has published, replies included, read with the page's roots.
    published = Comment.objects.filter(thread=thread, status=Comment.Status.PUBLISHED)
    # Each comment's helpful count comes with it (ldnsite.helpful's kept counts): no query of its own.
    roots = (
        marks.with_counts(roots)
        .annotate(
            author_name=author_name,
            published_in_thread=paging.capped_count_sql(published, MAX_COUNTED_COMMENTS + 1),
        )
        .order_by("created_at", "pk")
    )
    page = _page_of_roots(roots, requested)
    page_roots = list(page.object_list)
    descendants = list(
        marks.with_counts(Comment.objects.filter(root__in=[root.pk for root in page_roots]))
        .annotate(author_name=author_name)
        .order_by("created_at", "pk")
    )
    texts.up_to_date([*page_roots, *descendants])
    published_count = page_roots[0].published_in_thread if page_roots else 0
    return page, build_tree(page_roots, descendants, user, moderator), published_count


def _page_of_roots(roots, requested: str | None) -> Page:
    """What `Paginator(roots, ROOTS_PER_PAGE).get_page(requested)` gives, with the number of roots read with
    the page's roots and counted no further than the cap (ldnsite.paging): one query, whatever the size of
    the thread. Only a number outside the pages (below 1, past the last) costs a count of its own."""
    return paging.CappedPaginator(roots, ROOTS_PER_PAGE).get_page(requested)


def comment_url(comment: Comment) -> str:
    """The address that shows this comment: its subject's page, at the page of comments holding its root.
    The earlier roots are counted no further than the pages a thread shows (ldnsite.paging); a root past
    them is on no page, and its address is the subject's page."""
    root = comment.root if comment.root_id else comment
    earlier = Comment.objects.filter(thread_id=comment.thread_id, depth=0, status=Comment.Status.PUBLISHED)
    earlier = earlier.filter(
        Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
    ).order_by("created_at", "pk")
    shown = paging.max_pages() * ROOTS_PER_PAGE
    earlier_roots = paging.capped_count(earlier, shown)
    page = earlier_roots // ROOTS_PER_PAGE + 1 if earlier_roots < shown else 1
    query = f"?comments={page}" if page > 1 else ""
    return f"{comment.thread.subject.get_absolute_url()}{query}#comment-{comment.pk}"
