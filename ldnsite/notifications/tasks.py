"""The notifications app's job on the worker's clock."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_daily_digests() -> None:
    """Daily: each member who chose the digest for some kind gets one e-mail listing what came in."""
    services.send_digests()
