"""Deploy checks (`manage.py check --deploy`): what the worker needs to build and deliver mail."""

from django.conf import settings
from django.core.checks import Error, Warning


def check_site_url(app_configs=None, **kwargs) -> list:
    """The worker builds links in e-mail with no request to take a host from: it needs DJANGO_SITE_URL."""
    if not settings.SITE_URL:
        return [
            Error(
                "DJANGO_SITE_URL is not set.",
                hint="Set it to the site's public address, such as https://ldn.example.org: links in e-mail, "
                "feeds and the sitemap are built from it.",
                id="ldnsite.E001",
            )
        ]
    if not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                f"DJANGO_SITE_URL ({settings.SITE_URL}) is not an https:// address.",
                hint="Links in e-mail would send members to the site over plain http.",
                id="ldnsite.W002",
            )
        ]
    return []


def check_broker(app_configs=None, **kwargs) -> list:
    """Without REDIS_URL there is no broker: tasks run inside the web process, so a mail server that hangs
    would hold a member's request, nothing retries on a clock, and each process would keep its own cache."""
    if settings.REDIS_URL:
        return []
    return [
        Error(
            "REDIS_URL is not set.",
            hint="Production needs Redis (the shared cache, rate limits and the Celery broker) and a worker "
            "started with `celery -A ldnsite worker --beat`.",
            id="ldnsite.E003",
        )
    ]
