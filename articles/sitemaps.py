"""/sitemap.xml and /robots.txt: what search engines may find, and only what anyone may read.

The project has no django.contrib.sites, so addresses come from settings.SITE_URL: a sitemap must name the
public host even when it is fetched through another (a proxy, a health check, an internal name).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from testimonials.models import Testimonial

from .models import Article, Study


class SiteUrlSitemap(Sitemap):
    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class PublicPagesSitemap(SiteUrlSitemap):
    changefreq = "daily"
    url_names = [
        "articles:home",
        "articles:article_list",
        "articles:study_list",
        "testimonials:list",
        "testimonials:summary",
    ]

    def items(self) -> list[str]:
        return self.url_names

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(SiteUrlSitemap):
    def items(self):
        return Article.objects.public().only("slug", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, item: Article):
        return item.updated_at


class StudySitemap(SiteUrlSitemap):
    def items(self):
        return Study.objects.public().only("slug", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, item: Study):
        return item.updated_at


class TestimonialSitemap(SiteUrlSitemap):
    def items(self):
        return (
            Testimonial.objects.public()
            .only("pk", "approved_at", "moderated_at")
            .order_by("-approved_at", "-pk")
        )

    def lastmod(self, item: Testimonial):
        # An approved edit changes the public text and sets moderated_at; the first approval sets both.
        return item.moderated_at or item.approved_at


SITEMAPS = {
    "pages": PublicPagesSitemap,
    "articles": ArticleSitemap,
    "studies": StudySitemap,
    "testimonials": TestimonialSitemap,
}


def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "robots.txt",
        {"sitemap_url": settings.SITE_URL + reverse("sitemap")},
        content_type="text/plain; charset=utf-8",
    )
