from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ldnsite.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from ldnsite import pagecache

        from . import signals
        from .models import User

        signals.connect()
        # A member's display name is shown next to what they wrote, all over the site; a deleted member's
        # contributions change everywhere too. A login, a new password or a new member change no page.
        pagecache.register(
            User, pages=lambda member: [pagecache.EVERY_PAGE], fields=["display_name", "is_active"]
        )
