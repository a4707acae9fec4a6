"""The worker's e-mail jobs (deliver on request, sweep on the clock, forget old sent mail), and how the web
process asks for a delivery once the transaction that queued the mail commits."""

import logging
from datetime import timedelta

from celery import current_app, shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from post_office.models import STATUS, Email

from ldnsite import rediscache

from . import delivery

logger = logging.getLogger(__name__)

KEEP_SENT_DAYS = 30
# The web process hands work to the broker with these limits: a broker that is down or frozen costs a
# request at most about a second, and the sweeper delivers what it could not hand over.
PUBLISH_TIMEOUT_SECONDS = 0.5


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


def deliver_after_commit(sender=None, **kwargs) -> None:
    """post_office's email_queued signal: ask for delivery once the rows are committed (robustly: a broker
    failure must not turn the committed change into an error page). One request per transaction."""
    connection = transaction.get_connection()
    savepoints = set(connection.savepoint_ids)
    if connection.in_atomic_block and any(
        callback is request_delivery and registered_in <= savepoints
        for registered_in, callback, _robust in connection.run_on_commit
    ):
        return  # already asked for in this transaction, and rolled back only with this mail
    transaction.on_commit(request_delivery, robust=True)


def request_delivery() -> bool:
    """Ask the worker to deliver the queue now. False (and logged) when the broker cannot take the request."""
    if settings.CELERY_TASK_ALWAYS_EAGER:  # no broker: deliver in this process
        deliver_queued_mail.apply()
        return True
    if rediscache.is_unavailable():
        logger.warning("mail queued; Redis is unavailable, the sweeper will deliver it")
        return False
    try:
        with current_app.connection_for_write(
            connect_timeout=PUBLISH_TIMEOUT_SECONDS,
            transport_options={
                "socket_connect_timeout": PUBLISH_TIMEOUT_SECONDS,
                "socket_timeout": PUBLISH_TIMEOUT_SECONDS,
                "max_retries": 0,  # kombu would otherwise wait 2 s and try again
            },
        ) as connection:
            deliver_queued_mail.apply_async(connection=connection, retry=False)
    except Exception as error:  # any broker failure: the mail is safe in the database
        logger.warning("mail queued; the broker did not take the delivery request (%s)", type(error).__name__)
        return False
    return True
