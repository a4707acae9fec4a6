from django.apps import AppConfig


class WatchwordsConfig(AppConfig):
    name = "ldnsite.watchwords"
    label = "watchwords"
    verbose_name = "Watched words"

    def ready(self):
        from ldnsite.accounts import screening

        from . import names, personal_data, queue, sources

        queue.register()
        personal_data.register()
        screening.register(names.screen)
        sources.register(names.WHERE, label="Display names", recent=names.recent_names)
