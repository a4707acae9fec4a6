import re

import pytest

from articles.models import Study

DESIGN_LEVELS = [
    (Study.Design.SYSTEMATIC_REVIEW, 1),
    (Study.Design.RCT_PARALLEL, 2),
    (Study.Design.RCT_CROSSOVER, 2),
    (Study.Design.COHORT, 3),
    (Study.Design.SINGLE_ARM, 4),
    (Study.Design.CASE_SERIES, 4),
    (Study.Design.BEFORE_AFTER, 4),
    (Study.Design.CASE_REPORT, 5),
]


def row_slugs(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/studies/([\w-]+)/">', html)


@pytest.mark.django_db
@pytest.mark.parametrize(("design", "level"), DESIGN_LEVELS)
def test_evidence_level_follows_design(client, make_study, design, level):
    study = make_study(design=design, participants_enrolled=500)

    html = client.get(study.get_absolute_url()).content.decode()

    assert f"Evidence level {level}<" in html
    assert f"Level {level} of 5: {Study.LEVEL_DESCRIPTIONS[level].lower()}" in html
    assert "Small study" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("enrolled", "is_small"), [(1, True), (99, True), (100, False), (2000, False)])
def test_small_sample_marker(client, make_study, enrolled, is_small):
    study = make_study(participants_enrolled=enrolled)

    html = client.get(study.get_absolute_url()).content.decode()

    assert ("Small study" in html) is is_small


def test_every_design_has_a_level():
    assert set(Study.LEVEL_BY_DESIGN) == set(Study.Design)


@pytest.mark.django_db
def test_study_page_shows_identifiers_as_links_and_unchecked_facts(client, make_study):
    study = make_study(
        doi="10.1002/ana.22006",
        pmid="20695007",
        registry_id="NCT00501696",
        dose="4.5 mg nightly",
        checked_facts=["citation", "design", "participants", "doi", "pmid", "registry_id"],
    )

    html = client.get(study.get_absolute_url()).content.decode()

    assert 'href="https://doi.org/10.1002/ana.22006"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/20695007/"' in html
    assert 'href="https://clinicaltrials.gov/study/NCT00501696"' in html
    dose_row = html.split("<dt>Dose</dt>")[1].split("</div>")[0]
    assert "4.5 mg nightly" in dose_row and "not yet checked" in dose_row
    doi_row = html.split("DOI:")[1].split("</li>")[0]
    assert "not yet checked" not in doi_row


@pytest.mark.django_db
def test_study_page_lists_only_published_articles_that_discuss_it(client, make_study, make_article):
    study = make_study()
    make_article(title="Published explainer", studies=[study])
    make_article(title="Secret draft explainer", studies=[study], published=False)

    html = client.get(study.get_absolute_url()).content.decode()

    assert "Published explainer" in html
    assert "Secret draft explainer" not in html


@pytest.mark.django_db
def test_draft_study_hidden_from_readers_but_not_editors(client, make_study, editor):
    study = make_study(published=False, title="Hidden HIDDEN-STUDY-MARKER")

    assert client.get(study.get_absolute_url()).status_code == 404
    assert "HIDDEN-STUDY-MARKER" not in client.get("/studies/").content.decode()
    assert "HIDDEN-STUDY-MARKER" not in client.get("/").content.decode()

    client.force_login(editor)
    assert client.get(study.get_absolute_url()).status_code == 200
    assert "HIDDEN-STUDY-MARKER" in client.get("/studies/").content.decode()


@pytest.fixture
def three_studies(make_study):
    return {
        "old-big-cohort": make_study(
            slug="old-big-cohort", year=2005, design=Study.Design.COHORT, participants_enrolled=900
        ),
        "mid-small-rct": make_study(
            slug="mid-small-rct", year=2010, design=Study.Design.RCT_PARALLEL, participants_enrolled=40
        ),
        "new-case-series": make_study(
            slug="new-case-series", year=2017, design=Study.Design.CASE_SERIES, participants_enrolled=200
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["new-case-series", "mid-small-rct", "old-big-cohort"]),
        ("-year", ["new-case-series", "mid-small-rct", "old-big-cohort"]),
        ("year", ["old-big-cohort", "mid-small-rct", "new-case-series"]),
        ("size", ["mid-small-rct", "new-case-series", "old-big-cohort"]),
        ("-size", ["old-big-cohort", "new-case-series", "mid-small-rct"]),
        ("level", ["mid-small-rct", "old-big-cohort", "new-case-series"]),
        ("-level", ["new-case-series", "old-big-cohort", "mid-small-rct"]),
        ("design", ["mid-small-rct", "old-big-cohort", "new-case-series"]),
        ("-design", ["new-case-series", "old-big-cohort", "mid-small-rct"]),
        ("nonsense'; DROP TABLE", ["new-case-series", "mid-small-rct", "old-big-cohort"]),
    ],
)
def test_evidence_table_sorts(client, three_studies, sort, expected):
    response = client.get("/studies/", {"sort": sort} if sort else {})

    assert response.status_code == 200
    assert row_slugs(response.content.decode()) == expected


@pytest.mark.django_db
def test_sorted_column_is_announced_and_toggles(client, three_studies):
    html = client.get("/studies/", {"sort": "size"}).content.decode()

    assert '<th scope="col" aria-sort="ascending"><a href="?sort=-size">Participants' in html
    assert '<th scope="col" aria-sort="none"><a href="?sort=year">Year' in html


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 40])
def test_evidence_table_query_count_is_constant(client, make_study, django_assert_max_num_queries, count):
    for _ in range(count):
        make_study()

    with django_assert_max_num_queries(2):
        response = client.get("/studies/?sort=level")

    assert len(row_slugs(response.content.decode())) == count


@pytest.mark.django_db
@pytest.mark.parametrize("article_count", [1, 20])
def test_study_page_query_count_is_constant(
    client, make_study, make_article, django_assert_max_num_queries, article_count
):
    study = make_study()
    for _ in range(article_count):
        make_article(studies=[study])

    with django_assert_max_num_queries(2):
        response = client.get(study.get_absolute_url())

    assert response.status_code == 200
