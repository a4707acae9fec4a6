from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and study summaries"

    def ready(self):
        from ldnsite.comments import subjects

        from . import caching, search
        from .models import Article, Study

        caching.register()
        search.register()
        subjects.register(Article, kind="article", lookup="slug", public=Article.objects.public)
        subjects.register(Study, kind="study", lookup="slug", public=Study.objects.public)
