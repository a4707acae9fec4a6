from django.apps import AppConfig


class SearchConfig(AppConfig):
    """How the site is found: /search/ for readers, /sitemap.xml and /robots.txt for search engines.

    It names no app: what is searchable comes from the sources each app registers (sources.py), and each
    app's sitemap is built on sitemaps.py and composed in ldnsite/urls.py.
    """

    name = "ldnsite.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        from ldnsite import pagecache

        from . import engine, sources

        # Search text is free, so only its one spelling that clean_query leaves unchanged is kept: each
        # search is stored once, not once per variant in spacing or invisible characters. The texts
        # themselves have no bound, but only a search the view runs (a miss) is stored, and each counts
        # against the per-address search limit (SEARCH_RATE_LIMIT): one address cannot add entries faster
        # than that, and they expire.
        pagecache.register_page(
            "search:search",
            parameters={"q": engine.is_clean, "in": sources.is_key, "page": pagecache.page_number},
        )
        pagecache.register_page("sitemap")
        pagecache.register_page("robots_txt")
