"""Capped pages (ldnsite.paging) on the other two lists, a page of comments and a member's comments, and the
plans PostgreSQL chooses for all three lists at a modest volume."""

import random
import re
import types

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ldnsite.comments import moderation
from ldnsite.comments.models import Comment, Thread
from ldnsite.comments.texts import text_fields
from ldnsite.comments.threads import comment_url


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(autouse=True)
def _no_hold_and_generous_limits(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    settings.COMMENTS_RATE_NEW_MEMBER = (1000, 600)
    settings.COMMENTS_RATE_MEMBER = (1000, 600)


def roots(thread, author, n: int) -> list[Comment]:
    return [moderation.submit(thread, author=author, body=f"Root number {i:02d}") for i in range(n)]


# --- a page of comments ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_long_discussion_says_more_than_what_it_counted(client, make_article, make_user, settings):
    settings.LIST_MAX_PAGES = 2
    article = make_article()
    roots(Thread.objects.for_subject(article), make_user(), 45)

    first = text(client.get(article.get_absolute_url()).content.decode())
    last = text(client.get(article.get_absolute_url() + "?comments=2").content.decode())
    past = text(client.get(article.get_absolute_url() + "?comments=3").content.decode())

    assert "(45 comments)" in first and "Page 1 of more than 2" in first  # comments are counted further
    assert "Page 2 of more than 2" in last and "Root number 39" in last and "Root number 40" not in last
    assert "The list goes on, but pages after this one are not shown." in last
    # A number past the pages shown lands on the last one, as a number past the end always has.
    assert "Page 2 of more than 2" in past and "Root number 39" in past


@pytest.mark.django_db
def test_a_comment_is_linked_to_its_page_and_past_the_pages_shown_to_its_subject(
    client, make_article, make_user, settings
):
    settings.LIST_MAX_PAGES = 2
    article = make_article()
    comments = roots(Thread.objects.for_subject(article), make_user(), 41)

    assert comment_url(comments[0]) == f"{article.get_absolute_url()}#comment-{comments[0].pk}"
    assert comment_url(comments[20]) == f"{article.get_absolute_url()}?comments=2#comment-{comments[20].pk}"
    assert comment_url(comments[39]) == f"{article.get_absolute_url()}?comments=2#comment-{comments[39].pk}"
    assert comment_url(comments[40]) == f"{article.get_absolute_url()}#comment-{comments[40].pk}"
    # And it is where the page says it is.
    second = client.get(f"{article.get_absolute_url()}?comments=2").content.decode()
    assert f'id="comment-{comments[39].pk}"' in second


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["", "2", "3"])
def test_a_page_of_comments_reads_its_roots_and_their_number_in_one_query(
    client, make_article, make_user, settings, asked
):
    """The capped count rides along with the page of roots: the article page's queries stay five."""
    settings.FRAGMENT_CACHE_SECONDS = 0
    article = make_article()
    roots(Thread.objects.for_subject(article), make_user(), 60)
    url = article.get_absolute_url() + (f"?comments={asked}" if asked else "")

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200

    comment_queries = [q["sql"] for q in queries.captured_queries if "comments_comment" in q["sql"]]
    counted = [sql for sql in comment_queries if "COUNT(" in sql.upper()]
    assert len(counted) == 1 and "LIMIT" in counted[0].upper()


# --- a member's comments --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_members_comments_say_more_than_what_was_counted(client, make_user, make_article, settings):
    settings.LIST_MAX_PAGES = 1
    ada = make_user(display_name="Ada")
    thread = Thread.objects.for_subject(make_article())
    for n in range(21):
        moderation.submit(thread, author=ada, body=f"COMMENT-{n:02}-END")

    first = text(client.get(f"/members/{ada.pk}/").content.decode())
    past = text(client.get(f"/members/{ada.pk}/?page=2").content.decode())

    assert "Page 1 of more than 1" in first and "COMMENT-20-END" in first and "COMMENT-00-END" not in first
    assert "The list goes on, but pages after this one are not shown." in first
    assert "Page 1 of more than 1" in past  # past the pages shown: the last one, as past the end


# --- plans on PostgreSQL --------------------------------------------------------------------------------


on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's")


def _volume(members, moderator, *, stories: int, threads: int, comments: int):
    """Bulk-made stories and discussions: `threads` of `comments` roots each; the first is returned."""
    from testimonials.demo import volume_testimonials

    synthetic = types.SimpleNamespace(rng=random.Random(16), now=timezone.now(), text=lambda n: "Words. " * n)
    testimonials = volume_testimonials(stories, members=members, moderator=moderator, synthetic=synthetic)
    public = [testimonial for testimonial in testimonials if testimonial.status == "approved"][:threads]
    discussions = Thread.objects.bulk_create(Thread.about(testimonial) for testimonial in public)
    body = text_fields("A volume comment.")
    Comment.objects.bulk_create(
        (
            Comment(thread=thread, author=members[i % len(members)], depth=0, status="published", **body)
            for thread in discussions
            for i in range(comments)
        ),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return discussions[0]


def _plans(client, url: str, table: str) -> list[str]:
    """The plan of each query on `table` that reading `url` ran."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if f'FROM "{table}"' in query["sql"]:
                cursor.execute("EXPLAIN " + query["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert plans, f"no query on {table} for {url}"
    return plans


@on_postgres
@pytest.mark.django_db
def test_postgresql_reads_every_list_through_its_indexes(client, make_user, moderator, settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0
    settings.LIST_MAX_PAGES = 10  # the cap stays a small part of the table, as at full volume
    members = [make_user() for _ in range(20)]
    thread = _volume(members, moderator, stories=4000, threads=100, comments=300)

    lists = ["", "?page=7", "?ms_type=rrms", "?change=better&page=3", "?ms_type=spms&change=worse"]
    for url in (f"/testimonials/{query}" for query in lists):
        for plan in _plans(client, url, "testimonials_testimonial"):
            assert "Seq Scan on testimonials_testimonial" not in plan, (url, plan)
            assert re.search(r"Index (Only )?Scan.* on testimonials_testimonial", plan), (url, plan)

    subject = thread.subject.get_absolute_url()
    for url in (subject, f"{subject}?comments=5"):
        for plan in _plans(client, url, "comments_comment"):
            assert "Seq Scan on comments_comment" not in plan, (url, plan)
            assert "comments_thread_roots_idx" in plan or "Index Scan" in plan, (url, plan)


@pytest.mark.django_db
def test_a_list_empty_by_its_terms_is_an_empty_first_page():
    """`none()` (a door with no registered subject, say) compiles to no SQL at all: still page 1 of 1."""
    from ldnsite.paging import CappedPaginator

    page = CappedPaginator(Comment.objects.none(), 20).get_page("3")

    assert (page.number, page.paginator.count, page.paginator.num_pages, list(page)) == (1, 0, 1, [])
