"""RSS and Atom feeds: published articles and study summaries only, newest first, valid XML, escaped text."""

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape

ATOM = "{http://www.w3.org/2005/Atom}"
RSS_FEEDS = ["/feeds/articles/", "/feeds/studies/"]
ATOM_FEEDS = ["/feeds/articles/atom/", "/feeds/studies/atom/"]
SITE = "https://ldn.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def days_ago(days: int):
    return timezone.now() - timezone.timedelta(days=days)


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - the site's own output


def fetch(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    return parse(response.content)


def rss_items(root: ET.Element) -> list[ET.Element]:
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.findall("./channel/item")


def atom_entries(root: ET.Element) -> list[ET.Element]:
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


@pytest.fixture
def hidden_content(make_article, make_study):
    """Content nobody outside the editors may see, each carrying the marker."""
    marker = "zq-hidden-marker"
    make_article(published=False, slug=f"{marker}-draft", title=marker, summary=marker)
    make_article(slug=f"{marker}-scheduled", title=marker, summary=marker, published_at=days_ago(-2))
    make_study(published=False, slug=f"{marker}-draft-study", title=marker, authors=f"{marker} A")
    make_study(slug=f"{marker}-scheduled-study", title=marker, published_at=days_ago(-2))
    return marker


@pytest.mark.django_db
@pytest.mark.parametrize("url", RSS_FEEDS + ATOM_FEEDS)
def test_feeds_show_no_draft_or_scheduled_content(client, make_article, make_study, hidden_content, url):
    make_article(title="A public article")
    make_study(title="A public study")

    response = client.get(url)

    assert response.status_code == 200
    assert hidden_content not in response.content.decode()
    root = parse(response.content)
    assert len(rss_items(root) if url in RSS_FEEDS else atom_entries(root)) == 1


@pytest.mark.django_db
def test_article_rss_is_newest_first_with_absolute_links_and_dates(client, make_article):
    older = make_article(title="Older", summary="The older one.", published_at=days_ago(9))
    newer = make_article(title="Newer", summary="The newer one.", published_at=days_ago(2))

    root = fetch(client, "/feeds/articles/")

    channel = root.find("channel")
    assert channel.findtext("link") == f"{SITE}/articles/"
    assert channel.findtext("description")
    assert channel.find("{http://www.w3.org/2005/Atom}link").get("href") == f"{SITE}/feeds/articles/"
    items = rss_items(root)
    assert [item.findtext("title") for item in items] == ["Newer", "Older"]
    assert items[0].findtext("link") == f"{SITE}{newer.get_absolute_url()}"
    assert items[0].findtext("guid") == f"{SITE}{newer.get_absolute_url()}"
    assert items[0].findtext("description") == "The newer one."
    assert items[1].findtext("pubDate").endswith(older.published_at.strftime("%d %b %Y %H:%M:%S +0000"))
    creator = items[0].findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert creator == newer.author.display_name


@pytest.mark.django_db
def test_article_atom_feed_has_ids_dates_authors_and_summaries(client, make_article):
    article = make_article(title="Fatigue & LDN", summary="What the trials measured.")

    root = fetch(client, "/feeds/articles/atom/")

    assert root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}updated")
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}/feeds/articles/atom/"
    (entry,) = atom_entries(root)
    assert entry.findtext(f"{ATOM}title") == "Fatigue & LDN"  # Atom titles are text: escaped once only
    assert entry.findtext(f"{ATOM}id") == f"{SITE}{article.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}published") == article.published_at.isoformat()
    assert entry.findtext(f"{ATOM}updated") == article.updated_at.isoformat()
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == article.author.display_name
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html" and summary.text == "What the trials measured."


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/articles/", "/feeds/articles/atom/"])
def test_markup_in_a_summary_reaches_feed_readers_as_text_not_html(client, make_article, url):
    payload = "</script><script>alert(1)</script> & <b>bold</b>"
    make_article(title=payload, summary=payload, body="**Markdown body** never in the feed")

    response = client.get(url)

    root = parse(response.content)
    item = rss_items(root)[0] if url in RSS_FEEDS else atom_entries(root)[0]
    description = item.findtext("description") if url in RSS_FEEDS else item.findtext(f"{ATOM}summary")
    # Readers parse the description as HTML: escaped, it shows the characters and runs nothing.
    assert description == escape(payload)
    assert "<script>" not in response.content.decode()
    assert "Markdown body" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/studies/", "/feeds/studies/atom/"])
def test_study_items_describe_design_size_and_evidence_level(client, make_study, url):
    make_study(
        title="Pilot trial of LDN",
        authors="Cree BAC, Kornyeyeva E",
        year=2010,
        design="rct_crossover",
        participants_enrolled=80,
        journal="Ann Neurol",
        citation_details="68(2):145-50",
    )

    root = fetch(client, url)

    item = rss_items(root)[0] if url in RSS_FEEDS else atom_entries(root)[0]
    title = item.findtext("title") if url in RSS_FEEDS else item.findtext(f"{ATOM}title")
    description = item.findtext("description") if url in RSS_FEEDS else item.findtext(f"{ATOM}summary")
    assert title == "Cree BAC 2010: Pilot trial of LDN"
    assert "Randomised trial, crossover" in description
    assert "80 participants enrolled" in description
    assert "evidence level 2 of 5" in description
    assert "Ann Neurol 2010;68(2):145-50." in description


@pytest.mark.django_db
@pytest.mark.parametrize("url", RSS_FEEDS + ATOM_FEEDS)
def test_feeds_are_capped_and_take_the_same_queries_for_1_or_31_items(
    client, make_article, make_study, django_assert_max_num_queries, url
):
    make_article()
    make_study()
    with django_assert_max_num_queries(1):
        one = client.get(url)
    for day in range(30):
        make_article(published_at=days_ago(day + 2))
        make_study(published_at=days_ago(day + 2))
    cache.clear()
    with django_assert_max_num_queries(1):
        many = client.get(url)

    root_one, root_many = parse(one.content), parse(many.content)
    count = (
        (lambda root: len(rss_items(root))) if url in RSS_FEEDS else (lambda root: len(atom_entries(root)))
    )
    assert (count(root_one), count(root_many)) == (1, 30)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/articles/", "/studies/"])
def test_pages_announce_both_rss_feeds_for_autodiscovery(client, url):
    page = client.get(url).content.decode()

    assert (
        '<link rel="alternate" type="application/rss+xml" title="ldnsite: articles" href="/feeds/articles/">'
        in page
    )
    assert 'type="application/rss+xml" title="ldnsite: study summaries" href="/feeds/studies/">' in page
