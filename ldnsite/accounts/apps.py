from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ldnsite.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import signals

        signals.connect()
