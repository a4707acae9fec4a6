"""The infographic SVG: what it shows, that editors' text cannot break or script it, and how it is served."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import infographic
from articles.models import Article, Study
from tests.xss_payloads import XSS_PAYLOADS

SVG = "{http://www.w3.org/2000/svg}"
DRAWING_TAGS = {"svg", "title", "desc", "rect", "text", "tspan", "line"}
DRAFT_MARKER = "UNIQUE-DRAFT-STUDY-MARKER-51c2"


def parse(svg: str) -> ET.Element:
    # The SVG is our own output: parsing it is the test that it is well-formed.
    return ET.fromstring(svg.encode())  # noqa: S314


def local_name(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def all_text(root: ET.Element) -> str:
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def unsaved(*, article_title: str = "What LDN is", **study_fields) -> tuple[Article, list[Study]]:
    """An article and one study built in memory, for the pure builder."""
    now = timezone.now()
    fields = {
        "title": "A crossover trial",
        "authors": "Cree BAC, Kornyeyeva E",
        "year": 2010,
        "design": Study.Design.RCT_CROSSOVER,
        "participants_enrolled": 80,
        "duration": "17 weeks",
        "main_result": "Mental quality of life improved.",
        "updated_at": now,
    }
    fields.update(study_fields)
    article = Article(slug="what-ldn-is", title=article_title, summary="s", updated_at=now)
    return article, [Study(**fields)]


def build(article: Article, studies: list[Study]) -> infographic.Infographic:
    return infographic.build(article, studies, site_name="ldnsite", article_url="https://ldn.example/a/")


def assert_inert(root: ET.Element) -> None:
    for element in root.iter():
        assert local_name(element) in DRAWING_TAGS, element.tag
        for name in element.attrib:
            assert not name.lower().startswith("on"), name
            assert "href" not in name.lower(), name


def test_svg_names_each_fact_the_disclaimer_the_site_and_the_date():
    article, studies = unsaved(participants_enrolled=40, design=Study.Design.SINGLE_ARM)

    picture = build(article, studies)
    root = parse(picture.svg)

    text = all_text(root)
    assert "What LDN is" in text
    assert "Cree BAC 2010: A crossover trial" in text
    assert "Single-arm / open-label trial · 40 people · 17 weeks" in text
    assert "Main result: Mental quality of life improved." in text
    assert "Evidence level 4 of 5" in text and "Small study" in text
    assert "not medical advice" in text and "ldnsite" in text
    assert f"Data as of {timezone.localdate():%-d %B %Y}" in text
    assert root.get("viewBox") == f"0 0 {picture.width} {picture.height}"


def test_svg_has_a_text_alternative():
    article, studies = unsaved()

    root = parse(build(article, studies).svg)

    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    found = {element.get("id"): local_name(element) for element in root if element.get("id") in ids}
    assert found == {"infographic-title": "title", "infographic-desc": "desc"}
    description = root.find(f"{SVG}desc").text
    assert "Mental quality of life improved." in description and "Evidence level 2 of 5" in description


@pytest.mark.parametrize(
    "payload",
    [
        "Dose < 5 mg & \"quoted\" 'single' ]]> <![CDATA[ x ]]>",
        "</text><script>alert(1)</script>",
        '<foreignObject><iframe src="https://evil.example/"></iframe></foreignObject>',
        '"><image href="https://evil.example/x.png" onload="alert(1)"/>',
        "&amp; &lt; &#x3C; &bogus;",
        "nul\x00 bell\x07 formfeed\x0c vt\x0b escape\x1b lone surrogate \ud800 end",
        *XSS_PAYLOADS,
    ],
)
def test_editor_text_is_escaped_and_the_svg_stays_inert(payload):
    article, studies = unsaved(article_title=payload, title=payload, main_result=payload, duration=payload)

    root = parse(build(article, studies).svg)

    assert_inert(root)
    expected = infographic.clean(payload)
    assert root.find(f"{SVG}title").text == infographic.clean(f"The studies in brief: {payload} (ldnsite)")
    assert expected in root.find(f"{SVG}desc").text


def test_long_main_result_is_wrapped_onto_a_few_lines_with_an_ellipsis():
    long_result = "Walking speed and fatigue scores did not change between the groups. " * 30
    article, studies = unsaved(main_result=long_result)

    root = parse(build(article, studies).svg)

    result = next(t for t in root.iter(f"{SVG}text") if "".join(t.itertext()).startswith("Main result:"))
    lines = ["".join(tspan.itertext()) for tspan in result.findall(f"{SVG}tspan")]
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    available = infographic.WIDTH - 2 * infographic.MARGIN - infographic.STRIPE - 2 * infographic.CARD_PADDING
    assert all(infographic.text_width(line, 16) <= available for line in lines)
    assert long_result.strip() in root.find(f"{SVG}desc").text  # the whole text stays in the description


def test_a_word_longer_than_a_line_is_broken():
    lines = infographic.wrap("x" * 300, size=16, width=200, max_lines=10)

    assert len(lines) > 1
    assert all(infographic.text_width(line, 16) <= 200 for line in lines)


@pytest.mark.django_db
def test_svg_is_served_as_a_cacheable_image(client, make_article, make_study):
    article = make_article(studies=[make_study(title="Served study")])

    response = client.get(reverse("articles:infographic", kwargs={"slug": article.slug}))

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cache_control = response.headers["Cache-Control"]
    assert "public" in cache_control and "max-age=" in cache_control
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert "Served study" in response.content.decode()
    assert_inert(parse(response.content.decode()))


@pytest.mark.django_db
def test_unchanged_svg_answers_not_modified_and_a_removed_study_changes_it(
    client, make_article, make_study, settings
):
    kept, dropped = make_study(title="Kept study"), make_study(title="Dropped study")
    article = make_article(studies=[kept, dropped])
    url = reverse("articles:infographic", kwargs={"slug": article.slug})
    etag = client.get(url).headers["ETag"]

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    article.studies.remove(dropped)  # changes no updated_at: the ETag must still notice
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Dropped study" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("as_user", ["anonymous", "member", "editor"])
def test_draft_article_has_no_svg_for_anyone(client, make_article, make_study, member, editor, as_user):
    article = make_article(published=False, studies=[make_study()])
    if as_user != "anonymous":
        client.force_login(member if as_user == "member" else editor)

    assert client.get(reverse("articles:infographic", kwargs={"slug": article.slug})).status_code == 404


@pytest.mark.django_db
def test_scheduled_article_has_no_svg_yet(client, make_article, make_study):
    article = make_article(studies=[make_study()], published_at=timezone.now() + timezone.timedelta(days=2))

    assert client.get(reverse("articles:infographic", kwargs={"slug": article.slug})).status_code == 404


@pytest.mark.django_db
def test_draft_studies_are_left_out(client, make_article, make_study, editor):
    draft = make_study(published=False, title=DRAFT_MARKER, main_result=DRAFT_MARKER)
    article = make_article(studies=[make_study(), draft])
    client.force_login(editor)

    svg = client.get(reverse("articles:infographic", kwargs={"slug": article.slug})).content.decode()

    assert DRAFT_MARKER not in svg
    assert "1 published study" in svg


@pytest.mark.django_db
def test_article_with_only_draft_studies_has_no_svg(client, make_article, make_study):
    with_drafts = make_article(studies=[make_study(published=False)])
    without = make_article()

    for article in (with_drafts, without):
        assert client.get(reverse("articles:infographic", kwargs={"slug": article.slug})).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("as_user", ["anonymous", "editor"])
def test_svg_sets_no_cookie(client, make_article, make_study, editor, as_user):
    article = make_article(studies=[make_study()])
    if as_user == "editor":
        client.force_login(editor)

    response = client.get(reverse("articles:infographic", kwargs={"slug": article.slug}))

    assert response.status_code == 200
    assert not response.cookies


@pytest.mark.django_db
def test_svg_view_never_reads_the_session(client, make_article, make_study, editor, settings):
    article = make_article(studies=[make_study()])
    client.force_login(editor)

    response = client.get(reverse("articles:infographic", kwargs={"slug": article.slug}))

    assert "cookie" not in response.headers.get("Vary", "").lower()
    assert "max-age=900" in response.headers["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_svg_query_count_does_not_grow_with_studies(
    client, make_article, make_study, count, django_assert_max_num_queries
):
    article = make_article(studies=[make_study() for _ in range(count)])

    with django_assert_max_num_queries(2):
        response = client.get(reverse("articles:infographic", kwargs={"slug": article.slug}))

    assert response.status_code == 200
    assert response.content.decode().count("Evidence level 2 of 5</text>") == count


def test_a_huge_unbroken_main_result_is_cut_in_one_pass(monkeypatch):
    """A pasted 20,000-character identifier list must not make the public SVG slow to draw (it was cubic)."""
    calls = 0
    measure = infographic.text_width

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return measure(*args, **kwargs)

    monkeypatch.setattr(infographic, "text_width", counting)
    lines = infographic.wrap("x" * 20_000, size=14, width=500, max_lines=3)

    assert len(lines) == 3 and lines[-1].endswith("…")
    assert calls < 1_000
