from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "ldnsite.comments"
    label = "comments"
    verbose_name = "Comment threads"

    def ready(self):
        # Comments are the most frequent change to public pages; the page cache watches every content model.
        from ldnsite import pagecache

        pagecache.connect_signals()
