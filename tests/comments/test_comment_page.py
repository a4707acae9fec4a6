"""The page of comments drawn fresh (the page cache off): replies nested, every reader's links, and nothing a
member wrote turned into markup. Its texts' kept HTML: tests/comments/test_rendered_html.py."""

import re
from html.parser import HTMLParser

import pytest
from django.utils import dateformat, timezone

from ldnsite.comments import moderation, threads
from ldnsite.comments.models import Comment, Thread
from tests.html_safety import find_dangers
from tests.xss_payloads import XSS_PAYLOADS


@pytest.fixture(autouse=True)
def _fresh_every_time(settings):
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 0
    settings.COMMENTS_HOLD_FIRST_COMMENT = False


def discussion(thread, author, roots: int) -> list[Comment]:
    """`roots` threads of three: a comment, a reply and a reply to that."""
    comments = []
    for i in range(roots):
        root = moderation.submit(thread, author=author, body=f"Root **{i}**")
        reply = moderation.submit(thread, author=author, body=f"Reply _{i}_", parent=root)
        comments += [root, reply, moderation.submit(thread, author=author, body=f"Deep {i}", parent=reply)]
    return comments


# The list's own forms (mark as helpful, ldnsite.helpful) are ours: exactly this markup, nothing else.
HELPFUL_FORM = re.compile(
    r'<form method="post" action="/helpful/comment/\d+/" class="helpful" id="helpful-comment-\d+" '
    r"data-helpful>"
)


def comment_list(html: str) -> str:
    """The rendered list of comments, without the forms after it (the list's own helpful forms stay)."""
    start = html.index('<ol class="comment-list">')
    markers = ('<form method="post" action="/comments/', "</section>")
    end = min(html.index(marker, start) for marker in markers if marker in html[start:])
    return html[start:end]


class _Nesting(HTMLParser):
    """The comments' <li> ids as nested (id, [replies]) pairs."""

    def __init__(self):
        super().__init__()
        self.tree: list = []
        self.open: list = [self.tree]

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            node = (dict(attrs).get("id"), [])
            self.open[-1].append(node)
            self.open.append(node[1])

    def handle_endtag(self, tag):
        if tag == "li":
            self.open.pop()


def nesting(html: str) -> list:
    parser = _Nesting()
    parser.feed(comment_list(html).split('<nav class="pagination"')[0])
    return parser.tree


@pytest.mark.django_db
def test_replies_nest_under_their_parents_and_gone_comments_keep_their_place(client, make_article, make_user):
    article = make_article()
    thread = Thread.objects.for_subject(article)
    ada, ben = make_user(display_name="Ada"), make_user(display_name="Ben")
    first = moderation.submit(thread, author=ada, body="First")
    answer = moderation.submit(thread, author=ben, body="Answer", parent=first)
    deep = moderation.submit(thread, author=ada, body="Deep", parent=answer)
    second_answer = moderation.submit(thread, author=ben, body="Second answer", parent=first)
    gone = moderation.submit(thread, author=ada, body="GONE-TEXT")
    kept = moderation.submit(thread, author=ben, body="Kept reply", parent=gone)
    lonely = moderation.submit(thread, author=ben, body="Lonely")
    moderation.delete_by_author(Comment.objects.get(pk=gone.pk), by=ada)

    html = client.get(article.get_absolute_url()).content.decode()

    def li(comment, replies=()):
        return (f"comment-{comment.pk}", list(replies))

    assert nesting(html) == [
        li(first, [li(answer, [li(deep)]), li(second_answer)]),
        li(gone, [li(kept)]),
        li(lonely),
    ]
    assert "GONE-TEXT" not in html
    placeholder = (
        '<p id="comment-{}-by" class="comment-placeholder">This comment was deleted by its author.</p>'
    )
    assert placeholder.format(gone.pk) in html
    assert f'<li class="comment depth-2" id="comment-{deep.pk}">' in html


@pytest.mark.django_db
def test_each_reader_gets_their_own_links_and_notes(
    client, make_article, make_user, make_moderator, settings
):
    settings.TIME_ZONE = "America/New_York"
    article = make_article(slug="links")
    thread = Thread.objects.for_subject(article)
    ada, ben = make_user(display_name="Ada"), make_user(display_name="Ben")
    moderator = make_moderator(display_name="Mo")
    published = moderation.submit(thread, author=ada, body="Published words")
    held = moderation.submit(thread, author=ada, body="Held words")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.HELD)
    hidden = moderation.submit(thread, author=ada, body="Hidden words")
    Comment.objects.filter(pk=hidden.pk).update(status=Comment.Status.HIDDEN)
    orphan = moderation.submit(thread, author=ben, body="Orphan words")
    Comment.objects.filter(pk=orphan.pk).update(author=None)
    moderation.edit(Comment.objects.get(pk=published.pk), by=ada, body="Published words, edited")

    def page(user) -> str:
        client.logout()
        if user is not None:
            client.force_login(user)
        return comment_list(client.get(article.get_absolute_url()).content.decode())

    anonymous, own, other, moderating = page(None), page(ada), page(ben), page(moderator)

    created = timezone.localtime(Comment.objects.get(pk=published.pk).created_at)
    shown_at = dateformat.format(created, "j F Y, H:i")
    machine_time = dateformat.format(created, r"Y-m-d\TH:i:sO")
    time_tag = f'<time datetime="{machine_time}">{shown_at}</time>'
    profile = f'<a href="/members/{ada.pk}/">Ada</a>'
    for html in (anonymous, own, other, moderating):
        assert time_tag in html and profile in html and '<span class="edited">(edited)</span>' in html
        assert 'class="comment-author">A former member</span>' in html
    assert "comment-actions" not in anonymous and "Held words" not in anonymous
    reply = '/comments/article/links/reply/{}/">Reply<span class="visually-hidden"> to {}</span>'
    assert reply.format(published.pk, "Ada") in other and reply.format(orphan.pk, "this comment") in other
    assert (
        f'href="/comments/{published.pk}/report/"' in other and f"/comments/{published.pk}/edit/" not in other
    )
    assert (
        f'href="/comments/{held.pk}/edit/">Edit</a>' in own and f'href="/comments/{held.pk}/delete/"' in own
    )
    assert f'href="/comments/{hidden.pk}/edit/"' not in own and f'href="/comments/{hidden.pk}/delete/"' in own
    assert "only you and moderators can see this" in own
    assert "only its author and moderators can see this" in moderating
    assert moderating.count("Hidden while moderators review reports") == 1


