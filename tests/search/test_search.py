"""Site search through /search/?q=, on SQLite (simple matching) and PostgreSQL (full text)."""

import io
import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Thread
from ldnsite.fulltext import SEARCH_CONFIG, StoredDocument
from ldnsite.search import engine, sources
from testimonials import moderation
from tests.factories import story

URL = reverse("search:search")
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="full text is PostgreSQL-only")


def groups(response) -> dict[str, list[str]]:
    """{group key: [result titles]} in page order."""
    html = response.content.decode()
    found = {}
    for match in re.finditer(r'<section class="search-group search-(\w+).*?</section>', html, re.DOTALL):
        titles = re.findall(r"<h3><a [^>]*>(.*?)</a></h3>", match.group(0), re.DOTALL)
        found[match.group(1)] = [re.sub(r"\s+", " ", title).strip() for title in titles]
    return found


def results_text(response) -> str:
    """Only the results part of the page: the query echoed in the form and title is not a result."""
    html = response.content.decode()
    return "".join(re.findall(r'<section class="search-group.*?</section>', html, re.DOTALL))


def test_results_are_grouped_studies_then_articles_then_experiences(
    client, make_study, make_article, make_experience
):
    study = make_study(title="Zebrafish trial of naltrexone")
    make_article(title="Zebrafish and MS", studies=[study])
    make_experience(title="My zebrafish months")

    response = client.get(URL, {"q": "zebrafish"})

    assert response.status_code == 200
    found = groups(response)
    assert list(found) == ["studies", "articles", "experiences"]
    assert found["studies"] == [f"{study.first_author} 2010: Zebrafish trial of naltrexone"]
    assert found["articles"] == ["Zebrafish and MS"]
    assert found["experiences"] == ["My zebrafish months"]
    assert "3 results" in response.content.decode()


def test_member_experiences_are_labelled_as_personal_experience(client, make_study, make_experience):
    make_study(title="Walking speed study")
    make_experience(title="Walking again")

    html = results_text(client.get(URL, {"q": "walking"}))

    experiences = html[html.index("search-experiences") :]
    studies = html[: html.index("search-experiences")]
    assert "Personal experience — not medical evidence" in experiences
    assert "experience-section" in experiences
    assert "Personal experience" not in studies


def test_study_results_carry_their_evidence_level(client, make_study):
    make_study(title="Spasticity case report", design="case_report", participants_enrolled=1)

    html = results_text(client.get(URL, {"q": "spasticity"}))

    assert "Evidence level 5" in html
    assert "Case report" in html


@pytest.mark.parametrize(
    "hide",
    [
        "draft_article",
        "scheduled_article",
        "draft_study",
        "pending_experience",
        "rejected_experience",
        "withdrawn_experience",
        "pending_revision",
        "hidden_comment",
    ],
)
def test_hidden_content_never_appears_in_results(
    hide, client, editor, moderator, make_article, make_study, make_experience, make_user
):
    marker = "Quokkamarker"
    if hide == "draft_article":
        make_article(published=False, title=f"{marker} draft")
    elif hide == "scheduled_article":
        make_article(title=f"{marker} later", published_at=timezone.now() + timezone.timedelta(days=2))
    elif hide == "draft_study":
        make_study(published=False, title=f"{marker} draft study")
    elif hide == "pending_experience":
        make_experience(approved=False, title=f"{marker} pending")
    elif hide == "rejected_experience":
        pending = make_experience(approved=False, narrative=marker)
        moderation.reject(pending, by=moderator, reason="Not suitable")
    elif hide == "withdrawn_experience":
        testimonial = make_experience(narrative=f"{marker} once public")
        moderation.withdraw(testimonial, by=testimonial.author)
    elif hide == "pending_revision":
        testimonial = make_experience(title="Published title", narrative="Published words")
        moderation.edit(testimonial, by=testimonial.author, content=story(narrative=f"{marker} edit"))
    elif hide == "hidden_comment":
        article = make_article(title="An article with a discussion")
        thread = Thread.objects.for_subject(article)
        comment = comment_moderation.submit(thread, author=make_user(), body=f"{marker} in a comment")
        comment_moderation.publish(comment, by=moderator)
        comment_moderation.hide(comment, by=moderator, reason="Abuse")

    for viewer in (None, editor, moderator):
        if viewer:
            client.force_login(viewer)
        response = client.get(URL, {"q": marker.lower()})
        assert response.status_code == 200
        assert groups(response) == {}, (hide, viewer)
        assert "Nothing matches" in response.content.decode()


def test_a_comment_is_not_searchable_even_when_published(client, make_article, make_user):
    """Search covers the three kinds of content, not the discussions under them."""
    article = make_article(title="Plain title")
    comment_moderation.submit(Thread.objects.for_subject(article), author=make_user(), body="Wombatword")

    assert groups(client.get(URL, {"q": "wombatword"})) == {}


