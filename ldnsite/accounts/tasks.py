"""The accounts app's job on the worker's clock."""

from celery import shared_task
from django.core import management


@shared_task(ignore_result=True)
def clear_expired_sessions() -> None:
    """Hourly: delete expired sessions from the database (Django's clearsessions)."""
    management.call_command("clearsessions")
