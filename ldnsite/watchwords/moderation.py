"""Every change to the list of watched words and to the review of their matches. Each runs in one
transaction and writes one ModerationEvent; a changed list is dropped from the cache after the commit."""

from django.db import transaction
from django.utils import timezone

from ldnsite.moderation.exceptions import InvalidTransition
from ldnsite.moderation.models import record

from .matching import forget
from .models import WatchedWord, WatchedWordHit


def _state(word: WatchedWord) -> str:
    return f"{word.action}{'' if word.is_active else ', inactive'}"


def save_word(word: WatchedWord, *, by, before: str = "") -> WatchedWord:
    """A moderator adds or changes a watched word (`word` holds the new values; `before` the old state)."""
    is_new = word.pk is None
    with transaction.atomic():
        if is_new:
            word.created_by = by
        word.changed_by = by
        word.save()
        summary = f"{word.label} [{word.match_type}]: {word.pattern}"
        record(
            word, actor=by, action="add_watched_word" if is_new else "change_watched_word",
            from_state="" if is_new else before, to_state=_state(word), reason=summary[:1000],
        )  # fmt: skip
        forget()
    return word


def state_of(word: WatchedWord) -> str:
    return _state(word)


def mark_reviewed(hit: WatchedWordHit, *, by) -> WatchedWordHit:
    """A moderator has looked at a match that was shown at once (a flagged comment, a display name)."""
    with transaction.atomic():
        changed = WatchedWordHit.objects.filter(
            pk=hit.pk, needs_review=True, reviewed_at__isnull=True
        ).update(reviewed_at=timezone.now(), reviewed_by=by)
        if not changed:
            raise InvalidTransition(hit, "mark reviewed", "already reviewed")
        hit.refresh_from_db()
        record(hit, actor=by, action="review_watched_word_match", from_state="to review", to_state="reviewed")
    return hit
