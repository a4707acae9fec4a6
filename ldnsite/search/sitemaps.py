"""What each app's sitemap is built on; ldnsite/urls.py composes the apps' sitemaps into /sitemap.xml.

The project has no django.contrib.sites, so addresses come from settings.SITE_URL when it is set: a sitemap
must name the public host even when it is fetched through another (a proxy, a health check, an internal name).
Unset, Django's sitemap view takes the scheme and host of the request, as ldnsite.http.site_url does. Items
come from each model's public door, so the sitemap lists only what anyone may read.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse


def merge(*app_sitemaps: dict[str, type[Sitemap]]) -> dict[str, type[Sitemap]]:
    """The apps' SITEMAPS dicts as one. Two apps naming a sitemap alike would hide one: refused."""
    merged: dict[str, type[Sitemap]] = {}
    for sitemaps in app_sitemaps:
        for key, sitemap in sitemaps.items():
            if key in merged:
                raise ImproperlyConfigured(f"Two apps offer a sitemap named {key!r}.")
            merged[key] = sitemap
    return merged


class SiteUrlSitemap(Sitemap):
    def get_protocol(self, protocol: str | None = None) -> str:
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return super().get_protocol(protocol)  # the request's scheme

    def get_domain(self, site=None) -> str:
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).netloc
        return super().get_domain(site)  # the request's host (a RequestSite without contrib.sites)


class NamedPagesSitemap(SiteUrlSitemap):
    """An app's own public pages that are not rows (home, lists, summaries), by URL name."""

    changefreq = "daily"
    url_names: list[str] = []

    def items(self) -> list[str]:
        return self.url_names

    def location(self, item: str) -> str:
        return reverse(item)
