"""{% comment_items comment_nodes %}: the comments of one page as HTML, built here rather than in a template.

A page holds up to 200 comments, and Django's template engine spent about 50 microseconds on each (every
variable and {% if %} costs a few): a third of what the whole page may cost when it is not in the cache.
Here the page is one format_html() call. What members wrote (names) is a value, escaped by format_html;
each text is the HTML kept on its row (comments.texts), which only markdown.kept() marks safe; the rest
goes straight into the markup: the fixed HTML below, numbers (":d"), and addresses and month names escaped
once per page. The markup is the one templates/comments/comment.html held; comment_list.html keeps the rest.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from ldnsite import markdown
from ldnsite.helpful import markup as helpful_markup

from .. import subjects
from ..models import Comment
from ..threads import HELPFUL_KIND, Node, walk

register = template.Library()

_ANY_ID = 2_147_483_647  # stands for an id in an address reversed once per page
_PLACEHOLDERS = {
    Comment.Status.DELETED: "This comment was deleted by its author.",
    Comment.Status.REMOVED: "This comment was removed by a moderator.",
}


@dataclass(frozen=True)
class _Page:
    """What every comment on the page shares: the reader, the addresses and the texts."""

    member_id: int | None  # None for an anonymous reader
    can_comment: bool
    # The member who writes in this thread without their name (a story's anonymous author), and the words
    # shown instead: never their display name, never a link to their page.
    anonymous_author_id: int | None
    anonymous_label: str
    addresses: dict[str, Callable[[int], str]]
    bodies: dict[int, SafeString]  # comment id -> its text as HTML
    zone: object
    months: dict[int, str]
    # Helpful marks (ldnsite.helpful): counts of the page's comments, the ones this reader marked, whether
    # they may mark (a confirmed address), and the address of this page of comments, to come back to.
    helpful_counts: dict[tuple[str, int], int]
    helpful_marked: set[tuple[str, int]]
    helpful_may_mark: bool
    page_url: str


@register.simple_tag(takes_context=True)
def comment_items(context, tree: list[Node]) -> SafeString:
    """The <li> of each comment in `tree`, replies nested, for the reader in `context`."""
    user = context["user"]
    kind, key = context["comment_kind"], context["comment_key"]
    shown = [node.comment for node in walk(tree) if node.show_text]
    page_number = getattr(context.get("comment_page"), "number", 1)
    subject = context.get("comment_subject")
    anonymous_author_id, anonymous_label = subjects.anonymous_author(context.get("comment_subject"))
    page = _Page(
        member_id=user.pk if user.is_authenticated else None,
        can_comment=bool(context.get("can_comment")),
        anonymous_author_id=anonymous_author_id,
        anonymous_label=anonymous_label[:1].upper() + anonymous_label[1:],
        addresses={
            "author": _address("accounts:profile"),
            "reply": _address("comments:reply", kind, key),
            "edit": _address("comments:edit"),
            "delete": _address("comments:delete"),
            "report": _address("comments:report"),
        },
        bodies={comment.pk: _body(comment) for comment in shown},
        zone=timezone.get_current_timezone(),
        months={number: _markup(name) for number, name in MONTHS.items()},
        helpful_counts=context.get("helpful_counts") or {},
        helpful_marked=context.get("helpful_marked") or set(),
        helpful_may_mark=bool(context.get("helpful_may_mark")),
        page_url=(subject.get_absolute_url() if subject is not None else "")
        + (f"?comments={page_number:d}" if page_number > 1 else ""),
    )
    markup: list[str] = []
    values: list = []
    _append(tree, page, markup, values)
    return format_html("".join(markup), *values)


def _body(comment: Comment) -> SafeString:
    """The comment's text as HTML: kept on its row (threads brings stale rows up to date before this)."""
    html = markdown.kept(comment.body_html, comment.body_html_version)
    return html if html is not None else markdown.render(comment.body, mentions=True)


def _markup(text) -> str:
    """`text` as part of a format_html() format string: escaped, braces doubled."""
    return conditional_escape(text).replace("{", "{{").replace("}", "}}")


def _address(name: str, *args) -> Callable[[int], str]:
    """The address `name` takes for any id, as markup, from one reverse() (about 30 microseconds each)."""
    before, _, after = reverse(name, args=[*args, _ANY_ID]).rpartition(str(_ANY_ID))
    before, after = _markup(before), _markup(after)
    return lambda pk: f"{before}{pk:d}{after}"


