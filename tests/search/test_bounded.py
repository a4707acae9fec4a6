"""Search costs about the same for five matches or five hundred thousand: at most engine.MAX_CANDIDATES
matches of a source are counted and ranked (the newest), and the page says when there were more."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ldnsite.search import engine, views
from tests.search.test_search import groups

URL = reverse("search:search")
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="full text is PostgreSQL-only")


@pytest.fixture
def bound(monkeypatch):
    """Three matches per source at most, so that a handful of rows goes over the bound."""
    monkeypatch.setattr(engine, "MAX_CANDIDATES", 3)
    return 3


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_below_the_bound_every_match_is_counted_and_shown(client, bound, make_article):
    for n in range(3):
        make_article(title=f"Quokka article {n}")

    response = client.get(URL, {"q": "quokka"})

    assert "3 results for" in text(response)
    assert "More than" not in text(response)
    assert "too many" not in text(response)
    assert len(groups(response)["articles"]) == 3


def test_above_the_bound_the_page_says_more_than_and_why(client, bound, make_article):
    for n in range(5):
        make_article(title=f"Quokka article {n}")

    page = text(client.get(URL, {"q": "quokka"}))

    assert "More than 3 results for" in page
    assert "Articles (more than 3)" in page
    assert "too many to rank them all" in page
    assert "where a group has more than 3, we show the most relevant of the 3 newest" in page
    assert "add a word to your search" in page
    assert "See the most relevant of the newest 3 articles that match" in page


def test_a_capped_group_keeps_its_newest_matches_and_others_stay_exact(
    client, bound, make_article, make_study
):
    articles = [make_article(title=f"Quokka article {n}") for n in range(5)]
    make_study(title="Quokka study")

    response = client.get(URL, {"q": "quokka"})
    found = groups(response)

    assert sorted(found["articles"]) == sorted(article.title for article in articles[2:])
    assert len(found["studies"]) == 1
    assert "Study summaries (1)" in text(response)
    # Three articles shown of more than three, and the one study: "more than four".
    assert "More than 4 results for" in text(response)


def test_one_capped_group_pages_through_the_bounded_set_only(client, bound, make_article, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    articles = [make_article(title=f"Quokka article {n}") for n in range(6)]

    first = client.get(URL, {"q": "quokka", "in": "articles"})
    second = client.get(URL, {"q": "quokka", "in": "articles", "page": "2"})
    beyond = client.get(URL, {"q": "quokka", "in": "articles", "page": "3"})

    assert "More than 3 results for" in text(first)
    assert "we show the most relevant of the 3 newest" in text(first)
    assert "Page 1 of 2" in text(first)
    assert "Page 2 of 2" in text(second)
    assert len(groups(first)["articles"]) == 2
    assert len(groups(second)["articles"]) == 1
    assert groups(beyond)["articles"] == groups(second)["articles"]
    shown = groups(first)["articles"] + groups(second)["articles"]
    assert sorted(shown) == sorted(article.title for article in articles[3:])


def test_query_count_is_the_same_below_and_above_the_bound(
    client, settings, bound, make_study, make_article, make_experience, django_assert_num_queries
):
    """Per group: one query counts (at most bound + 1 rows), one fetches the rows shown (discussions have no
    matches here: a count only)."""
    settings.PAGE_CACHE_SECONDS = 0  # every request reaches the database
    for n in range(2):
        make_study(title=f"Wombat {n}")
        make_article(title=f"Wombat {n}")
        make_experience(title=f"Wombat {n}")
    with django_assert_num_queries(7):
        few = client.get(URL, {"q": "wombat"})
    for n in range(2, 12):
        make_study(title=f"Wombat {n}")
        make_article(title=f"Wombat {n}")
        make_experience(title=f"Wombat {n}")
    with django_assert_num_queries(7):
        many = client.get(URL, {"q": "wombat"})
    with django_assert_num_queries(2):
        one_group = client.get(URL, {"q": "wombat", "in": "experiences", "page": "2"})

    assert "6 results for" in text(few)
    assert "More than 9 results for" in text(many)
    assert one_group.status_code == 200


def test_a_source_without_matches_costs_one_query(client, bound, make_article, django_assert_num_queries):
    make_article(title="Quokka article")

    with django_assert_num_queries(5):  # four counts, one page of articles
        response = client.get(URL, {"q": "quokka"})

    assert groups(response) == {"articles": ["Quokka article"]}


@on_postgres
def test_postgres_ranks_by_relevance_within_the_bounded_set(client, bound, make_article):
    make_article(title="Dugong in the title, but too old to be ranked", body="Dugong.")
    make_article(title="Body only, newest but one", body="A dugong swam by.")
    make_article(title="Dugong in the title, older", body="Dugong.")
    make_article(title="Body only, newest", body="A dugong swam by.")
    make_article(title="Unrelated", body="Nothing here.")

    response = client.get(URL, {"q": "dugong"})

    assert groups(response)["articles"] == [
        "Dugong in the title, older",
        "Body only, newest",
        "Body only, newest but one",
    ]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL orders by rank")
def test_sqlite_shows_the_newest_of_the_bounded_set_first(client, bound, make_article):
    for n in range(5):
        make_article(title=f"Dugong {n}")

    assert groups(client.get(URL, {"q": "dugong"}))["articles"] == ["Dugong 4", "Dugong 3", "Dugong 2"]


# --- PostgreSQL: the plans at a modest volume --------------------------------------------------------------


@pytest.fixture
def volume(db, settings):
    """3,000 experiences and 3,000 comments (seed_volume, bulk-created); 40 experiences, five articles and
    five studies retitled "Zebrafish days". Enough rows for the planner to choose as on the live site."""
    from django.core.management import call_command

    from articles.models import Article, Study
    from testimonials.models import Testimonial

    settings.PAGE_CACHE_SECONDS = 0
    call_command(
        "seed_volume",
        "--yes",
        articles=20,
        studies=10,
        testimonials=3000,
        topics=0,  # the plans read here are the stories' and the comments'
        comments=3000,
        members=50,
        stdout=io.StringIO(),
    )
    for model, count in ((Testimonial, 40), (Article, 5), (Study, 5)):
        rare = model.objects.public().order_by("pk").values("pk")[:count]
        model.objects.filter(pk__in=rare).update(title="Zebrafish days")
    with connection.cursor() as cursor:
        # New index entries wait in each GIN index's pending list until (auto)vacuum merges them; the
        # planner prices a long list as slow. Merge them, and gather the statistics, as autovacuum would.
        for index in ("testimonials_search_idx", "articles_article_search_idx", "articles_study_search_idx"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE")


def explained(client, params) -> list[str]:
    """The EXPLAIN of every query the search page ran for `params`."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@on_postgres
