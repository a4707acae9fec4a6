from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and study summaries"

    def ready(self):
        from . import caching, search

        caching.register()
        search.register()
