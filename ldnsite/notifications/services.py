"""The notifications app's public API: what other apps call.

    notify(recipient, kind, *, target, actor=None, note="") -> Notification | None
    withdraw(target) -> int

`notify` is called INSIDE the transaction that makes `target` visible to `recipient` (a comment published, a
story approved): the row, and the e-mail when the member wants it at once (a mail row, ldnsite.mail), commit
with it or not at all. It tells nobody about their own doing, never an inactive member, never anyone who
cannot see the target now, and never twice about the same target in the same kind: a later call is a no-op,
except for a decision, where the one row is brought up to date (a new decision on the same post is news).

`withdraw(target)` is called where content is taken down (hidden, removed): the replies, mentions and
follow-ups about it leave every inbox and their waiting e-mail is withdrawn. Decisions stay: they are
addressed to the author, who still sees their own post (and is told that it was taken down).
"""

import logging

from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ldnsite.http import absolute_url
from ldnsite.mail import delivery as mail

from . import targets
from .models import DEFAULT_DELIVERY, Delivery, EmailPreference, Kind, Notification

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "ldnsite.notifications.unsubscribe"


# --- Preferences --------------------------------------------------------------------------------------------


def deliveries(member) -> dict[str, str]:
    """How `member` wants e-mail about each kind (one query)."""
    chosen = dict(EmailPreference.objects.filter(member=member).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Kind.values}


def set_deliveries(member, choices: dict[str, str]) -> None:
    for kind, delivery in choices.items():
        EmailPreference.objects.update_or_create(member=member, kind=kind, defaults={"delivery": delivery})


# --- Unsubscribe links --------------------------------------------------------------------------------------


