"""This app's part of /sitemap.xml (composed in ldnsite/urls.py): its pages, articles and study summaries."""

from ldnsite.search.sitemaps import NamedPagesSitemap, SiteUrlSitemap

from .models import Article, Study


class PagesSitemap(NamedPagesSitemap):
    url_names = ["home", "articles:article_list", "articles:study_list"]


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


SITEMAPS = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "studies": StudySitemap,
}
