"""Publishing transitions for articles and study summaries: the only code that changes their status."""

from django.db import models, transaction
from django.utils import timezone

from ldnsite.moderation.exceptions import InvalidTransition
from ldnsite.moderation.models import record

from .models import PublicationStatus

DRAFT = PublicationStatus.DRAFT
PUBLISHED = PublicationStatus.PUBLISHED


def _move(obj: models.Model, *, action: str, allowed_from: str, to: str, by, reason: str = ""):
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if locked.status != allowed_from:
            raise InvalidTransition(locked, action, locked.status)
        locked.status = to
        fields = ["status", "updated_at"]
        if to == PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
            fields.append("published_at")
        locked.save(update_fields=fields)
        record(locked, actor=by, action=action, from_state=allowed_from, to_state=to, reason=reason)
    obj.refresh_from_db()
    return obj


def publish(obj: models.Model, *, by):
    """A draft article or study summary becomes public; re-publishing keeps its first publication date."""
    return _move(obj, action="publish", allowed_from=DRAFT, to=PUBLISHED, by=by)


def unpublish(obj: models.Model, *, by, reason: str = ""):
    """A published article or study summary goes back to draft and leaves every public page."""
    return _move(obj, action="unpublish", allowed_from=PUBLISHED, to=DRAFT, by=by, reason=reason)
