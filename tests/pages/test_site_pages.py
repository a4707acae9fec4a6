"""The trust pages: real text from the first migration, linked from every footer, edited by editors only,
sanitized, cached for anonymous readers and refreshed on edit, and figures that come from the code."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from ldnsite.accounts import names
from ldnsite.drafts import ANONYMOUS_DRAFT_SECONDS
from ldnsite.mail.tasks import KEEP_SENT_DAYS
from ldnsite.pages import facts
from ldnsite.pages.models import SitePage

# path: (heading, words that only the real text for this site has)
PAGES = {
    "/about/": ("About ldnsite", ["no money from drug makers", "Conflicts of interest", "run by volunteers"]),
    "/editorial-policy/": ("Editorial policy", ["Evidence levels", "Small study", "Review and corrections"]),
    "/privacy/": ("Privacy", ["explicit consent", "Download my data", "How long we keep what"]),
    "/terms/": ("Terms of use", ["does not give medical advice", "at least 16"]),
    "/guidelines/": (
        "Community guidelines",
        ["promotes buying or selling medicines", "Someone may be at risk"],
    ),
    "/contact/": ("Contact the editors", ["Not for medical emergencies", "emergency number"]),
}
FOOTER_PAGES = ["/about/", "/editorial-policy/", "/guidelines/", "/privacy/", "/terms/", "/contact/"]


def text(response) -> str:
    """The page's words, tags taken out and whitespace folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def footer_links(html: str) -> list[str]:
    footer = html.split('<ul class="footer-pages">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="([^"]*)"', footer)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.django_db
def test_the_first_migration_gives_a_fresh_site_all_six_pages():
    assert sorted(SitePage.objects.public().values_list("slug", flat=True)) == sorted(
        path.strip("/") for path in PAGES
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_each_page_answers_with_its_heading_real_text_and_last_updated_date(client, path):
    heading, phrases = PAGES[path]
    page = SitePage.objects.get(slug=path.strip("/"))

    response = client.get(path)

    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()
    words = text(response)
    for phrase in phrases:
        assert phrase in words
    assert f"Last updated {page.updated_at:%-d %B %Y}" in words
    assert f'<meta name="description" content="{escape(page.summary)}">' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/studies/", "/testimonials/", "/privacy/", "/contact/", "/contact/sent/"]
)
def test_every_footer_links_all_six_pages(client, path):
    response = client.get(path)

    assert footer_links(response.content.decode()) == FOOTER_PAGES


@pytest.mark.django_db
def test_sitemap_lists_the_pages_with_their_last_edit(client, settings):
    settings.SITE_URL = "https://ldn.example"
    SitePage.objects.filter(slug="terms").update(updated_at=datetime(2026, 3, 4, tzinfo=UTC))

    xml = client.get("/sitemap.xml").content.decode()

    for path in FOOTER_PAGES:
        assert f"<loc>https://ldn.example{path}</loc>" in xml
    assert "<loc>https://ldn.example/terms/</loc><lastmod>2026-03-04</lastmod>" in xml


# --- Figures from the code ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_privacy_page_states_the_retention_periods_the_code_applies(client):
    words = text(client.get("/privacy/"))

    assert f"{KEEP_SENT_DAYS} days after it is sent" in words
    assert f"{names.RELEASE_AFTER.days} days after you change it" in words
    assert f"{settings.SESSION_COOKIE_AGE // (7 * 86_400)} weeks after you log in" in words
    assert "then deleted within 1 hour" in words  # the hourly clearsessions job
    assert f"so that it is not lost {facts.duration(ANONYMOUS_DRAFT_SECONDS)}" in words
    assert "(for rate limits) 1 hour, then they expire" in words  # the contact form's counters


@pytest.mark.django_db
def test_privacy_page_follows_the_code_when_a_period_changes(client, settings, monkeypatch):
    settings.SESSION_COOKIE_AGE = 3 * 86_400
    monkeypatch.setattr(facts, "KEEP_SENT_DAYS", 45)

    words = text(client.get("/privacy/"))

    assert "3 days after you log in" in words
    assert "45 days after it is sent" in words
    assert "30 days after it is sent" not in words


