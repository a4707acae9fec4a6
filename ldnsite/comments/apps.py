from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "ldnsite.comments"
    label = "comments"
    verbose_name = "Comment threads"
