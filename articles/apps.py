from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and study summaries"

    def ready(self):
        from ldnsite.comments import subjects
        from ldnsite.demo import builders
        from ldnsite.privileges import add_editor_permission

        from . import caching, demo, search
        from .managers import EDIT_PERMISSION
        from .models import Article, Study

        add_editor_permission(EDIT_PERMISSION)
        caching.register()
        search.register()
        subjects.register(Article, kind="article", lookup="slug", public=Article.objects.public)
        subjects.register(Study, kind="study", lookup="slug", public=Study.objects.public)
        builders.register(
            "articles", order=10, content=demo.load, volume=demo.volume, volume_options=demo.VOLUME_OPTIONS
        )
