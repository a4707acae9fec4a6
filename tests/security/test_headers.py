"""Security headers on every page, and the production settings that only apply outside the test run."""

import json
import os
import re
import secrets
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent.parent

PAGES = [
    "/",
    "/articles/",
    "/studies/",
    "/testimonials/",
    "/testimonials/summary/",
    "/accounts/login/",
    "/accounts/signup/",
    "/admin/login/",
    "/healthz",
]


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_content_security_policy_on_every_page(client, url):
    response = client.get(url)

    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    csp = _directives(header)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]  # data: only for the authenticator QR code
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_content_security_policy_on_editor_pages(client, editor):
    client.force_login(editor)

    for url in ["/admin/", "/admin/articles/article/add/", "/testimonials/new/"]:
        header = client.get(url).headers["Content-Security-Policy"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, url
        assert _directives(header)["frame-ancestors"] == ["'none'"], url


@pytest.mark.django_db
def test_only_the_embed_page_may_be_framed(client, make_article, make_study):
    """/embed/<slug>/ is made to sit in other sites' iframes; its article page and image are not."""
    article = make_article(studies=[make_study()])

    embed = client.get(f"/embed/{article.slug}/")
    assert "X-Frame-Options" not in embed.headers
    header = embed.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    csp = _directives(header)
    assert csp["frame-ancestors"] == ["*"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"]

    for url in [f"/articles/{article.slug}/", f"/articles/{article.slug}/infographic.svg"]:
        response = client.get(url)
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert _directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == ["'none'"], url


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_other_security_headers_on_every_page(client, url):
    response = client.get(url)

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response.headers["Permissions-Policy"]
    for feature in ["camera=()", "microphone=()", "geolocation=()"]:
        assert feature in policy


def test_tests_run_without_https_only_settings(settings):
    """The test client speaks plain http: a redirect or Secure-only cookies would break every test."""
    assert settings.DEBUG is False
    assert settings.SECURE_SSL_REDIRECT is False


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_production_https_behaviour(client):
    assert client.get("/articles/").status_code == 301
    assert client.get("/healthz").status_code == 200  # health checks may come over http

    response = client.get("/accounts/login/", secure=True)

    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="ldnsite.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="ldn.example.org",
        **{"DJANGO_SITE_URL": "https://ldn.example.org", "REDIS_URL": "redis://127.0.0.1:6379/0", **extra},
    )
    return env


def _run(args: list[str], **extra_env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=_production_env(**extra_env),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


_PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "SECURE_PROXY_SSL_HEADER",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
]
print(json.dumps({name: getattr(settings, name, None) for name in names}))
"""


def _production_settings(**extra_env: str) -> dict:
    result = _run(["-c", _PRINT_SETTINGS], **extra_env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_passes_without_warnings_in_production():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_a_production_without_its_public_address():
    result = _run(["manage.py", "check", "--deploy"], DJANGO_SITE_URL="")

    assert result.returncode != 0
    assert "ldnsite.E001" in result.stderr and "DJANGO_SITE_URL is not set" in result.stderr


def test_check_deploy_refuses_a_production_without_redis_and_its_worker():
    result = _run(["manage.py", "check", "--deploy"], REDIS_URL="")

    assert result.returncode != 0
    assert "ldnsite.E003" in result.stderr and "REDIS_URL is not set" in result.stderr


def test_production_settings_are_https_only():
    values = _production_settings()

    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and values["SECURE_HSTS_PRELOAD"] is True
    for cookie in ("SESSION", "CSRF"):
        assert values[f"{cookie}_COOKIE_SECURE"] is True
        assert values[f"{cookie}_COOKIE_HTTPONLY"] is True
        assert values[f"{cookie}_COOKIE_SAMESITE"] == "Lax"
    # Without DJANGO_BEHIND_PROXY a forged X-Forwarded-* header is not trusted.
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] is None


def test_behind_proxy_trusts_one_proxy():
    values = _production_settings(DJANGO_BEHIND_PROXY="1")

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1


def test_ssl_redirect_can_be_left_to_the_proxy():
    assert _production_settings(DJANGO_SECURE_SSL_REDIRECT="0")["SECURE_SSL_REDIRECT"] is False


# --- Private pages are kept by no browser or proxy --------------------------------------------------------

NO_STORE = {"private", "no-cache", "no-store"}


def _cache_directives(response) -> set[str]:
    parts = response.get("Cache-Control", "").split(",")
    return {part.strip().split("=")[0] for part in parts if part.strip()}


def _same_site_links(html: str) -> set[str]:
    links = {link.replace("&amp;", "&") for link in re.findall(r'href="(/[^"#]*)', html)}
    return {link for link in links if not link.startswith(("/static/", "/media/", "//"))}


@pytest.fixture
def private_world(make_user, make_moderator, make_article, settings):
    """A member with a story waiting, a comment of their own and one of someone else's; a moderator."""
    from ldnsite.comments import moderation as comment_moderation
    from ldnsite.comments.models import Thread
    from testimonials import moderation as testimonial_moderation
    from tests.testimonials.test_submit import content

    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    member, neighbour = make_user(display_name="Private Pat"), make_user()
    article = make_article()
    thread = Thread.objects.for_subject(article)
    own = comment_moderation.submit(
        thread, author=member, body="My own words.", parent=None, token=uuid.uuid4()
    )
    other = comment_moderation.submit(
        thread, author=neighbour, body="Theirs.", parent=None, token=uuid.uuid4()
    )
    story = testimonial_moderation.submit(author=member, content=content(), is_carer=False)
    moderator = make_moderator()
    return SimpleNamespace(
        member=member, moderator=moderator, article=article, own=own, other=other, story=story
    )


def _member_only_urls(w) -> list[str]:
    return [
        "/testimonials/mine/",
        "/testimonials/new/",
        f"/testimonials/{w.story.pk}/edit/",
        f"/testimonials/{w.story.pk}/withdraw/",
        f"/testimonials/{w.story.pk}/delete/",
        f"/comments/{w.own.pk}/edit/",
        f"/comments/{w.own.pk}/delete/",
        f"/comments/{w.other.pk}/report/",
        f"/comments/article/{w.article.slug}/new/",
        f"/comments/article/{w.article.slug}/reply/{w.other.pk}/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/export/",
        "/accounts/delete/",
        "/accounts/2fa/",
    ]


@pytest.mark.django_db
def test_member_only_pages_are_never_stored(client, private_world):
    """/testimonials/mine/, the edit pages, the report form, the account pages: every one of them, and every
    page they link to, is `private, no-cache, no-store` for the member (a crawl, so new pages are covered)."""
    client.force_login(private_world.member)
    to_visit, seen = list(_member_only_urls(private_world)), set()
    while to_visit and len(seen) < 120:
        url = to_visit.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code in (301, 302):
            location = response["Location"]
            assert _cache_directives(response) >= NO_STORE, url
            if location.startswith("/"):
                to_visit.append(location)
            continue
        assert _cache_directives(response) >= NO_STORE, f"{url}: {response.get('Cache-Control')}"
        if "text/html" in response.get("Content-Type", ""):
            to_visit.extend(sorted(_same_site_links(response.content.decode()) - seen))
    assert {"/testimonials/mine/", f"/comments/{private_world.other.pk}/report/", "/accounts/email/"} <= seen
    assert len(seen) > 30  # the crawl went beyond the list


@pytest.mark.django_db
def test_a_members_form_answer_is_never_stored(client, private_world):
    """A form sent back with errors holds what the member typed: not kept either."""
    client.force_login(private_world.member)

    response = client.post(f"/comments/{private_world.own.pk}/edit/", {"body": ""})

    assert response.status_code == 400
    assert _cache_directives(response) >= NO_STORE


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/moderation/", "/admin/", "/admin/testimonials/testimonial/"])
def test_staff_pages_are_never_stored(client, private_world, url):
    client.force_login(private_world.moderator)

    response = client.get(url)

    assert response.status_code in (200, 302, 403), url
    assert _cache_directives(response) >= NO_STORE, url


@pytest.mark.django_db
def test_public_pages_stay_cacheable_for_anonymous_readers(client, private_world):
    """The rule is for private answers only: the shared page cache and browsers keep public pages."""
    url = private_world.article.get_absolute_url()
    client.get(url)

    response = client.get(url)

    assert "public" in _cache_directives(response) and "no-store" not in _cache_directives(response)
    client.force_login(private_world.member)
    assert _cache_directives(client.get(url)) >= NO_STORE  # the member's view of it bears their name
