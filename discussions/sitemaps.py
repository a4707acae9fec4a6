"""This app's part of /sitemap.xml (composed in ldnsite/urls.py): the list and the published topics."""

from ldnsite.search.sitemaps import NamedPagesSitemap, SiteUrlSitemap

from .models import Topic


class PagesSitemap(NamedPagesSitemap):
    url_names = ["discussions:list"]


class TopicSitemap(SiteUrlSitemap):
    def items(self):
        return Topic.objects.public().only("pk", "last_activity_at").order_by("-last_activity_at", "-pk")

    def lastmod(self, item: Topic):
        return item.last_activity_at


SITEMAPS = {
    "discussion-pages": PagesSitemap,
    "discussions": TopicSitemap,
}
