"""Every page links to the same places in the same order, whichever app draws it: the site composes its
navigation (settings.SITE_LINKS) and names its home page "home", so shared code names no domain app."""

import re

import pytest
from django.urls import reverse

HREF = re.compile(r'<a[^>]* href="([^"]*)"')


def _links(html: str, start: str, end: str) -> list[str]:
    part = html.split(start, 1)[1].split(end, 1)[0]
    return HREF.findall(part)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/studies/", "/testimonials/", "/discussions/", "/search/?q=fatigue"])
def test_header_and_footer_link_the_same_pages_in_the_same_order(client, path):
    html = client.get(path).content.decode()

    assert _links(html, '<header class="site-header">', "</header>") == [
        "/", "/articles/", "/studies/", "/testimonials/", "/discussions/", "/accounts/login/",
        "/accounts/signup/",
    ]  # fmt: skip
    assert _links(html, '<p class="footer-links">', "</p>") == [
        "/articles/", "/studies/", "/testimonials/", "/discussions/",
    ]  # fmt: skip
    assert 'type="application/rss+xml" title="ldnsite: articles" href="/feeds/articles/"' in html
    assert 'type="application/rss+xml" title="ldnsite: study summaries" href="/feeds/studies/"' in html


@pytest.mark.django_db
def test_the_home_page_is_the_sites_and_a_member_is_sent_there(client, member):
    assert reverse("home") == "/"
    response = client.get("/")
    assert response.status_code == 200
    assert response.resolver_match.view_name == "home"
    assert member.get_absolute_url() == "/"
