"""Outgoing e-mail: rows queued in the transaction that causes them, delivered by the worker afterwards.

settings.EMAIL_BACKEND is django-post-office's, so every ``send_mail()`` (ours, allauth's, Django's error
reports) writes an ``Email`` row instead of talking to a mail server. When the transaction commits, the
worker is asked to deliver the queue (tasks.request_delivery); if the broker cannot take that request,
nothing is lost: the sweeper on the clock delivers whatever has waited. A failed delivery is tried again
later, each wait twice the one before (settings.MAIL_RETRY_*), and after the last try the row is marked
failed for staff to see in the admin.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from post_office import mail as post_office
from post_office.models import STATUS, Email, Log

logger = logging.getLogger(__name__)

# One delivery at a time across every worker host: two would send the same queued row twice.
LOCK_KEY = "mail:delivering"
LOCK_SECONDS = 10 * 60  # longer than one batch may take (settings.POST_OFFICE["BATCH_DELIVERY_TIMEOUT"])
ABOUT_HEADER = "X-Ldnsite-About"
# Failures that say the mail server could not be reached or did not answer (not that it refused this mail):
# once it delivers again, mail that failed this way goes out at once instead of sitting out its wait.
UNREACHABLE_SERVER_ERRORS = (
    "ConnectionRefusedError", "ConnectionResetError", "ConnectionAbortedError", "TimeoutError", "timeout",
    "SMTPServerDisconnected", "SMTPConnectError", "gaierror", "OSError",
)  # fmt: skip


def about(obj) -> dict[str, str]:
    """A header naming what a mail is about, so that it can be withdrawn while it waits (see `withdraw`)."""
    return {ABOUT_HEADER: f"{obj._meta.label_lower}:{obj.pk}"}


def withdraw(obj) -> int:
    """Delete the mail about `obj` that is still waiting (a reply taken down before its notification went
    out must not reach anyone's inbox). Returns how many were withdrawn."""
    waiting = Email.objects.filter(
        status__in=[STATUS.queued, STATUS.requeued], **{f"headers__{ABOUT_HEADER}": about(obj)[ABOUT_HEADER]}
    )
    return waiting.delete()[0]


def forget_recipient(addresses) -> int:
    """Delete every mail row addressed to any of `addresses` (a member who leaves takes their mail with
    them: addresses and words, sent or waiting). Returns how many rows went."""
    wanted = {address.lower() for address in addresses if address}
    candidates = Email.objects.none()
    for address in wanted:  # a first cut by text; the exact match on each recipient below
        candidates |= Email.objects.filter(to__icontains=address)
    doomed = [email.pk for email in candidates if wanted & {r.lower() for r in email.to}]
    return Email.objects.filter(pk__in=doomed).delete()[0]


def retry_wait(retries: int) -> timedelta:
    """How long a mail waits after its `retries`-th failed delivery."""
    first, longest = settings.MAIL_RETRY_FIRST_SECONDS, settings.MAIL_RETRY_MAX_SECONDS
    return timedelta(seconds=min(first * 2 ** max(retries - 1, 0), longest))


def _space_out_retries(since) -> None:
    """post_office waits the same time before every retry; give each failure its growing wait instead."""
    failed_now = list(
        Email.objects.filter(status=STATUS.requeued, last_updated__gte=since).only(
            "pk", "number_of_retries", "last_updated", "scheduled_time"
        )
    )
    for email in failed_now:
        email.scheduled_time = email.last_updated + retry_wait(email.number_of_retries or 1)
    Email.objects.bulk_update(failed_now, ["scheduled_time"])


def _retry_now_what_waited_for_the_server(*, failed_before) -> int:
    """The server delivers again: mail whose last try, before `failed_before`, failed because the server was
    unreachable is due now. (Not what failed since: a server that drops some connections under load would
    otherwise use up a mail's tries in seconds.)"""
    last_log = Log.objects.filter(email=OuterRef("pk")).order_by("-pk")
    waiting = (
        Email.objects.filter(status=STATUS.requeued, scheduled_time__gt=timezone.now())
        .annotate(
            last_error=Subquery(last_log.values("exception_type")[:1]),
            last_failed_at=Subquery(last_log.values("date")[:1]),
        )
        .filter(last_error__in=UNREACHABLE_SERVER_ERRORS, last_failed_at__lt=failed_before)
    )
    return Email.objects.filter(pk__in=list(waiting.values_list("pk", flat=True))).update(
        scheduled_time=timezone.now()
    )


def deliver() -> int:
    """Deliver every queued mail that is due, batch by batch. Returns how many were sent, or -1 when another
    delivery holds the lock."""
    token = secrets.token_hex(8)
    if not cache.add(LOCK_KEY, token, LOCK_SECONDS):
        return -1
    sent_in_all, delivery_started, brought_forward = 0, timezone.now(), False
    try:
        while True:
            started = timezone.now()
            sent, failed, requeued = post_office.send_queued()
            sent_in_all += sent
            if failed or requeued:
                _space_out_retries(since=started)
                logger.warning("mail delivery: %s sent, %s will be retried, %s failed for good",
                               sent, requeued, failed)  # fmt: skip
            if sent and not brought_forward:  # the server delivers: what waited for it goes in the next pass
                _retry_now_what_waited_for_the_server(failed_before=delivery_started)
                brought_forward = True
            if not sent or not post_office.get_queued().exists():
                break
            cache.touch(LOCK_KEY, LOCK_SECONDS)
    finally:
        if cache.get(LOCK_KEY) == token:  # not another delivery's, taken after this one's had expired
            cache.delete(LOCK_KEY)
    return sent_in_all


def is_due() -> bool:
    """Is any queued mail due for delivery (new, or a retry whose wait is over)?"""
    return post_office.get_queued().exists()