def _append(nodes: list[Node], page: _Page, markup: list[str], values: list) -> None:
    """Add each node's <li> to `markup`, a format string with a "{}" for each value, in order, in `values`."""
    for node in nodes:
        comment = node.comment
        markup.append(
            f'<li class="comment depth-{comment.depth:d}" id="comment-{comment.pk:d}">\n'
            f'  <article aria-labelledby="comment-{comment.pk:d}-by">\n'
        )
        if node.show_text:
            _append_shown(comment, page, markup, values)
        else:
            placeholder = _PLACEHOLDERS.get(comment.status, "This comment is not shown.")
            markup.append(
                f'    <p id="comment-{comment.pk:d}-by" class="comment-placeholder">{placeholder}</p>\n'
            )
        markup.append("  </article>\n")
        if node.children:
            markup.append('  <ol class="comment-list replies">\n')
            _append(node.children, page, markup, values)
            markup.append("  </ol>\n")
        markup.append("</li>\n")


def _append_shown(comment: Comment, page: _Page, markup: list[str], values: list) -> None:
    """The header, text and links of a comment whose text this reader may see."""
    addresses = page.addresses
    is_own = page.member_id is not None and comment.author_id == page.member_id
    published = comment.status == Comment.Status.PUBLISHED
    markup.append('    <header class="comment-meta">\n')
    markup.append(f'      <span id="comment-{comment.pk:d}-by" class="comment-author">')
    is_anonymous = comment.author_id is not None and comment.author_id == page.anonymous_author_id
    if is_anonymous:
        markup.append("{}")
        values.append(page.anonymous_label + (" (you)" if is_own else ""))
    elif comment.author_id is not None:
        markup.append(f'<a href="{addresses["author"](comment.author_id)}">{{}}</a>')
        values.append(comment.author_name)
    else:
        markup.append("A former member")
    created = comment.created_at.astimezone(page.zone)
    # As |date:"Y-m-d\TH:i:sO" and |date:"j F Y, H:i" would write it: whole seconds, as HTML's datetime
    # attribute allows at most three digits of a fraction.
    shown_at = f"{created.day} {page.months[created.month]} {created.year}, {created:%H:%M}"
    markup.append(f'</span>\n      <time datetime="{created:%Y-%m-%dT%H:%M:%S%z}">{shown_at}</time>\n')
    if comment.edited_at is not None:
        markup.append('      <span class="edited">(edited)</span>\n')
    if comment.status == Comment.Status.HELD:
        who = "only you and moderators" if is_own else "only its author and moderators"
        markup.append(
            f'      <span class="badge draft">Waiting for a moderator — {who} can see this</span>\n'
        )
    elif comment.status == Comment.Status.HIDDEN:
        markup.append('      <span class="badge draft">Hidden while moderators review reports</span>\n')
    markup.append('    </header>\n    <div class="comment-body prose">{}</div>\n')
    values.append(page.bodies[comment.pk])
    if published:
        _append_helpful(comment, page, is_own, markup, values)
    if page.member_id is None:
        return
    markup.append('    <p class="comment-actions">\n')
    if page.can_comment and published:
        reply = addresses["reply"](comment.pk)
        markup.append(f'      <a href="{reply}">Reply<span class="visually-hidden"> to {{}}</span></a>\n')
        values.append(page.anonymous_label if is_anonymous else comment.author_name or "this comment")
    if is_own:
        if published or comment.status == Comment.Status.HELD:
            markup.append(f'      <a href="{addresses["edit"](comment.pk)}">Edit</a>\n')
        markup.append(f'      <a href="{addresses["delete"](comment.pk)}">Delete</a>\n')
    elif published:
        report = addresses["report"](comment.pk)
        markup.append(
            f'      <a href="{report}">Report<span class="visually-hidden"> this comment</span></a>\n'
        )
    markup.append("    </p>\n")


def _append_helpful(comment: Comment, page: _Page, is_own: bool, markup: list[str], values: list) -> None:
    """ "Helpful (N)", with the button for a member who may mark it; only the count, and only once it is not
    0, for anyone else."""
    key = (HELPFUL_KIND, comment.pk)
    count = page.helpful_counts.get(key, 0)
    if page.member_id is None or is_own or not page.helpful_may_mark:
        if not count:
            return
        state = "none"
    else:
        state = "marked" if key in page.helpful_marked else "can_mark"
    markup.append("    {}\n")
    values.append(
        helpful_markup.control(
            kind=HELPFUL_KIND,
            pk=comment.pk,
            count=count,
            state=state,
            next_url=f"{page.page_url}#comment-{comment.pk:d}",
            described_by=f"comment-{comment.pk:d}-by",
        )
    )
