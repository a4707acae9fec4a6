from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "ldnsite.moderation"
    label = "moderation"
    verbose_name = "Moderation log"
