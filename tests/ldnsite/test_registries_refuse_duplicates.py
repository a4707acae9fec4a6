"""A registry refuses a key that is already taken, even by the same app again: a second registration would
otherwise replace the first without a word."""

import pytest
from django.contrib.sitemaps import Sitemap
from django.core.exceptions import ImproperlyConfigured

from ldnsite import urls
from ldnsite.comments import contributions
from ldnsite.comments.apps import has_published_comment
from ldnsite.search import sitemaps


def test_contributions_refuse_a_key_registered_before():
    with pytest.raises(ValueError, match="'comments'"):
        contributions.register("comments", has_approved=has_published_comment)


def test_merging_the_apps_sitemaps_refuses_a_name_two_apps_use():
    class Recipes(Sitemap):
        pass

    with pytest.raises(ImproperlyConfigured, match="'pages'"):
        sitemaps.merge({"pages": Sitemap, "articles": Sitemap}, {"pages": Recipes})


def test_the_sites_sitemap_keeps_every_apps_sitemaps():
    assert sorted(urls.SITEMAPS) == [
        "articles", "discussion-pages", "discussions", "experience-pages", "pages", "site-pages", "studies",
        "testimonials",
    ]  # fmt: skip
