"""The worker's e-mail jobs: deliver on request, sweep on the clock, forget old sent mail."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from post_office.models import STATUS, Email

from . import delivery

KEEP_SENT_DAYS = 30


@shared_task(bind=True, ignore_result=True, max_retries=3)
def deliver_queued_mail(self) -> None:
    """Deliver the queue now (asked for when a change with e-mail commits)."""
    if delivery.deliver() < 0:  # another delivery is running: come back once it has probably finished
        raise self.retry(countdown=10)


@shared_task(ignore_result=True)
def sweep_queued_mail() -> None:
    """Every minute: deliver the retries that are due, and any mail whose hand-off to the worker was lost
    (the broker was down when its change committed)."""
    if delivery.is_due():
        delivery.deliver()


@shared_task(ignore_result=True)
def delete_old_mail() -> None:
    """Daily: sent and failed mail holds members' addresses and words; keep it a month for support (a failed
    one is listed in the admin meanwhile), then delete it."""
    cutoff = timezone.now() - timedelta(days=KEEP_SENT_DAYS)
    Email.objects.filter(status__in=[STATUS.sent, STATUS.failed], last_updated__lt=cutoff).delete()
