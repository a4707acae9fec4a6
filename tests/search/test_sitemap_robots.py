"""/sitemap.xml lists only what anyone may read; /robots.txt keeps crawlers off private and member pages."""

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.utils import timezone

from testimonials import moderation
from tests.factories import story

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://ldn.example"
SITE_PAGES = ["/about/", "/editorial-policy/", "/privacy/", "/terms/", "/guidelines/", "/contact/"]


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def sitemap(client) -> dict[str, str | None]:
    """{location: lastmod} from /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - the site's own output
    assert root.tag == f"{SITEMAP_NS}urlset"
    return {url.findtext(f"{SITEMAP_NS}loc"): url.findtext(f"{SITEMAP_NS}lastmod") for url in root}


@pytest.mark.django_db
def test_sitemap_lists_public_pages_and_published_content_with_lastmod(
    client, make_article, make_study, make_topic, member, moderator
):
    article = make_article()
    study = make_study()
    topic = make_topic()
    testimonial = moderation.approve(
        moderation.submit(author=member, content=story(), is_carer=False), by=moderator
    )

    urls = sitemap(client)

    for path in [
        "/", "/articles/", "/studies/", "/testimonials/", "/testimonials/summary/", "/discussions/",
        *SITE_PAGES,
    ]:  # fmt: skip
        assert f"{SITE}{path}" in urls
    today = timezone.now().date().isoformat()
    assert urls[f"{SITE}{article.get_absolute_url()}"] == today
    assert urls[f"{SITE}{study.get_absolute_url()}"] == today
    assert urls[f"{SITE}{testimonial.get_absolute_url()}"] == today
    assert urls[f"{SITE}{topic.get_absolute_url()}"] == today
    assert len(urls) == 6 + len(SITE_PAGES) + 4


@pytest.mark.django_db
def test_sitemap_never_lists_hidden_content_or_private_pages(
    client, make_article, make_study, make_user, member, moderator
):
    marker = "zq-hidden-marker"
    make_article(published=False, slug=f"{marker}-draft")
    make_article(slug=f"{marker}-scheduled", published_at=timezone.now() + timezone.timedelta(days=2))
    make_study(published=False, slug=f"{marker}-draft-study")
    make_study(slug=f"{marker}-scheduled-study", published_at=timezone.now() + timezone.timedelta(days=2))
    pending = moderation.submit(author=member, content=story(title=marker), is_carer=False)
    rejected = moderation.reject(
        moderation.submit(author=member, content=story(title=marker), is_carer=False),
        by=moderator,
        reason="Please remove the clinic's phone number.",
    )
    withdrawn = moderation.approve(
        moderation.submit(author=member, content=story(title=marker), is_carer=False), by=moderator
    )
    withdrawn = moderation.withdraw(withdrawn, by=member)

    response = client.get("/sitemap.xml")

    text = response.content.decode()
    assert marker not in text
    for testimonial in (pending, rejected, withdrawn):
        assert f"/testimonials/{testimonial.pk}/" not in text
    for private in ["/accounts/", "/moderation/", "/admin/", "/members/", "/comments/", "/new/", "/mine/"]:
        assert private not in text
    assert all(loc.startswith(f"{SITE}/") for loc in sitemap(client))


@pytest.mark.django_db
def test_sitemap_names_the_public_host_whatever_host_it_was_fetched_through(client, settings, make_article):
    settings.ALLOWED_HOSTS = ["internal.example"]
    make_article()

    response = client.get("/sitemap.xml", HTTP_HOST="internal.example")

    assert "internal.example" not in response.content.decode()
    assert f"<loc>{SITE}/articles/</loc>" in response.content.decode()


@pytest.mark.django_db
def test_sitemap_takes_the_same_queries_for_1_or_30_items_of_each_kind(
    client, make_article, make_study, make_topic, member, moderator, django_assert_max_num_queries
):
    def add_one_of_each():
        make_article()
        make_study()
        moderation.approve(moderation.submit(author=member, content=story(), is_carer=False), by=moderator)
        make_topic()

    add_one_of_each()
    with django_assert_max_num_queries(9):
        assert len(sitemap(client)) == 6 + len(SITE_PAGES) + 4
    for _ in range(29):
        add_one_of_each()
    cache.clear()
    with django_assert_max_num_queries(9):
        assert len(sitemap(client)) == 6 + len(SITE_PAGES) + 120


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_off_private_pages_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    for path in [
        "/accounts/",
        "/moderation/",
        "/admin/",
        "/members/",
        "/comments/",
        "/testimonials/new/",
        "/testimonials/mine/",
        "/search/",
    ]:
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    # Public sections stay crawlable.
    assert not any(
        line in lines for line in ["Disallow: /", "Disallow: /articles/", "Disallow: /testimonials/"]
    )


def test_robots_txt_disallows_before_it_allows_so_first_match_crawlers_keep_out(client):
    rules = [
        line.split(":", 1)[0]
        for line in client.get("/robots.txt").content.decode().splitlines()
        if line.startswith(("Allow:", "Disallow:"))
    ]

    assert rules[-1] == "Allow" and rules.count("Allow") == 1
    assert set(rules[:-1]) == {"Disallow"}
