from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "ldnsite.moderation"
    label = "moderation"
    verbose_name = "Moderation log"

    def ready(self):
        from . import personal_data

        personal_data.register()
