"""Each comment keeps the HTML the one renderer made of its text: made when the text is written, made again
when the renderer changes, and read by the page of comments instead of rendered or looked up in the cache."""

import uuid

import pytest
from django.core.cache import cache

from ldnsite import markdown
from ldnsite.comments import moderation, texts
from ldnsite.comments.models import Comment, Thread
from tests.comments.test_comment_page import HELPFUL_FORM, comment_list
from tests.html_safety import find_dangers
from tests.xss_payloads import XSS_PAYLOADS


@pytest.fixture(autouse=True)
def _fresh_every_time(settings):
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 0
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    settings.COMMENTS_RATE_NEW_MEMBER = (1000, 600)


@pytest.fixture
def conversions(monkeypatch):
    """Every text python-markdown converts, in order."""
    converted: list[str] = []
    convert = markdown._sanitized_html

    def counting(source: str, mentions: bool = False) -> str:
        converted.append(source)
        return convert(source, mentions)

    monkeypatch.setattr(markdown, "_sanitized_html", counting)
    return converted


def post(client, article, body: str) -> Comment:
    data = {"body": body, "token": str(uuid.uuid4())}
    assert client.post(f"/comments/article/{article.slug}/new/", data).status_code == 302
    return Comment.objects.latest("pk")


@pytest.mark.django_db
def test_a_posted_comment_keeps_the_html_the_renderer_makes_and_the_page_shows_it(
    client, make_article, member
):
    article = make_article()
    client.force_login(member)

    comment = post(client, article, "LDN helped my **sleep**, see [the trial](https://example.org/t).")

    assert comment.body_html == str(markdown.render(comment.body)) == markdown.render_to_keep(comment.body)
    assert comment.body_html_version == markdown.VERSION
    assert "<strong>sleep</strong>" in comment.body_html
    assert 'rel="nofollow noopener noreferrer ugc"' in comment.body_html
    assert comment.body_html in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_markup_in_a_comment_is_neutralised_in_its_kept_html_and_on_the_page(
    client, make_article, member, make_user
):
    article = make_article()
    client.force_login(member)
    payloads = [p.replace("\x00", "") for p in XSS_PAYLOADS]
    comments = [post(client, article, "\n\n".join(payloads[i : i + 40])) for i in range(0, len(payloads), 40)]

    for comment in comments:
        assert comment.body_html_version == markdown.VERSION
        assert find_dangers(comment.body_html) == []
    for reader in (None, make_user(), member):
        client.logout()
        if reader is not None:
            client.force_login(reader)
        html = comment_list(client.get(article.get_absolute_url()).content.decode())
        assert find_dangers(HELPFUL_FORM.sub("", html)) == []
        assert all(f'id="comment-{c.pk}"' in html for c in comments)


@pytest.mark.django_db
def test_an_edit_renders_the_new_text_again(client, make_article, member):
    article = make_article()
    client.force_login(member)
    comment = post(client, article, "Frist *words*")

    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "First **words**"}).status_code == 302

    comment.refresh_from_db()
    assert comment.body_html == "<p>First <strong>words</strong></p>"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "First <strong>words</strong>" in html and "Frist" not in html


@pytest.mark.django_db
def test_an_approved_edit_shows_its_own_html_and_a_deleted_comment_keeps_none(
    client, make_article, member, moderator
):
    article = make_article()
    client.force_login(member)
    comment = post(client, article, "Passed text")
    moderation.hide(comment, by=moderator, reason="Looking")
    moderation.restore(comment, by=moderator)  # a moderator passed it: an edit now waits for review
    client.post(f"/comments/{comment.pk}/edit/", {"body": "Edited _text_"})
    comment.refresh_from_db()
    assert comment.body_html == "<p>Passed text</p>"

    client.force_login(moderator)
    approve = f"/moderation/comments/{comment.pk}/edit/approve/"
    assert client.post(approve, {"seen": comment.version}).status_code == 302

    comment.refresh_from_db()
    assert comment.body_html == "<p>Edited <em>text</em></p>"
    assert "Edited <em>text</em>" in client.get(article.get_absolute_url()).content.decode()

    client.force_login(member)
    client.post(f"/comments/{comment.pk}/delete/")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED and comment.body == comment.body_html == ""