def test_empty_query_shows_help_instead_of_results(client, make_article):
    make_article(title="Something")
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "!!! ??? ..."}):
        response = client.get(URL, params)
        html = response.content.decode()
        assert response.status_code == 200
        assert "What you can search" in html
        assert groups(response) == {}


def test_no_match_suggests_what_to_try(client, make_article):
    make_article(title="Sleep and LDN")

    html = client.get(URL, {"q": "xylophone"}).content.decode()

    assert "Nothing matches <q>xylophone</q>" in html
    assert "Check the spelling" in html


def test_phrase_in_quotes_must_appear_in_that_order(client, make_article):
    make_article(title="Quality of life on LDN", body="We look at quality of life.")
    make_article(title="Life and quality", body="Life is about quality, of a sort.")

    found = groups(client.get(URL, {"q": '"quality of life"'}))

    assert found["articles"] == ["Quality of life on LDN"]


def test_minus_word_leaves_out_matches_with_that_word(client, make_article):
    make_article(title="Dreams and sleep", body="Vivid dreams at night.")
    make_article(title="Sleep only", body="Better sleep.")

    found = groups(client.get(URL, {"q": "sleep -dreams"}))

    assert found["articles"] == ["Sleep only"]


def test_every_word_must_match(client, make_article):
    make_article(title="Bladder control", body="Fewer urgent trips.")
    make_article(title="Bladder and fatigue", body="Both improved.")

    found = groups(client.get(URL, {"q": "bladder fatigue"}))

    assert found["articles"] == ["Bladder and fatigue"]


def test_snippet_marks_the_match_and_escapes_the_text(client, make_article):
    make_article(
        title="Markup in an article",
        body="Some <script>alert('x')</script> text & more about **pangolins** in the middle.",
    )

    html = results_text(client.get(URL, {"q": "pangolins"}))

    assert "<mark>pangolins</mark>" in html
    assert "<script" not in html
    assert "**" not in html


def test_snippet_of_a_long_text_is_short_and_centred_on_the_match(client, make_article):
    body = "Filler words here. " * 300 + "The capybara result. " + "More filler text. " * 300
    make_article(title="Long read", body=body)

    html = results_text(client.get(URL, {"q": "capybara"}))
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.DOTALL).group(1)

    assert "<mark>capybara</mark>" in snippet
    assert len(snippet) < 600


def test_each_group_shows_ten_and_links_to_the_rest(client, make_study):
    for n in range(13):
        make_study(title=f"Tapir study {n}")

    response = client.get(URL, {"q": "tapir"})
    html = response.content.decode()

    assert len(groups(response)["studies"]) == engine.PER_GROUP
    assert "See all 13 study summaries that match" in html
    assert "in=studies" in html

    one_group = client.get(URL, {"q": "tapir", "in": "studies"})
    assert len(groups(one_group)["studies"]) == 13
    assert "show every kind" in one_group.content.decode()


def test_one_group_pages_through_its_results(client, make_article):
    for n in range(23):
        make_article(title=f"Okapi article {n}")

    first = client.get(URL, {"q": "okapi", "in": "articles"})
    second = client.get(URL, {"q": "okapi", "in": "articles", "page": "2"})
    beyond = client.get(URL, {"q": "okapi", "in": "articles", "page": "99"})
    junk = client.get(URL, {"q": "okapi", "in": "articles", "page": "'; DROP"})

    assert len(groups(first)["articles"]) == 20
    assert len(groups(second)["articles"]) == 3
    assert "Page 2 of 2" in second.content.decode()
    assert beyond.status_code == junk.status_code == 200
    assert set(groups(first)["articles"]).isdisjoint(groups(second)["articles"])


def test_unknown_group_falls_back_to_all_groups(client, make_article):
    make_article(title="Narwhal notes")

    response = client.get(URL, {"q": "narwhal", "in": "comments"})

    assert response.status_code == 200
    assert groups(response)["articles"] == ["Narwhal notes"]


def test_query_count_does_not_grow_with_results(
    client, make_study, make_article, make_experience, django_assert_max_num_queries
):
    """One count per group and one query per group with matches: seven at most (four groups, three with
    matches), for 1 or 1,000 matches."""
    make_study(title="Axolotl 0")
    make_article(title="Axolotl 0")
    make_experience(title="Axolotl 0")
    with django_assert_max_num_queries(7):
        assert client.get(URL, {"q": "axolotl"}).status_code == 200
    for n in range(1, 25):
        make_study(title=f"Axolotl {n}")
        make_article(title=f"Axolotl {n}")
        make_experience(title=f"Axolotl {n}")
    with django_assert_max_num_queries(7):
        assert client.get(URL, {"q": "axolotl"}).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(URL, {"q": "axolotl", "in": "experiences", "page": "2"}).status_code == 200


def test_search_box_is_in_the_header_of_other_pages(client, db):
    html = client.get(reverse("home")).content.decode()

    assert 'role="search"' in html
    assert f'action="{URL}"' in html
    assert re.search(r'<label for="header-search-q"[^>]*>[^<]+</label>', html)
    assert 'id="header-search-q" name="q"' in html


