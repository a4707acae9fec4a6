"""Absolute links (embed code, feeds, sitemap, JSON-LD, robots.txt, e-mail) name the address the site really
runs on (ldnsite.http.site_url): DJANGO_SITE_URL when it is set, else the address a page was requested at.
Mail, which the worker may build with no request, uses DJANGO_SITE_URL; `make run` sets it from the address
it serves."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core import mail as django_mail
from django.urls import reverse

from testimonials import moderation as testimonial_moderation
from tests.accounts.test_signup_and_login import signup_data

pytestmark = pytest.mark.django_db

HERE = "http://127.0.0.1:8123"
ELSEWHERE = "http://localhost:9000"
PUBLIC = "https://ldn.example.org"


@pytest.fixture
def no_site_url(settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    return settings


def at(address: str) -> dict:
    return {"HTTP_HOST": address.removeprefix("http://")}


@pytest.fixture
def evidence(make_article, make_study):
    study = make_study(title="Crossover trial of LDN")
    return make_article(title="LDN basics", studies=[study]), study


def test_without_site_url_the_article_page_links_to_the_address_it_was_requested_at(
    client, no_site_url, evidence
):
    article, study = evidence
    embed_url = reverse("articles:embed", kwargs={"slug": article.slug})

    html = client.get(article.get_absolute_url(), **at(HERE)).content.decode()

    assert f"{HERE}{embed_url}" in html  # the embed code's iframe
    assert f'"url": "{HERE}{article.get_absolute_url()}"' in html  # JSON-LD
    assert f'"@id": "{HERE}{study.get_absolute_url()}"' in html
    assert f'<meta property="og:url" content="{HERE}{article.get_absolute_url()}">' in html
    assert ":8000" not in html


def test_the_same_page_requested_at_another_address_is_not_served_from_the_first_ones_cache(
    client, no_site_url, evidence
):
    article, _ = evidence
    assert HERE in client.get(article.get_absolute_url(), **at(HERE)).content.decode()

    html = client.get(article.get_absolute_url(), **at(ELSEWHERE)).content.decode()

    assert ELSEWHERE in html and HERE not in html


def test_without_site_url_embed_page_infographic_study_page_feeds_sitemap_and_robots_use_the_request(
    client, no_site_url, evidence
):
    article, study = evidence
    pages = {
        "embed": reverse("articles:embed", kwargs={"slug": article.slug}),
        "infographic": reverse("articles:infographic", kwargs={"slug": article.slug}),
        "study": study.get_absolute_url(),
        "articles feed": reverse("articles:article_feed"),
        "studies atom feed": reverse("articles:study_atom_feed"),
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
    }
    for name, url in pages.items():
        body = client.get(url, **at(HERE)).content.decode()
        assert HERE.removeprefix("http://") in body, name  # the picture names the host without the scheme
        assert ":8000" not in body, name

    feed = client.get(reverse("articles:article_feed"), **at(HERE)).content.decode()
    assert f"<link>{HERE}{article.get_absolute_url()}</link>" in feed
    sitemap = client.get("/sitemap.xml", **at(HERE)).content.decode()
    assert f"<loc>{HERE}{study.get_absolute_url()}</loc>" in sitemap
    robots = client.get("/robots.txt", **at(HERE)).content.decode()
    assert f"Sitemap: {HERE}/sitemap.xml" in robots


def test_with_site_url_every_page_links_to_it_whatever_address_was_requested(
    client, settings, no_site_url, evidence
):
    settings.SITE_URL = PUBLIC
    article, study = evidence
    for url in (
        article.get_absolute_url(),
        reverse("articles:embed", kwargs={"slug": article.slug}),
        reverse("articles:study_feed"),
        "/sitemap.xml",
        "/robots.txt",
    ):
        body = client.get(url, **at(HERE)).content.decode()
        assert PUBLIC in body, url
        assert "127.0.0.1" not in body, url


def test_decision_mail_links_to_the_site_url_not_to_a_request(
    settings, make_testimonial, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = PUBLIC
    testimonial = make_testimonial(state="pending")

    with django_capture_on_commit_callbacks(execute=True):
        testimonial_moderation.approve(testimonial, by=moderator)

    body = mailoutbox[-1].body
    assert f"{PUBLIC}/testimonials/mine/" in body
    assert f"{PUBLIC}{testimonial.get_absolute_url()}" in body


def test_confirmation_mail_links_to_the_site_url_even_when_signing_up_through_another_address(
    client, settings, no_site_url, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = PUBLIC
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", signup_data(), **at(HERE))

    body = mailoutbox[-1].body
    assert re.search(rf"{re.escape(PUBLIC)}/accounts/confirm-email/\S+", body)
    assert "127.0.0.1" not in body


def test_without_site_url_the_confirmation_mail_links_to_the_address_signed_up_at(
    client, no_site_url, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", signup_data(), **at(HERE))

    assert re.search(rf"{re.escape(HERE)}/accounts/confirm-email/\S+", mailoutbox[-1].body)
    assert django_mail.outbox == mailoutbox


def test_make_run_tells_the_site_the_address_it_serves():
    makefile = Path(__file__).resolve().parent.parent
    commands = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "HOST=127.0.0.1", "PORT=8123"],  # noqa: S607
        cwd=makefile,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    serving = [line for line in commands.splitlines() if "runserver" in line]
    assert serving and all(f"DJANGO_SITE_URL={HERE}" in line for line in serving)
    assert serving[-1].rstrip().endswith("runserver 127.0.0.1:8123")
