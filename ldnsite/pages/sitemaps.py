"""This app's part of /sitemap.xml (composed in ldnsite/urls.py): the six site pages, with their last edit."""

from ldnsite.search.sitemaps import SiteUrlSitemap

from .models import SitePage


class SitePageSitemap(SiteUrlSitemap):
    changefreq = "monthly"

    def items(self) -> list[SitePage]:
        # Six rows: a list, so that the sitemap's paginator counts them without a query.
        return list(SitePage.objects.public().only("slug", "updated_at").order_by("pk"))

    def lastmod(self, item: SitePage):
        return item.updated_at


SITEMAPS = {"site-pages": SitePageSitemap}
