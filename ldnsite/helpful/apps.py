from django.apps import AppConfig


class HelpfulConfig(AppConfig):
    name = "ldnsite.helpful"
    label = "helpful"
    verbose_name = "Helpful marks"

    def ready(self):
        from . import personal_data

        personal_data.register()