@pytest.mark.django_db
def test_markup_written_by_members_stays_text_for_every_reader(client, make_article, make_user):
    article = make_article()
    thread = Thread.objects.for_subject(article)
    name = '<img src=x onerror="alert(1)">'
    writer = make_user(display_name=name)
    payloads = [p.replace("\x00", "") for p in XSS_PAYLOADS[::7]]
    root = moderation.submit(thread, author=writer, body="\n\n".join(payloads))
    for payload in payloads[:20]:
        moderation.submit(thread, author=writer, body=payload, parent=root)

    pages = {}
    for kind, reader in (("anonymous", None), ("member", make_user()), ("writer", writer)):
        client.logout()
        if reader is not None:
            client.force_login(reader)
        pages[kind] = comment_list(client.get(article.get_absolute_url()).content.decode())

    escaped = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    for html in pages.values():
        assert find_dangers(HELPFUL_FORM.sub("", html)) == []
        assert f"{escaped}</a>" in html and "<img src=x" not in html
    assert f'<span class="visually-hidden"> to {escaped}</span>' in pages["member"]


@pytest.mark.django_db
def test_an_edit_shows_its_new_text_at_once(client, make_article, make_user):
    article = make_article()
    ada = make_user()
    comment = moderation.submit(Thread.objects.for_subject(article), author=ada, body="Frist words")
    client.force_login(ada)
    assert (
        "Frist words" in client.get(article.get_absolute_url()).content.decode()
    )  # shown once before the edit

    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "First *words*"}).status_code == 302

    for reader in (ada, make_user(), None):
        client.logout()
        if reader is not None:
            client.force_login(reader)
        html = client.get(article.get_absolute_url()).content.decode()
        assert "First <em>words</em>" in html and "Frist" not in html and "(edited)" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        ("", 1),
        ("1", 1),
        ("2", 2),
        ("3", 2),
        ("99", 2),
        ("9" * 400, 2),
        ("0", 2),
        ("-1", 2),
        ("two", 1),
        ("2.0", 1),
    ],
)
def test_each_page_number_shows_the_page_django_would(client, make_article, make_user, asked, shown):
    """The number of threads is read with the page's roots rather than counted first: the pages shown, and
    where a number outside them lands (the last page; page 1 for what is not a number), stay Django's."""
    article = make_article()
    comments = discussion(Thread.objects.for_subject(article), make_user(), 25)
    url = article.get_absolute_url() + (f"?comments={asked}" if asked else "")

    html = client.get(url).content.decode()

    first, count = (0, 20) if shown == 1 else (20, 5)
    assert f"Page {shown} of 2" in html and "(75 comments)" in html  # 25 roots, each with two replies
    assert comment_list(html).count('class="comment depth-0"') == count
    assert f'id="comment-{comments[3 * first].pk}"' in html
    assert f'id="comment-{comments[3 * (first + count) - 3].pk}"' in html


@pytest.mark.django_db
def test_a_thread_whose_comments_are_all_held_shows_an_empty_discussion(
    client, make_article, make_user, settings
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    article = make_article()
    moderation.submit(Thread.objects.for_subject(article), author=make_user(), body="Waiting for review")

    for asked in ("", "?comments=2"):
        html = client.get(article.get_absolute_url() + asked).content.decode()
        assert "Waiting for review" not in html and 'class="comment depth-0"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("roots", [2, 25])
def test_an_anonymous_readers_page_of_comments_costs_the_same_few_queries(
    client, make_article, make_user, django_assert_max_num_queries, roots
):
    article = make_article()
    discussion(Thread.objects.for_subject(article), make_user(), roots)

    # The article, its studies, its resources, the page of roots with their number, everything under them.
    with django_assert_max_num_queries(5):
        html = client.get(article.get_absolute_url()).content.decode()

    assert comment_list(html).count('class="comment depth-2"') == min(roots, 20)


def test_the_heading_counts_every_published_comment_replies_included(
    client, make_article, make_user, moderator, monkeypatch
):
    article = make_article()
    thread = Thread.objects.for_subject(article)
    discussion(thread, make_user(), 2)  # 2 roots, 4 replies
    taken_down = moderation.submit(thread, author=make_user(), body="Soon removed")
    moderation.remove(taken_down, by=moderator, reason="Off topic")

    assert "(6 comments)" in client.get(article.get_absolute_url()).content.decode()

    monkeypatch.setattr(threads, "MAX_COUNTED_COMMENTS", 4)
    longer = make_article()
    discussion(Thread.objects.for_subject(longer), make_user(), 2)
    assert "(more than 4 comments)" in client.get(longer.get_absolute_url()).content.decode()