def unsubscribe_token(member, kinds: list[str]) -> str:
    return signing.dumps({"m": member.pk, "k": sorted(kinds)}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, list[str]] | None:
    """(member id, kinds) from a link we signed, or None."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        member_id, kinds = int(data["m"]), list(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not kinds or any(kind not in Kind.values for kind in kinds):
        return None
    return member_id, kinds


def unsubscribe_url(member, kinds: list[str]) -> str:
    return absolute_url(
        reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(member, kinds)})
    )


# --- Words --------------------------------------------------------------------------------------------------


def actor_label(notification, obj, registration) -> str:
    if registration.actor_label is not None:
        label = registration.actor_label(obj, notification)
        if label:
            return label
    if notification.actor_id is None:
        return "A former member"
    return notification.actor.display_name


def sentence(notification, obj, registration) -> str:
    """What the notification says, as plain text (templates escape it)."""
    title = registration.title(obj)
    if notification.kind == Kind.DECISION:
        words = registration.notes.get(notification.note, "A moderator decided on “{title}”.")
        return words.format(title=title)
    who = actor_label(notification, obj, registration)
    if notification.kind == Kind.REPLY:
        return f"{who} replied to you in “{title}”."
    if notification.kind == Kind.MENTION:
        return f"{who} mentioned you in “{title}”."
    return f"{who} posted in “{title}”, which you follow."


def with_targets(notifications, member) -> list:
    """`notifications` with `.target`, `.registration`, `.sentence` and `.url` set, dropping any whose target
    `member` can no longer see: one query per kind of target among them, whatever their number."""
    notifications = list(notifications)
    ids_by_kind: dict[str, set[int]] = {}
    for notification in notifications:
        ids_by_kind.setdefault(notification.target_kind, set()).add(notification.target_id)
    found: dict[tuple[str, int], object] = {}
    for kind, ids in ids_by_kind.items():
        registration = targets.by_kind(kind)
        if registration is None:
            continue
        for obj in registration.prepare(registration.visible_to(member).filter(pk__in=ids)):
            found[(kind, obj.pk)] = obj
    shown = []
    for notification in notifications:
        obj = found.get((notification.target_kind, notification.target_id))
        if obj is None:
            continue
        registration = targets.by_kind(notification.target_kind)
        notification.target, notification.registration = obj, registration
        notification.sentence = sentence(notification, obj, registration)
        notification.url = registration.url(obj)
        shown.append(notification)
    return shown


# --- E-mail -------------------------------------------------------------------------------------------------


def _headers(member, kinds: list[str], about=None) -> tuple[str, dict[str, str]]:
    link = unsubscribe_url(member, kinds)
    headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    if about is not None:
        headers.update(mail.about(about))
    return link, headers


def _message(notification, obj, registration) -> EmailMessage:
    member = notification.recipient
    notification.target, notification.registration = obj, registration
    link, headers = _headers(member, [notification.kind], about=obj)
    links = {
        "url": absolute_url(targets.exact_url(registration, obj)),
        "unsubscribe_url": link,
        "settings_url": absolute_url(reverse("notifications:settings")),
        "inbox_url": absolute_url(reverse("notifications:inbox")),
        "kind_label": Kind(notification.kind).label.lower(),
        "unfollow_url": None,
    }
    if notification.kind == Kind.FOLLOWED and registration.unfollow_url is not None:
        links["unfollow_url"] = registration.unfollow_url(obj, member)
    rendered = registration.render_mail(notification, links) if registration.render_mail else None
    if rendered is None:
        context = {"member": member, "sentence": sentence(notification, obj, registration), **links}
        rendered = (
            render_to_string("notifications/email/notification_subject.txt", context),
            render_to_string("notifications/email/notification_body.txt", context),
        )
    subject, body = rendered
    # A title may hold line breaks; a mail header may not.
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[member.email], headers=headers)


# --- The API ------------------------------------------------------------------------------------------------


def notify(recipient, kind: str, *, target, actor=None, note: str = "") -> Notification | None:
    """Tell `recipient` about `target` in the inbox (and by e-mail if they want it at once); see the module's
    docstring. Returns the notification, or None when nobody is told."""
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    registration = targets.of(target)
    if not registration.visible_to(recipient).filter(pk=target.pk).exists():
        return None  # a held post notifies nobody; neither does one the recipient may not read
    now = timezone.now()
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            recipient=recipient,
            kind=kind,
            target_kind=registration.kind,
            target_id=target.pk,
            defaults={"actor": actor, "note": note, "created_at": now},
        )
        if not created:
            if kind != Kind.DECISION:
                return notification  # already told: no second row, no second e-mail
            notification.actor, notification.note, notification.created_at = actor, note, now
            notification.read_at = notification.emailed_at = notification.digested_at = None
            notification.save(
                update_fields=["actor", "note", "created_at", "read_at", "emailed_at", "digested_at"]
            )
        if deliveries(recipient)[kind] == Delivery.IMMEDIATELY:
            notification.recipient = recipient
            get_connection().send_messages([_message(notification, target, registration)])
            notification.emailed_at = now
            notification.save(update_fields=["emailed_at"])
    return notification


def withdraw(target) -> int:
    """Take the replies, mentions and follow-ups about `target` out of every inbox, with their waiting
    e-mail. Returns how many notifications went."""
    mail.withdraw(target)
    gone = Notification.objects.about(target).exclude(kind=Kind.DECISION).delete()[0]
    return gone


def mark_read(member, pk: int) -> int:
    return Notification.objects.filter(recipient=member, pk=pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(member) -> int:
    return Notification.objects.filter(recipient=member, read_at__isnull=True).update(read_at=timezone.now())


# The header shows at most this; more reads as "99+".
UNREAD_SHOWN_MAX = 99


def unread_count(member) -> int:
    """How many unread notifications `member` can see, counting no further than UNREAD_SHOWN_MAX + 1."""
    unread = Notification.objects.for_member(member).unread().order_by().values("pk")
    return unread[: UNREAD_SHOWN_MAX + 1].count()


# --- The daily digest ---------------------------------------------------------------------------------------

# A notification waits at most this long for a digest: one made while its kind's e-mail was off is not sent
# weeks later because the member has since chosen the digest.
DIGEST_LOOKBACK = timezone.timedelta(days=2)


def send_digest(member, *, now=None) -> int:
    """One e-mail listing `member`'s notifications of their digest kinds that no e-mail told them of yet and
    that they can still see. Each goes in one digest only, even if two runs overlap (the rows are locked and
    marked in the transaction that queues the mail). Returns how many it listed."""
    now = now or timezone.now()
    kinds = [kind for kind, delivery in deliveries(member).items() if delivery == Delivery.DIGEST]
    if not kinds or not member.is_active:
        return 0
    with transaction.atomic():
        waiting = (
            Notification.objects.for_member(member)
            .filter(
                kind__in=kinds,
                emailed_at__isnull=True,
                digested_at__isnull=True,
                created_at__gte=now - DIGEST_LOOKBACK,
            )
            .select_for_update(of=("self",))
            .select_related("actor")
        )
        listed = with_targets(waiting, member)
        if not listed:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in listed]).update(digested_at=now)
        in_it = sorted({n.kind for n in listed})
        link, headers = _headers(member, in_it)
        context = {
            "member": member,
            "items": [
                (n.sentence, absolute_url(targets.exact_url(n.registration, n.target))) for n in listed
            ],
            "kind_labels": [Kind(kind).label.lower() for kind in in_it],
            "unsubscribe_url": link,
            "settings_url": absolute_url(reverse("notifications:settings")),
            "inbox_url": absolute_url(reverse("notifications:inbox")),
        }
        subject = render_to_string("notifications/email/digest_subject.txt", context)
        get_connection().send_messages(
            [
                EmailMessage(
                    subject=" ".join(subject.split()),
                    body=render_to_string("notifications/email/digest_body.txt", context),
                    to=[member.email],
                    headers=headers,
                )
            ]
        )
    logger.info("notification digest queued", extra={"member": member.pk, "count": len(listed)})
    return len(listed)


def send_digests(*, now=None) -> int:
    """Every member's digest (the worker's daily job). Returns how many e-mails were queued."""
    from django.contrib.auth import get_user_model

    now = now or timezone.now()
    waiting = Notification.objects.filter(
        emailed_at__isnull=True, digested_at__isnull=True, created_at__gte=now - DIGEST_LOOKBACK
    )
    member_ids = waiting.order_by().values("recipient_id").distinct()
    sent = 0
    for member in get_user_model().objects.filter(pk__in=member_ids, is_active=True).iterator():
        sent += bool(send_digest(member, now=now))
    return sent
