"""Search finds what the apps register, and only through each model's public door."""

import re

import pytest
from django.contrib.auth.models import Group

from articles.models import Study
from ldnsite.search import sources
from testimonials import moderation
from tests.factories import story

URL = "/search/"


@pytest.fixture
def registered_source():
    """A source no app registers: added the way an app's ready() does, without touching the search app."""
    source = sources.register(
        "registered",
        model=Study,
        heading="Registered by a test",
        fields=("title",),
        snippet_fields=("plain_summary",),
        description="a kind of content added by a test",
    )
    yield source
    sources.unregister("registered")


def section(html: str, key: str) -> str:
    found = re.search(rf'<section class="search-group search-{key}".*?</section>', html, re.DOTALL)
    return found.group(0) if found else ""


def test_a_registered_source_appears_after_the_others_with_its_own_results(
    client, make_study, registered_source
):
    study = make_study(title="Pangolin registry")

    html = client.get(URL, {"q": "pangolin"}).content.decode()

    keys = re.findall(r'<section class="search-group search-([\w-]+)', html)
    assert keys == ["studies", "registered"]
    registered = section(html, "registered")
    assert 'Registered by a test <span class="count">(1)</span>' in registered
    assert f'<a href="{study.get_absolute_url()}">{study}</a>' in registered
    assert "2 results" in html


def test_a_registered_source_can_be_searched_alone_and_is_listed_in_the_help(
    client, make_study, registered_source
):
    make_study(title="Pangolin alone")

    alone = client.get(URL, {"q": "pangolin", "in": "registered"}).content.decode()
    help_page = client.get(URL).content.decode()

    assert re.findall(r'<section class="search-group search-([\w-]+)', alone) == ["registered"]
    assert "in registered by a test" in alone
    assert "Searching looks through five separate kinds of content" in help_page
    assert "<strong>Registered by a test</strong>: a kind of content added by a test." in help_page


def test_a_registered_source_starts_from_the_public_door(client, make_study, registered_source):
    make_study(published=False, title="Pangolin draft")

    html = client.get(URL, {"q": "pangolin"}).content.decode()

    assert "Pangolin draft" not in html
    assert "Nothing matches" in html


def test_two_sources_cannot_claim_one_key(db):
    with pytest.raises(ValueError, match="already registered"):
        sources.register("studies", model=Study, heading="Again", fields=("title",), snippet_fields=())


def test_a_model_without_a_public_door_cannot_be_a_source(db):
    with pytest.raises(ValueError, match="public"):
        sources.register("groups", model=Group, heading="Groups", fields=("name",), snippet_fields=())
    assert sources.get("groups") is None


@pytest.mark.django_db
def test_a_pending_story_and_a_draft_article_are_never_in_search_or_the_sitemap(
    client, make_article, make_user, editor
):
    marker = "Wallabymarker"
    author = make_user()
    pending = moderation.submit(author=author, content=story(title=f"{marker} story"), is_carer=False)
    draft = make_article(published=False, title=f"{marker} article", slug="wallaby-draft")

    for viewer in (None, author, editor):
        if viewer:
            client.force_login(viewer)
        found = client.get(URL, {"q": marker.lower()}).content.decode()
        assert "search-group" not in found, viewer
        assert "Nothing matches" in found
        sitemap = client.get("/sitemap.xml").content.decode()
        assert pending.get_absolute_url() not in sitemap
        assert draft.get_absolute_url() not in sitemap
        assert "<loc>" in sitemap  # the sitemap itself is there, listing the public pages