def test_postgres_few_matches_are_found_through_the_gin_index(client, volume):
    plans = explained(client, {"q": "zebrafish", "in": "experiences"})

    assert len(plans) == 2  # the bounded count, then the page
    for plan in plans:
        assert "Bitmap Index Scan on testimonials_search_idx" in plan
        assert "Seq Scan on testimonials_testimonial" not in plan
        assert "Seq Scan on comments_" not in plan


@on_postgres
def test_postgres_many_matches_read_only_the_bounded_newest(client, volume, monkeypatch):
    monkeypatch.setattr(engine, "MAX_CANDIDATES", 500)

    plans = explained(client, {"q": "naltrexone", "in": "experiences"})
    page = text(client.get(URL, {"q": "naltrexone", "in": "experiences"}))

    assert "More than 500 results for" in page
    assert len(plans) == 2
    count, rows = plans
    # Newest first through the primary key, stopping after 501 matches; the page reads the newest 500.
    assert "Limit" in count and "testimonials_testimonial_pkey" in count
    assert "Index Cond: (id >" in rows
    for plan in plans:
        assert "Seq Scan on testimonials_testimonial" not in plan
        assert "Seq Scan on comments_" not in plan


@on_postgres
def test_postgres_query_count_is_the_same_for_few_and_many_matches(client, volume, django_assert_num_queries):
    # Per group a count, and the rows of each group with matches; discussions have none here (a count only).
    with django_assert_num_queries(7):
        few = client.get(URL, {"q": "zebrafish"})
    with django_assert_num_queries(7):
        many = client.get(URL, {"q": "naltrexone"})

    assert len(groups(few)["experiences"]) == engine.PER_GROUP
    assert len(groups(many)["experiences"]) == engine.PER_GROUP
