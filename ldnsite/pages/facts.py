"""Figures the trust pages state, read from the code that enforces them, so the pages cannot drift from it.

Editors write the pages' prose; the privacy page's retention table and the guidelines' limits are drawn
from these values (templates/pages/includes/), never typed into the Markdown.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

from ldnsite.accounts import names
from ldnsite.drafts import ANONYMOUS_DRAFT_SECONDS
from ldnsite.mail.tasks import KEEP_SENT_DAYS


@dataclass(frozen=True)
class Retention:
    what: str
    kept: str
    seconds: int | None = None  # None: until the member removes it


def duration(seconds: int) -> str:
    """A period as people say it: "30 days", "2 weeks", "1 day", "10 minutes"."""
    for unit, size in (("week", 7 * 86_400), ("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size and seconds % size == 0 and not (unit == "week" and seconds // size > 4):
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


def _sweep_interval(task: str) -> int:
    for job in settings.CELERY_BEAT_SCHEDULE.values():
        if job["task"] == task:
            return int(job["schedule"])
    raise LookupError(f"No scheduled job runs {task}")


def retention() -> list[Retention]:
    """How long each kind of personal data is kept, from the settings and constants that decide it."""
    session = int(settings.SESSION_COOKIE_AGE)
    session_sweep = _sweep_interval("ldnsite.accounts.tasks.clear_expired_sessions")
    mail_days = timedelta(days=KEEP_SENT_DAYS)
    limit_periods = sorted({settings.CONTACT_RATE_PER_ADDRESS[1], settings.CONTACT_RATE_PER_IP[1]})
    return [
        Retention(
            "Your account: e-mail address, display name, password (stored only as a salted hash), "
            "two-factor keys",
            "Until you delete your account",
        ),
        Retention(
            "Your experiences, comments, reports and follows",
            "Until you delete them or your account",
        ),
        Retention(
            "The moderation log: each decision about a contribution (what, when, the moderator's reason)",
            "Kept as the site's record; once your account is deleted it no longer names you, and the "
            "contributions it was about are gone (or anonymised, if you chose to keep them)",
        ),
        Retention(
            "A signed-in session (the cookie that keeps you logged in)",
            f"{duration(session)} after you log in, then deleted within {duration(session_sweep)}",
            session,
        ),
        Retention(
            "Text you typed into a members' form while logged out, kept so that it is not lost",
            f"{duration(ANONYMOUS_DRAFT_SECONDS)}",
            ANONYMOUS_DRAFT_SECONDS,
        ),
        Retention(
            "E-mail we send or forward, including messages from the contact form",
            f"{duration(int(mail_days.total_seconds()))} after it is sent (or finally fails), then deleted",
            int(mail_days.total_seconds()),
        ),
        Retention(
            "An earlier display name, reserved so that nobody else can take it at once",
            f"{duration(int(names.RELEASE_AFTER.total_seconds()))} after you change it",
            int(names.RELEASE_AFTER.total_seconds()),
        ),
        Retention(
            "Counters of how often an address used the contact form or search (for rate limits)",
            " or ".join(duration(int(period)) for period in limit_periods) + ", then they expire",
            max(limit_periods),
        ),
    ]


@dataclass(frozen=True)
class Limit:
    what: str
    allowed: str


def _per(limit: tuple[int, int]) -> str:
    count, seconds = limit
    return f"{count} every {duration(seconds)}"


def limits() -> list[Limit]:
    """The limits the community guidelines describe, from the settings that enforce them."""
    new_days = settings.COMMENTS_NEW_MEMBER_DAYS
    first_comment = []
    if settings.COMMENTS_HOLD_FIRST_COMMENT:
        first_comment = [Limit("Your first comment", "waits for a moderator before anyone else sees it")]
    return [
        *first_comment,
        Limit(f"Comments, in your first {new_days} days", _per(settings.COMMENTS_RATE_NEW_MEMBER)),
        Limit("Comments, after that", _per(settings.COMMENTS_RATE_MEMBER)),
        Limit(
            f"Experiences sent, in your first {settings.TESTIMONIALS_NEW_MEMBER_DAYS} days",
            f"{settings.TESTIMONIALS_PER_DAY_NEW_MEMBER} a day",
        ),
        Limit("Experiences sent, after that", f"{settings.TESTIMONIALS_PER_DAY} a day"),
        Limit("Reports of comments", f"{settings.COMMENTS_REPORTS_PER_DAY} a day"),
        Limit(
            "Reports that hide a comment until a moderator looks",
            f"{settings.COMMENTS_REPORTS_TO_HIDE}, from members whose accounts are at least "
            f"{settings.COMMENTS_REPORTER_MIN_DAYS} days old and have an approved comment or experience",
        ),
    ]
