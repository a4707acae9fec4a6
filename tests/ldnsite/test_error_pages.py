"""With DEBUG off, a missing page (404) and a fault (500) are pages of the site: its header, navigation,
footer and "Not medical advice" disclaimer. The 500 page is drawn without the session, the user or the
database, whichever of them failed."""

import pytest
from django.db import ProgrammingError, connection
from django.test import Client

from ldnsite import errors, rediscache
from tests.ldnsite.test_degradation import dead_redis  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

FAILS = "/fails/"


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def assert_branded(html: str) -> None:
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert '<nav aria-label="Main">' in html and 'href="/studies/"' in html
    assert "Not medical advice" in html
    assert '<meta name="robots" content="noindex">' in html


def test_a_missing_page_is_a_404_with_the_sites_header_navigation_and_disclaimer(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert_branded(html)
    assert "<h1>Page not found</h1>" in html
    assert 'action="/search/"' in html  # a way on from here
    assert "Log in" in html  # the 404 has the request: the usual account links


def test_a_draft_or_unknown_article_is_the_same_branded_404(client, make_article):
    draft = make_article(published=False)

    for url in (draft.get_absolute_url(), "/articles/no-such-article/", "/testimonials/999999/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "<h1>Page not found</h1>" in response.content.decode()


@pytest.mark.urls("tests.ldnsite.failing_urls")
def test_a_fault_is_a_branded_500_without_its_details(django_assert_num_queries, caplog):
    with django_assert_num_queries(0):
        response = Client(raise_request_exception=False).get(FAILS)

    assert response.status_code == 500
    html = response.content.decode()
    assert_branded(html)
    assert "Something went wrong on our side" in html
    assert "secret_things" not in html and "Traceback" not in html
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records)  # still logged for ADMINS


@pytest.mark.urls("tests.ldnsite.failing_urls")
def test_the_500_page_does_not_read_the_session_or_the_user(member):
    browser = Client(raise_request_exception=False)
    browser.force_login(member)

    html = browser.get(FAILS).content.decode()

    assert "Something went wrong on our side" in html
    # It knows nobody: neither "Log in" (the member is still logged in) nor the member's name.
    assert "Log in" not in html and "Log out" not in html and member.display_name not in html


@pytest.fixture
def _cache_comes_back():
    yield
    rediscache.mark_available()


@pytest.mark.usefixtures("dead_redis", "_cache_comes_back")
def test_the_500_page_renders_while_the_database_and_the_cache_fail(monkeypatch):
    """A fault in the database (not an outage, which is the 503) must not take the error page with it; nor
    may an unreachable cache."""

    def broken(*args, **kwargs):
        raise ProgrammingError("relation does not exist")

    monkeypatch.setattr(connection, "cursor", broken)
    response = Client(raise_request_exception=False).get("/studies/")

    assert response.status_code == 500
    assert_branded(response.content.decode())


@pytest.mark.urls("tests.ldnsite.failing_urls")
def test_the_500_page_falls_back_to_plain_html_when_its_template_fails(monkeypatch):
    def template_fails(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(errors, "render_to_string", template_fails)
    response = Client(raise_request_exception=False).get(FAILS)

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
