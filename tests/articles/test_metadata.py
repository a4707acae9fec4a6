"""Link previews (Open Graph, Twitter cards), canonical addresses and JSON-LD on articles and studies."""

import json
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.templatetags.structured_data import json_ld
from tests.factories import CREE_2010
from tests.html_safety import start_tags
from tests.security.test_stored_xss import page_dangers

SITE = "https://ldn.example"
PAYLOAD = "</script><script>alert(1)</script><!--"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


class _Scripts(HTMLParser):
    """Every <script> element as (attributes, text), the way a browser splits the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[tuple[dict, str]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data):
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def scripts(html: str) -> list[tuple[dict, str]]:
    parser = _Scripts()
    parser.feed(html)
    return parser.scripts


def json_ld_of(html: str) -> dict:
    blocks = [text for attrs, text in scripts(html) if attrs.get("type") == "application/ld+json"]
    assert len(blocks) == 1
    return json.loads(blocks[0])


def metas(html: str) -> dict[str, str]:
    return {
        attrs.get("property") or attrs.get("name"): attrs.get("content")
        for tag, attrs, _ in start_tags(html)
        if tag == "meta" and (attrs.get("property") or attrs.get("name"))
    }


def canonical(html: str) -> str | None:
    links = [
        attrs["href"]
        for tag, attrs, _ in start_tags(html)
        if tag == "link" and attrs.get("rel") == "canonical"
    ]
    return links[0] if links else None


@pytest.fixture
def cree(make_study):
    return make_study(**CREE_2010)


@pytest.mark.django_db
def test_article_page_has_link_preview_tags_and_a_canonical_address(client, make_article):
    article = make_article(title="LDN and fatigue", summary="What the trials found about tiredness.")

    html = client.get(article.get_absolute_url()).content.decode()

    url = f"{SITE}{article.get_absolute_url()}"
    assert canonical(html) == url
    tags = metas(html)
    assert tags["og:type"] == "article"
    assert tags["og:url"] == url
    assert tags["og:title"] == tags["twitter:title"] == "LDN and fatigue"
    assert tags["og:description"] == tags["twitter:description"] == "What the trials found about tiredness."
    assert tags["og:site_name"] == "ldnsite"
    assert tags["twitter:card"] == "summary"
    assert "og:image" not in tags


@pytest.mark.django_db
def test_article_json_ld_is_a_medical_web_page_citing_its_published_studies(
    client, editor, make_article, make_study, cree
):
    draft_study = make_study(published=False, doi="10.9999/draft.study", title="A draft study")
    article = make_article(
        studies=[cree, draft_study],
        author=editor,
        last_reviewed_on="2026-10-01",
    )
    client.force_login(editor)  # an editor also sees the draft study on the page: never in the metadata

    data = json_ld_of(client.get(article.get_absolute_url()).content.decode())

    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert data["headline"] == data["name"] == article.title
    assert data["description"] == article.summary
    assert data["datePublished"] == article.published_at.isoformat()
    assert data["dateModified"] == article.updated_at.isoformat()
    assert data["lastReviewed"] == "2026-10-01"
    assert data["author"] == {"@type": "Person", "name": "Editor Eve"}
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == "ldnsite"
    assert data["about"] == {"@type": "MedicalCondition", "name": "Multiple sclerosis"}
    (cited,) = data["citation"]
    assert cited["@type"] == "ScholarlyArticle"
    assert {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1002/ana.22006"} in cited[
        "identifier"
    ]
    assert {"@type": "PropertyValue", "propertyID": "PMID", "value": "20695007"} in cited["identifier"]
    assert cited["mainEntityOfPage"]["@id"] == f"{SITE}/studies/cree-2010/"
    assert "draft.study" not in json.dumps(data)


@pytest.mark.django_db
def test_study_json_ld_is_a_scholarly_article_with_doi_and_pmid(client, cree):
    html = client.get("/studies/cree-2010/").content.decode()

    data = json_ld_of(html)
    assert data["@type"] == "ScholarlyArticle"
    assert data["name"] == cree.title
    assert [author["name"] for author in data["author"]] == [
        "Cree, B. A. C.",
        "Kornyeyeva, E.",
        "Goodin, D. S.",
    ]
    assert data["datePublished"] == "2010"
    issue = data["isPartOf"]
    assert (issue["@type"], issue["issueNumber"]) == ("PublicationIssue", "2")
    assert issue["isPartOf"]["volumeNumber"] == "68"
    assert issue["isPartOf"]["isPartOf"] == {"@type": "Periodical", "name": "Ann Neurol"}
    assert (data["pageStart"], data["pageEnd"]) == ("145", "150")
    ids = {entry["propertyID"]: entry["value"] for entry in data["identifier"]}
    assert ids == {"DOI": "10.1002/ana.22006", "PMID": "20695007"}
    assert "https://doi.org/10.1002/ana.22006" in data["sameAs"]
    assert "evidence level 2 of 5" in data["description"]
    assert canonical(html) == f"{SITE}/studies/cree-2010/"
    assert metas(html)["og:type"] == "article"


@pytest.mark.django_db
def test_markup_in_titles_and_summaries_cannot_break_out_of_the_json_ld(client, make_article, make_study):
    study = make_study(title=PAYLOAD, authors=f"Smith J, {PAYLOAD}", journal=PAYLOAD)
    article = make_article(title=PAYLOAD, summary=PAYLOAD, studies=[study])

    for url in [article.get_absolute_url(), study.get_absolute_url()]:
        html = client.get(url).content.decode()

        found = scripts(html)
        # Only the JSON-LD data block and the site's own files: no second, executable inline script.
        assert [attrs for attrs, _ in found if not attrs.get("src")] == [{"type": "application/ld+json"}]
        assert all(attrs.get("src", "").startswith("/static/") for attrs, _ in found if attrs.get("src"))
        assert "<script>alert(1)</script>" not in html
        assert PAYLOAD in json.dumps(json_ld_of(html), ensure_ascii=False)  # kept as text, escaped
        assert page_dangers(html) == []


def test_json_ld_filter_escapes_like_json_script():
    html = json_ld({"name": "a </script> & <!-- b"})

    assert html == (
        '<script type="application/ld+json">{"name": "a \\u003C/script\\u003E \\u0026 \\u003C!-- b"}</script>'
    )


def test_page_check_still_reports_a_json_ld_block_that_was_broken_out_of():
    broken = '<script type="application/ld+json">{"name": "</script><script>alert(1)</script>"}</script>'
    assert page_dangers(broken) != []
    assert page_dangers('<link rel="canonical" href="https://evil.example/x">') != []
    assert page_dangers('<script type="application/ld+json">{"name": "ok"}</script>') == []


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["article", "study"])
def test_an_editors_draft_preview_is_marked_noindex_without_previews_or_json_ld(
    client, editor, make_article, make_study, kind
):
    draft = make_article(published=False) if kind == "article" else make_study(published=False)
    client.force_login(editor)

    html = client.get(draft.get_absolute_url()).content.decode()

    assert metas(html)["robots"] == "noindex"
    assert "og:title" not in metas(html)
    assert canonical(html) is None
    assert "application/ld+json" not in html


@pytest.mark.django_db
def test_metadata_adds_no_query_per_cited_study(
    client, make_article, make_study, django_assert_max_num_queries
):
    few = make_article(studies=[make_study()])
    many = make_article(studies=[make_study(doi=f"10.1000/{n}") for n in range(8)])

    with CaptureQueriesContext(connection) as one_study:
        client.get(few.get_absolute_url())
    with django_assert_max_num_queries(len(one_study)):
        html = client.get(many.get_absolute_url()).content.decode()
    assert len(json_ld_of(html)["citation"]) == 8


@pytest.mark.django_db
def test_an_article_by_a_team_account_names_an_organization_as_its_author(client, make_user, make_article):
    team = make_user(display_name="ldnsite editorial team", is_team_account=True, is_staff=True)
    article = make_article(author=team)

    data = json_ld_of(client.get(article.get_absolute_url()).content.decode())

    assert data["author"] == {"@type": "Organization", "name": "ldnsite editorial team"}


@pytest.mark.django_db
def test_study_json_ld_dates_the_paper_as_precisely_as_its_publication_date(client, cree):
    cree.publication_date = "2010-08"
    cree.save()

    data = json_ld_of(client.get("/studies/cree-2010/").content.decode())

    assert data["datePublished"] == "2010-08"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2009-08", "must be in 2010"),
        ("2010-13", "not a date in the calendar"),
        ("2010-02-30", "not a date in the calendar"),
        ("Aug 2010", "YYYY-MM-DD"),
    ],
)
def test_a_publication_date_outside_the_studys_year_or_the_calendar_is_refused(cree, value, message):
    from django.core.exceptions import ValidationError

    cree.publication_date = value
    with pytest.raises(ValidationError, match=message):
        cree.full_clean()
