"""What the notifications app learns from the apps whose content a notification can be about, without
importing them.

An app registers each such model in its AppConfig.ready():

    targets.register(Comment, kind="comment", visible_to=..., title=..., url=...)

- ``kind``: a stable word stored in Notification.target_kind (never changes once used);
- ``visible_to(member)``: the queryset of these objects the member may see now: the model's public door,
  plus the member's own content where a decision about it is to reach them. The inbox, the unread count, the
  digest and the export show a notification only while its target is in it (one subquery per kind);
- ``title(obj)``: what the notification names ("LDN and fatigue"); plain text, escaped where shown;
- ``url(obj)``: where the notification leads (a path on this site), cheap: worked out for every row of a list
  or an export, from what ``prepare`` fetched;
- ``open_url(obj)``: optional, the exact address, which may cost a query (the page of comments holding a
  reply): where opening one notification leads, and the link in its e-mail. Default: ``url``;
- ``prepare(queryset)``: optional, the queryset with whatever ``title``/``url``/``actor_label`` read fetched
  along (select_related / prefetch_related), so that a page of the inbox costs one query per kind;
- ``actor_label(obj, notification)``: optional, the name the actor is shown under for this object (an
  anonymous story's author replying in its discussion is not named); default: the actor's display name;
- ``notes``: optional, the words shown for a decision's ``note`` ({"approved": "was published"});
- ``render_mail(notification, links)``: optional, returns (subject, body) of the e-mail for this object,
  when the app has words of its own to say (the reply's text, a rejection's reason). ``links`` holds
  ``url`` (absolute), ``unsubscribe_url``, ``settings_url`` and ``kind_label``. Default: a generic e-mail.
- ``unfollow_url(obj, member)``: optional, an absolute link that stops ``followed`` notifications about the
  thread this object is in, added to those e-mails.

Deleting a registered object deletes the notifications about it (pre_delete, as a CASCADE would).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.db.models.signals import pre_delete


def _same(queryset):
    return queryset


@dataclass(frozen=True)
class Target:
    model: type
    kind: str
    visible_to: Callable[[object], object]
    title: Callable[[object], str]
    url: Callable[[object], str]
    prepare: Callable[[object], object] = _same
    open_url: Callable[[object], str] | None = None
    actor_label: Callable[[object, object], str] | None = None
    notes: dict[str, str] = field(default_factory=dict)
    render_mail: Callable[[object, dict], tuple[str, str]] | None = None
    unfollow_url: Callable[[object, object], str | None] | None = None


_by_kind: dict[str, Target] = {}
_by_model: dict[type, Target] = {}


def register(model: type, *, kind: str, **rules) -> None:
    if kind in _by_kind or model in _by_model:
        raise ValueError(f"{model._meta.label} or the kind {kind!r} is already a notification target.")
    target = Target(model=model, kind=kind, **rules)
    _by_kind[kind] = target
    _by_model[model] = target
    pre_delete.connect(_forget, sender=model, dispatch_uid=f"notifications-target-{kind}")


def unregister(kind: str) -> None:
    """For tests that register a target of their own."""
    target = _by_kind.pop(kind)
    del _by_model[target.model]
    pre_delete.disconnect(sender=target.model, dispatch_uid=f"notifications-target-{kind}")


def registered() -> list[Target]:
    return list(_by_kind.values())


def by_kind(kind: str) -> Target | None:
    return _by_kind.get(kind)


def of(obj_or_model) -> Target:
    """The registration of an object (or its model); KeyError for a model nobody registered."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return _by_model[model._meta.concrete_model]


def visible_q(member) -> Q:
    """On Notification: its target is one `member` may see now (one subquery per registered kind)."""
    door = Q()
    for target in _by_kind.values():
        door |= Q(target_kind=target.kind, target_id__in=target.visible_to(member).values("pk"))
    return door if door else Q(pk__in=[])


def exact_url(registration: Target, obj) -> str:
    return (registration.open_url or registration.url)(obj)


def _forget(sender, instance, **kwargs) -> None:
    notification = apps.get_model("notifications", "Notification")
    notification.objects.filter(target_kind=of(sender).kind, target_id=instance.pk).delete()
