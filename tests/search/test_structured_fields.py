"""Search finds member experiences by their structured answers (type of MS, dose, side effects), not only by
their text, on SQLite and PostgreSQL; and every search the page suggests finds something on the demo content
(issue 17)."""

import io
import re
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from testimonials import moderation
from testimonials.models import Testimonial as Story
from tests.factories import story
from tests.search.test_search import groups, results_text

URL = reverse("search:search")
# Text that names none of the answers searched for below.
PLAIN = {"narrative": "Mornings are calmer and I walk the dog again.", "side_effects_other": ""}


def found(client, query: str) -> list[str]:
    """Titles of the member experiences a search finds, in any order."""
    return sorted(groups(client.get(URL, {"q": query})).get("experiences", []))


@pytest.fixture
def stories(make_experience):
    make_experience(
        title="Queasy weeks", side_effects=["nausea"], ms_type="rrms", dose_mg=Decimal("3"), **PLAIN
    )
    make_experience(
        title="Odd nights", side_effects=["headache", "vivid_dreams"], ms_type="ppms", dose_mg=Decimal("1.5"),
        **PLAIN,
    )  # fmt: skip
    make_experience(title="Dream diary", side_effects=["vivid_dreams"], ms_type="rrms", **PLAIN)
    make_experience(title="Nothing to report", side_effects=["none"], ms_type="spms", **PLAIN)


def test_side_effects_find_the_stories_that_list_them(client, stories):
    assert found(client, "nausea") == ["Queasy weeks"]
    assert found(client, "headache") == ["Odd nights"]
    assert found(client, "vivid dreams") == ["Dream diary", "Odd nights"]
    assert found(client, '"vivid dreams"') == ["Dream diary", "Odd nights"]


def test_ms_type_and_dose_find_the_stories_with_them(client, stories):
    assert found(client, "relapsing") == ["Dream diary", "Queasy weeks"]
    assert found(client, "progressive") == ["Nothing to report", "Odd nights"]
    assert found(client, "primary progressive") == ["Odd nights"]
    assert found(client, "4.5 mg") == ["Dream diary", "Nothing to report"]
    assert found(client, "1.5 mg") == ["Odd nights"]
    assert found(client, "nausea 3 mg") == ["Queasy weeks"]


def test_the_snippet_still_shows_the_narrative(client, stories):
    html = results_text(client.get(URL, {"q": "nausea"}))

    assert "Mornings are calmer" in html
    assert "mg a day" not in html


def test_a_story_that_is_not_public_is_never_found_by_its_answers(client, make_testimonial, make_user):
    for state in ("pending", "rejected", "withdrawn"):
        make_testimonial(state=state, title=f"Hidden {state}", side_effects=["nausea"], **PLAIN)
    public = make_testimonial(title="Public", side_effects=["fatigue"], ms_type="spms", **PLAIN)
    # An edit of a public story waits for a moderator: until then its new answers are not searchable.
    moderation.edit(
        public,
        by=public.author,
        content=story(side_effects=["nausea"], ms_type="ppms", title="Public", **PLAIN),
    )

    assert found(client, "nausea") == []
    assert found(client, "primary") == []
    assert found(client, "tiredness") == ["Public"]


def test_answers_follow_edits_and_approved_revisions(
    client, make_testimonial, moderator, django_capture_on_commit_callbacks
):
    pending = make_testimonial(state="pending", title="Changing", side_effects=["nausea"], **PLAIN)
    changed = story(title="Changing", side_effects=["headache"], **PLAIN)
    with django_capture_on_commit_callbacks(execute=True):  # the page cache refreshes on commit
        moderation.edit(pending, by=pending.author, content=changed)
        moderation.approve(pending, by=moderator)
    assert found(client, "headache") == ["Changing"]
    assert found(client, "nausea") == []

    public = Story.objects.get(pk=pending.pk)
    changed = story(title="Changing", side_effects=["nausea"], **PLAIN)
    with django_capture_on_commit_callbacks(execute=True):
        revision = moderation.edit(public, by=public.author, content=changed)
        moderation.approve_revision(revision, by=moderator)
    assert found(client, "nausea") == ["Changing"]
    assert found(client, "headache") == []


