"""The embed page other sites frame, and the embed code the article page offers."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.embed import EMBED_CHROME_HEIGHT
from tests.html_safety import find_dangers, start_tags
from tests.xss_payloads import XSS_PAYLOADS

DRAFT_MARKER = "UNIQUE-DRAFT-EMBED-MARKER-9d41"
TRICKY = 'Dose < 5 mg & "quoted" ]]> <b>bold</b> <script>alert(1)</script>'


def embed_url(article) -> str:
    return reverse("articles:embed", kwargs={"slug": article.slug})


def directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


def textarea_code(page: str) -> str:
    """The text a reader copies from the embed code field."""
    match = re.search(r'<textarea id="embed-code-field"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert match, "no embed code field"
    return html.unescape(match.group(1))


@pytest.mark.django_db
def test_embed_page_shows_the_picture_and_the_same_facts_as_text(client, make_article, make_study, settings):
    long_result = "Fatigue scores fell a little in both groups. " * 20
    study = make_study(title="Crossover trial", duration="17 weeks", main_result=long_result)
    article = make_article(title="What LDN is", studies=[study])

    response = client.get(embed_url(article))

    page = response.content.decode()
    assert response.status_code == 200
    images = [attrs for tag, attrs, _ in start_tags(page) if tag == "img"]
    assert images == [images[0]] and images[0]["src"] == f"/articles/{article.slug}/infographic.svg"
    assert images[0]["alt"]
    assert "Crossover trial" in page and "17 weeks" in page
    assert "Randomised trial, crossover" in page and "2 of 5: Randomised trial" in page
    assert long_result.strip() in page  # in full, where the picture had to cut it
    assert "not medical advice" in page and "Data as of" in page
    assert f'href="{settings.SITE_URL}{article.get_absolute_url()}"' in page
    assert f'href="{settings.SITE_URL}{study.get_absolute_url()}"' in page


@pytest.mark.django_db
def test_embed_page_may_be_framed_by_any_site_but_stays_strict_otherwise(client, make_article, make_study):
    article = make_article(studies=[make_study()])

    response = client.get(embed_url(article))

    assert "X-Frame-Options" not in response.headers
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    csp = directives(header)
    assert csp["frame-ancestors"] == ["*"]
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"] and csp["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_pages_other_than_the_embed_still_forbid_framing(client, make_article, make_study):
    article = make_article(studies=[make_study()])

    for url in [article.get_absolute_url(), reverse("articles:infographic", kwargs={"slug": article.slug})]:
        response = client.get(url)
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == ["'none'"], url


@pytest.mark.django_db
def test_embed_page_loads_nothing_from_elsewhere_and_runs_no_script(client, make_article, make_study):
    article = make_article(studies=[make_study()])

    page = client.get(embed_url(article)).content.decode()

    assert find_dangers(page, fragment=False) == []
    for tag, attrs, _ in start_tags(page):
        assert tag != "script" and "style" not in attrs, tag
        if tag in ("img", "link"):
            assert (attrs.get("src") or attrs.get("href")).startswith("/"), attrs


@pytest.mark.django_db
@pytest.mark.parametrize("as_user", ["anonymous", "member", "editor"])
def test_embed_page_sets_no_cookie(client, make_article, make_study, member, editor, as_user):
    article = make_article(studies=[make_study()])
    if as_user != "anonymous":
        client.force_login(member if as_user == "member" else editor)

    response = client.get(embed_url(article))

    assert response.status_code == 200
    assert not response.cookies
    assert "public" in response.headers["Cache-Control"] and "max-age=" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_embed_view_never_reads_the_session(client, make_article, make_study, member, settings):
    article = make_article(studies=[make_study()])
    client.force_login(member)

    response = client.get(embed_url(article))

    assert "cookie" not in response.headers.get("Vary", "").lower()
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert (
        client.get(embed_url(article), headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    )


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [TRICKY, *XSS_PAYLOADS[::7]])
def test_editor_text_on_the_embed_page_is_escaped(client, make_article, make_study, payload):
    study = make_study(title=payload[:300], main_result=payload, duration=payload[:200])
    article = make_article(title=payload[:200], studies=[study])

    page = client.get(embed_url(article)).content.decode()

    assert find_dangers(page, fragment=False) == []


@pytest.mark.django_db
@pytest.mark.parametrize("as_user", ["anonymous", "editor"])
def test_draft_article_has_no_embed_for_anyone(client, make_article, make_study, editor, as_user):
    article = make_article(published=False, studies=[make_study()])
    if as_user == "editor":
        client.force_login(editor)

    assert client.get(embed_url(article)).status_code == 404


@pytest.mark.django_db
def test_embed_shows_published_studies_only(client, make_article, make_study):
    draft = make_study(published=False, title=DRAFT_MARKER, main_result=DRAFT_MARKER)
    article = make_article(studies=[make_study(), draft])
    only_drafts = make_article(studies=[make_study(published=False)])

    assert DRAFT_MARKER not in client.get(embed_url(article)).content.decode()
    assert client.get(embed_url(only_drafts)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_embed_query_count_does_not_grow_with_studies(
    client, make_article, make_study, count, django_assert_max_num_queries
):
    article = make_article(studies=[make_study() for _ in range(count)])

    with django_assert_max_num_queries(2):
        response = client.get(embed_url(article))

    assert response.content.decode().count("<li>") == count


# --- The embed code on the article page -------------------------------------------------------------------


@pytest.mark.django_db
def test_article_page_offers_embed_code_and_a_download(client, make_article, make_study, settings):
    article = make_article(title=TRICKY, studies=[make_study()])

    page = client.get(article.get_absolute_url()).content.decode()

    field = next(attrs for tag, attrs, _ in start_tags(page) if tag == "textarea")
    assert "readonly" in field
    assert re.search(rf'<label for="{field["id"]}"[^>]*>Embed code</label>', page)
    code = textarea_code(page)
    iframes = [attrs for tag, attrs, _ in start_tags(code) if tag == "iframe"]
    assert len(iframes) == 1
    assert iframes[0]["src"] == f"{settings.SITE_URL}{embed_url(article)}"
    assert iframes[0]["title"] == f"The studies in brief: {TRICKY} (ldnsite)"
    links = [attrs["href"] for tag, attrs, _ in start_tags(code) if tag == "a"]
    assert links and all(link == f"{settings.SITE_URL}{article.get_absolute_url()}" for link in links)
    assert [tag for tag, _, _ in start_tags(code)] == ["iframe", "a", "p", "a"]  # the title's markup is text
    download = f'href="/articles/{article.slug}/infographic.svg" download="{article.slug}-studies.svg"'
    assert download in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "results"),
    [
        ("What LDN is", ["Short."]),
        (
            "Low dose naltrexone, fatigue and walking: what the trials found " * 3,
            ["Short.", "Fell. " * 90, ""],
        ),
    ],
)
def test_embed_code_frames_the_picture_at_its_drawn_size(client, make_article, make_study, title, results):
    """The article page sizes the frame from the picture's layout without drawing it: the sizes must be the
    drawn picture's (the embed page puts a line of text above it)."""
    studies = [
        make_study(main_result=result, participants_enrolled=20 + 60 * n) for n, result in enumerate(results)
    ]
    article = make_article(title=title, studies=studies)

    code = textarea_code(client.get(article.get_absolute_url()).content.decode())
    svg = client.get(reverse("articles:infographic", kwargs={"slug": article.slug})).content.decode()

    frame = next(attrs for tag, attrs, _ in start_tags(code) if tag == "iframe")
    picture = next(attrs for tag, attrs, _ in start_tags(svg) if tag == "svg")
    assert int(frame["width"]) == int(picture["width"])
    assert int(frame["height"]) == int(picture["height"]) + EMBED_CHROME_HEIGHT


@pytest.mark.django_db
def test_article_page_without_published_studies_offers_no_embed(client, make_article, make_study, editor):
    client.force_login(editor)  # editors see draft studies on the page, but they are not embeddable
    for article in [make_article(), make_article(studies=[make_study(published=False)])]:
        page = client.get(article.get_absolute_url()).content.decode()
        assert "embed-code-field" not in page and "infographic.svg" not in page


@pytest.mark.django_db
def test_draft_article_page_offers_no_embed_to_its_editor(client, make_article, make_study, editor):
    client.force_login(editor)
    draft = make_article(published=False, studies=[make_study()])
    scheduled = make_article(studies=[make_study()], published_at=timezone.now() + timezone.timedelta(days=1))

    for article in (draft, scheduled):
        page = client.get(article.get_absolute_url()).content.decode()
        assert page.count(article.title) >= 1 and "embed-code-field" not in page