def test_search_page_has_one_labelled_search_box(client, db):
    html = client.get(URL, {"q": "anything"}).content.decode()

    assert html.count('name="q"') == 1
    assert '<label for="search-page-q">' in html
    assert 'value="anything"' in html


def test_too_many_searches_get_a_429_that_keeps_the_words(client, settings, make_article):
    settings.SEARCH_RATE_LIMIT = (2, 60)
    settings.PAGE_CACHE_SECONDS = 0  # a repeated search would come from the page cache, which costs no limit
    make_article(title="Rate limited")

    for _ in range(2):
        assert client.get(URL, {"q": "rate"}).status_code == 200
    response = client.get(URL, {"q": "rate"})

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many searches" in html
    assert 'value="rate"' in html


def test_demo_content_is_found(client, db):
    call_command("load_demo", stdout=io.StringIO())

    response = client.get(URL, {"q": "naltrexone"})
    found = groups(response)

    assert len(found["studies"]) == 6
    assert len(found["articles"]) == 1
    assert "Cree BAC 2010" in " ".join(found["studies"])

    by_phrase = groups(client.get(URL, {"q": '"quality of life"'}))
    assert by_phrase["studies"]


# --- PostgreSQL full text -------------------------------------------------------------------------------


@on_postgres
def test_postgres_matches_other_forms_of_a_word(client, make_article):
    make_article(title="On relapsing MS", body="Fewer relapses were seen.")

    assert groups(client.get(URL, {"q": "relapse"}))["articles"] == ["On relapsing MS"]


@on_postgres
def test_postgres_ranks_a_title_match_above_a_body_match(client, make_article):
    make_article(title="Nothing special", body="A passing mention of spasms.")
    make_article(title="Spasms and LDN", body="Other words.")

    assert groups(client.get(URL, {"q": "spasms"}))["articles"] == ["Spasms and LDN", "Nothing special"]


@on_postgres
def test_postgres_snippet_comes_from_the_headline(client, make_study):
    make_study(title="Gait", plain_summary="People walked further after twelve weeks of treatment.")

    html = results_text(client.get(URL, {"q": "walking"}))

    assert "<mark>walked</mark>" in html


@on_postgres
@pytest.mark.parametrize(
    ("key", "index_name"),
    [
        ("studies", "articles_study_search_idx"),
        ("articles", "articles_article_search_idx"),
        ("experiences", "testimonials_search_idx"),
    ],
)
def test_postgres_gin_index_serves_the_search(key, index_name, db):
    """The stored search document is matched through its GIN index, not by parsing every row again."""
    model = sources.get(key).model
    ts_query = SearchQuery("naltrexone", search_type="websearch", config=SEARCH_CONFIG)
    queryset = model.objects.alias(document=StoredDocument(model)).filter(document=ts_query)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert index_name in plan
    assert "search_document @@" in plan
    assert "to_tsvector" not in plan


@on_postgres
def test_postgres_search_document_follows_edits(client, make_article):
    article = make_article(title="Before the edit")
    article.title = "Hedgehog after the edit"
    article.save()

    assert groups(client.get(URL, {"q": "hedgehog"}))["articles"] == ["Hedgehog after the edit"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the PostgreSQL index is checked above")
def test_sqlite_has_no_full_text_index(db):
    introspection = connection.introspection
    with connection.cursor() as cursor:
        names = list(introspection.get_constraints(cursor, "articles_article"))
    with connection.cursor() as cursor:
        columns = [column.name for column in introspection.get_table_description(cursor, "articles_article")]
    assert "articles_article_search_idx" not in names
    assert "search_document" not in columns


def test_approved_experience_is_found_by_its_narrative(client, make_experience):
    make_experience(title="Evenings", narrative="The tingling in my hands eased after a month.")

    assert groups(client.get(URL, {"q": "tingling"}))["experiences"] == ["Evenings"]


def test_experience_with_hidden_name_shows_ms_type_not_author(client, make_experience):
    testimonial = make_experience(title="Quiet progress", display_as="ms_type", ms_type="ppms")

    html = results_text(client.get(URL, {"q": "quiet"}))

    assert testimonial.author.display_name not in html
    assert testimonial.shown_author.startswith("A member with")
    assert testimonial.shown_author in html


def test_citation_keys_never_show_in_snippets(client, make_article, make_study):
    """An article cites `[@slug]`: the key is markup (and may name an unpublished study), not a word."""
    draft = make_study(title="A secret trial", slug="secret-trial-2031", published=False)
    make_article(
        title="Quokka dosing explained",
        body="Quokka patients slept better [@secret-trial-2031] in one small quokka trial [@another-one].",
        studies=[draft],
    )

    html = client.get("/search/?q=quokka").content.decode()

    assert "Quokka dosing explained" in html
    assert "secret-trial" not in html and "another-one" not in html and "[@" not in html