@pytest.mark.django_db
def test_rows_an_older_renderer_made_are_rendered_again_once_and_kept(
    client, make_article, member, monkeypatch, conversions, django_assert_max_num_queries
):
    article = make_article()
    client.force_login(member)
    old = post(client, article, "An *old* comment")
    never = post(client, article, "Written before the column **existed**")
    Comment.objects.filter(pk=old.pk).update(body_html="<p>OLD RENDERER</p>", body_html_version="0/old")
    Comment.objects.filter(pk=never.pk).update(body_html="", body_html_version="")
    current = post(client, article, "A current comment")
    conversions.clear()

    html = client.get(article.get_absolute_url()).content.decode()

    assert "OLD RENDERER" not in html and "An <em>old</em> comment" in html
    assert "Written before the column <strong>existed</strong>" in html
    bodies = {old.body, never.body, current.body}
    assert sorted(c for c in conversions if c in bodies) == sorted([old.body, never.body])
    for comment in (old, never, current):
        comment.refresh_from_db()
        assert comment.body_html_version == markdown.VERSION
        assert comment.body_html == markdown.render_to_keep(comment.body)

    # A new renderer: every row is rendered again, once.
    monkeypatch.setattr(markdown, "VERSION", "9999/a-newer-renderer")
    conversions.clear()
    client.get(article.get_absolute_url())
    assert sorted(c for c in conversions if c in bodies) == sorted(bodies)
    assert set(Comment.objects.values_list("body_html_version", flat=True)) == {"9999/a-newer-renderer"}
    conversions.clear()
    with django_assert_max_num_queries(9):  # kept: no UPDATE any more, the bound of a member's page
        client.get(article.get_absolute_url())
    assert conversions == []


@pytest.mark.django_db
def test_a_stale_row_edited_meanwhile_keeps_the_html_of_its_edit(client, make_article, member):
    article = make_article()
    client.force_login(member)
    comment = post(client, article, "Before")
    Comment.objects.filter(pk=comment.pk).update(body_html_version="0/old")
    read_before_the_edit = Comment.objects.get(pk=comment.pk)

    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "After"}).status_code == 302
    texts.up_to_date([read_before_the_edit])  # a reader that read the row before the edit committed

    comment.refresh_from_db()
    assert comment.body == "After" and comment.body_html == "<p>After</p>"


@pytest.mark.django_db
@pytest.mark.parametrize("logged_in", [False, True])
def test_the_page_reads_its_comments_html_without_rendering_or_the_cache(
    client, make_article, make_user, conversions, django_assert_max_num_queries, logged_in, monkeypatch
):
    article = make_article()
    thread = Thread.objects.for_subject(article)
    writer = make_user()
    for i in range(20):
        root = moderation.submit(thread, author=writer, body=f"Root **{i}**")
        moderation.submit(thread, author=writer, body=f"Reply _{i}_", parent=root)
    if logged_in:
        client.force_login(make_user())
    cache.clear()
    conversions.clear()
    looked_up = []
    monkeypatch.setattr(markdown, "cache", LookupsOf(markdown.cache, looked_up))

    with django_assert_max_num_queries(9 if logged_in else 5):  # a member's header counts their unread
        html = client.get(article.get_absolute_url()).content.decode()

    assert html.count('class="comment depth-1"') == 20 and "Root <strong>19</strong>" in html
    assert not any(body.startswith(("Root", "Reply")) for body in conversions)
    assert len(looked_up) <= 2  # the article's own text and its summary, not one per comment


class LookupsOf:
    """The cache markdown.py uses, noting each key it is asked for."""

    def __init__(self, real, keys: list):
        self.real, self.keys = real, keys

    def get(self, key, default=None):
        self.keys.append(key)
        return self.real.get(key, default)

    def set(self, key, value, timeout=None):
        return self.real.set(key, value, timeout)
