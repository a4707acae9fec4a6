"""RSS 2.0 and Atom feeds of published articles and study summaries, newest first.

Readers treat an item's description (RSS) and summary (Atom, type="html") as HTML, so plain text goes out
HTML-escaped: a summary quoting "<script>" shows those characters and runs nothing. Every address is built
on ldnsite.http.site_url: settings.SITE_URL when set (a feed fetched through a proxy or an internal host name
still links to the public site), else the address the feed was fetched from.
"""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from ldnsite.http import site_url

from .metadata import study_facts, study_heading, study_reference
from .models import Article, Study

FEED_ITEMS = 30


class SiteFeed(Feed):
    language = "en-gb"
    list_url_name = ""
    feed_url_name = ""
    site_url = ""

    def __call__(self, request, *args, **kwargs):
        # One instance serves every request (urls.py): each request gets a copy that knows its site address.
        feed = copy.copy(self)
        feed.site_url = site_url(request)
        return Feed.__call__(feed, request, *args, **kwargs)

    def link(self) -> str:
        return self.site_url + reverse(self.list_url_name)

    def feed_url(self) -> str:
        return self.site_url + reverse(self.feed_url_name)

    def author_name(self) -> str:
        return settings.SITE_NAME

    def item_link(self, item) -> str:
        return self.site_url + item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()

    def item_title(self, item) -> str:
        # Atom titles are text (no type attribute): RSS's double escaping would show "&amp;" to readers.
        return self.plain_title(item)


class ArticleFeed(SiteFeed):
    list_url_name = "articles:article_list"
    feed_url_name = "articles:article_feed"

    def title(self) -> str:
        return f"{settings.SITE_NAME}: articles about low dose naltrexone and MS"

    def description(self) -> str:
        return "New and updated explainers, each citing the study summaries it discusses."

    def items(self):
        return Article.objects.public().for_listing()[:FEED_ITEMS]

    def plain_title(self, item: Article) -> str:
        return item.title

    def item_title(self, item: Article) -> str:
        # RSS readers treat titles as HTML; escaped as Django's own Feed.item_title does (ticket #6533).
        return escape(item.title)

    def item_description(self, item: Article) -> str:
        return escape(item.summary)

    def item_author_name(self, item: Article) -> str:
        return item.author.display_name


class ArticleAtomFeed(AtomMixin, ArticleFeed):
    feed_url_name = "articles:article_atom_feed"


class StudyFeed(SiteFeed):
    list_url_name = "articles:study_list"
    feed_url_name = "articles:study_feed"

    def title(self) -> str:
        return f"{settings.SITE_NAME}: study summaries"

    def description(self) -> str:
        return (
            "Structured summaries of published studies of low dose naltrexone in MS, with design, size and "
            "evidence level."
        )

    def items(self):
        return Study.objects.public().order_by("-published_at", "-pk")[:FEED_ITEMS]

    def plain_title(self, item: Study) -> str:
        return study_heading(item)

    def item_title(self, item: Study) -> str:
        return escape(study_heading(item))

    def item_description(self, item: Study) -> str:
        return escape(f"{study_facts(item)} {study_reference(item)}")

    def item_author_name(self, item: Study) -> str:
        return item.authors

    def item_categories(self, item: Study) -> list[str]:
        return [item.get_design_display(), f"Evidence level {item.evidence_level}"]


class StudyAtomFeed(AtomMixin, StudyFeed):
    feed_url_name = "articles:study_atom_feed"