@pytest.mark.django_db
def test_guidelines_state_the_limits_in_the_settings(client, settings):
    settings.COMMENTS_RATE_NEW_MEMBER = (2, 15 * 60)
    settings.TESTIMONIALS_PER_DAY = 4

    words = text(client.get("/guidelines/"))

    assert f"Comments, in your first {settings.COMMENTS_NEW_MEMBER_DAYS} days 2 every 15 minutes" in words
    assert "Experiences sent, after that 4 a day" in words
    assert f"Reports of comments {settings.COMMENTS_REPORTS_PER_DAY} a day" in words


def test_periods_read_as_people_say_them():
    assert [facts.duration(s) for s in (60, 600, 3600, 86_400, 14 * 86_400, 30 * 86_400, 90)] == [
        "1 minute", "10 minutes", "1 hour", "1 day", "2 weeks", "30 days", "90 seconds",
    ]  # fmt: skip


# --- Editing ----------------------------------------------------------------------------------------------


def edit(client, slug: str, **fields):
    page = SitePage.objects.get(slug=slug)
    data = {"title": page.title, "summary": page.summary, "body": page.body, **fields}
    return client.post(f"/admin/pages/sitepage/{page.pk}/change/", data)


@pytest.mark.django_db
def test_an_editors_edit_appears_sanitized_with_who_and_when(
    editor_client, editor, django_assert_num_queries, django_capture_on_commit_callbacks
):
    reader = Client()
    assert "zq-new-sponsor-free" not in reader.get("/about/").content.decode()
    with django_assert_num_queries(0):  # kept for anonymous readers: the edit below must refresh it
        reader.get("/about/")
    body = "We are **zq-new-sponsor-free**.\n\n<script>alert('x')</script>\n\n[x](javascript:alert(1))"

    with django_capture_on_commit_callbacks(execute=True):
        response = edit(editor_client, "about", title="About us", body=body)

    assert response.status_code == 302
    assert SitePage.objects.get(slug="about").updated_by == editor
    page = reader.get("/about/")
    html = page.content.decode()
    assert "<h1>About us</h1>" in html
    assert "<strong>zq-new-sponsor-free</strong>" in html
    assert "<script>alert" not in html and "javascript:" not in html
    assert f"Last updated {timezone.now():%-d %B %Y}" in text(page)


@pytest.mark.django_db
def test_the_admin_neither_adds_nor_deletes_pages(editor_client):
    page = SitePage.objects.get(slug="terms")
    listing = editor_client.get("/admin/pages/sitepage/").content.decode()
    assert all(f">{title}</a>" in listing for title in ["About ldnsite", "Terms of use", "Privacy"])
    assert editor_client.get(f"/admin/pages/sitepage/{page.pk}/change/").status_code == 200

    assert editor_client.get("/admin/pages/sitepage/add/").status_code == 403
    assert editor_client.post(f"/admin/pages/sitepage/{page.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SitePage.objects.filter(slug="terms").exists()


@pytest.mark.django_db
def test_a_member_or_a_moderator_cannot_edit_a_page(client, member, moderator):
    for person in (member, moderator):
        client.force_login(person)

        response = edit(client, "privacy", body="zq-defaced")

        assert response.status_code in (302, 403)
        assert "zq-defaced" not in SitePage.objects.get(slug="privacy").body
        client.logout()


@pytest.mark.django_db
def test_an_editor_without_two_factor_cannot_edit(editor):
    plain = Client()
    plain.force_login(editor)  # password only: the session has not used its second factor

    response = edit(plain, "privacy", body="zq-no-second-factor")

    assert response.status_code == 302
    assert "zq-no-second-factor" not in SitePage.objects.get(slug="privacy").body


@pytest.mark.django_db
def test_a_page_costs_one_query_for_anonymous_readers(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert client.get("/editorial-policy/").status_code == 200