def test_search_of_answers_costs_no_more_queries(client, stories, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get(URL, {"q": "nausea"}).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(URL, {"q": "vivid dreams", "in": "experiences"}).status_code == 200


def load_demo(settings) -> None:
    """`make run`'s content: with DEBUG on, load_demo adds demo accounts and six demo member experiences."""
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())


def test_demo_stories_are_found_by_their_answers(client, settings, db):
    load_demo(settings)
    assert len(found(client, "demo")) == 6

    assert len(found(client, "vivid dreams")) == 3
    assert len(found(client, "nausea")) == 1
    assert len(found(client, "headache")) == 1
    assert len(found(client, "progressive")) == 2


def test_bulk_seeded_stories_are_found_by_their_answers(client, settings, db):
    settings.DEBUG = True
    call_command(
        "seed_volume", articles=1, studies=1, testimonials=40, comments=0, members=3, yes=True,
        stdout=io.StringIO(),
    )  # fmt: skip

    public = Story.objects.public()
    assert public.exists()
    assert not public.filter(search_facts="").exists()
    with_nausea = [story.title for story in public if "nausea" in story.side_effects]
    response = client.get(URL, {"q": "nausea", "in": "experiences"})
    shown = re.findall(r"<h3><a [^>]*>(.*?)</a></h3>", results_text(response), re.DOTALL)
    assert {title.strip() for title in shown} <= set(with_nausea)
    assert len(shown) == min(len(with_nausea), 20)


def suggested_searches(html: str) -> list[str]:
    """The queries of the page's "try ..." links (`<a href="?q=...">`)."""
    return [parse_qs(unescape(href))["q"][0] for href in re.findall(r'<a href="\?(q=[^"]*)"', html)]


def test_every_suggested_search_finds_something_on_the_demo_content(client, settings, db):
    load_demo(settings)
    help_page = client.get(URL).content.decode()
    no_results = client.get(URL, {"q": "xylophone"}).content.decode()
    help_suggestions = suggested_searches(help_page.split("What you can search", 1)[1])
    no_result_suggestions = suggested_searches(no_results.split("Suggestions", 1)[1])

    assert help_suggestions and no_result_suggestions
    for query in help_suggestions + no_result_suggestions:
        assert groups(client.get(URL, {"q": query})), f"the suggested search {query!r} finds nothing"


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_answers_of_existing_stories(client, make_testimonial):
    make_testimonial(title="Before the migration", side_effects=["headache"], ms_type="spms", **PLAIN)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("testimonials")
    executor.migrate([("testimonials", "0005_list_indexes")])

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)

    assert found(client, "headache") == ["Before the migration"]
    assert found(client, "secondary") == ["Before the migration"]


def test_every_source_looks_in_the_fields_of_its_search_document(db):
    """SQLite matches a source's `fields`; PostgreSQL its stored document, built by the app's migrations."""
    from django.db.migrations.loader import MigrationLoader

    from ldnsite.fulltext import AddSearchDocument, ReplaceSearchDocument
    from ldnsite.search import sources

    loader = MigrationLoader(None, ignore_no_migrations=True)
    documents = {}
    for key in loader.graph.leaf_nodes():
        for app_label, name in loader.graph.forwards_plan(key):
            for operation in loader.get_migration(app_label, name).operations:
                if isinstance(operation, AddSearchDocument | ReplaceSearchDocument):
                    documents[(app_label, operation.model_name)] = [f for f, _ in operation.weighted_fields]
    for source in sources.all():
        meta = source.model._meta
        assert sorted(source.fields) == sorted(documents[(meta.app_label, meta.model_name)]), source.key


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL's")
def test_postgres_ranks_a_title_match_above_an_answer(client, make_experience):
    make_experience(title="Weeks of dreams", side_effects=["nausea"], **PLAIN)
    make_experience(title="Plain weeks", side_effects=["vivid_dreams"], **PLAIN)

    assert groups(client.get(URL, {"q": "dreams"}))["experiences"] == ["Weeks of dreams", "Plain weeks"]
