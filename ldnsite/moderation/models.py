import logging

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

audit = logging.getLogger("ldnsite.audit")


class ModerationEvent(models.Model):
    """One entry in the append-only log of state changes: who moved what, from where to where, and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="moderation_event_target_idx")]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state or '—'} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Moderation events are append-only.")
        super().save(*args, **kwargs)


def record(target: models.Model, *, actor, action: str, from_state: str, to_state: str, reason: str = ""):
    """Append one event to the log; callers are the transition functions in each app's moderation.py.

    The audit line names ids and states only: the reason may quote member text, so only whether one was
    given is logged.
    """
    event = ModerationEvent.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )
    audit.info(
        "moderation action=%s actor=%s target=%s:%s from=%s to=%s reason_given=%s",
        action, getattr(actor, "pk", None) or "-", target._meta.label_lower, target.pk,
        from_state or "-", to_state, "yes" if reason else "no",
    )  # fmt: skip
    return event
