from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ldnsite.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from . import personal_data

        personal_data.register()
