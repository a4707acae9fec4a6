"""The privileges a request acts with: what it may see and do beyond an ordinary member.

Holding a permission (the Moderators or Editors group, staff, a superuser) is not enough. It counts only in a
session that has passed two-factor since login; until then the person is an ordinary member everywhere: no
drafts, no pending or rejected stories, no hidden comments, no editor's upload, no moderation. Every check of
extra sight or power asks `privileges(request)` rather than `request.user.has_perm()`, and the visibility
querysets take its answer, so a phished password opens a member's account and nothing more.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest

from .mfa import holds_privileges, session_used_mfa

# What makes a moderator: a permission that some section of the moderator queue needs. The queue
# (ldnsite.moderation.queue) adds each registered section's permission; the apps that own them spell them.
_moderator_permissions: set[str] = set()
# What makes an editor: a permission that an app whose content editors write registers in its
# AppConfig.ready() (articles: changing an article). Shared code asks is_editor, never a permission string.
_editor_permissions: set[str] = set()


def add_moderator_permission(permission: str) -> None:
    """Whoever holds `permission` is a moderator (of what the sections that need it list)."""
    _moderator_permissions.add(permission)


def forget_moderator_permissions() -> None:
    """For the moderator queue's clear(): the permissions come back with the sections registered again."""
    _moderator_permissions.clear()


def add_editor_permission(permission: str) -> None:
    """Whoever holds `permission` is an editor: drafts, the editor's upload, the pages as editors see them."""
    _editor_permissions.add(permission)


def is_moderator(user) -> bool:
    """A moderator on paper: an active account holding a moderator's permission. What a request may see or
    do with it is decided by privileges(request), which also asks for a two-factor session."""
    return _holds(user, *_moderator_permissions)


def _holds(user, *permissions: str) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return any(user.has_perm(permission) for permission in permissions)


@dataclass(frozen=True)
class Privileges:
    """Who acts and which permissions count for them in this request."""

    user: object
    permissions: frozenset[str] = frozenset()
    # The account holds privileges that this session may not use until it passes two-factor.
    withheld: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user.is_authenticated

    def has(self, permission: str) -> bool:
        return permission in self.permissions

    def has_any(self, *permissions: str) -> bool:
        return any(permission in self.permissions for permission in permissions)

    @property
    def is_moderator(self) -> bool:
        return self.has_any(*_moderator_permissions)

    @property
    def is_editor(self) -> bool:
        return self.has_any(*_editor_permissions)


def as_member(user) -> Privileges:
    """A member's reach and nothing more: for code without a request (commands, mail)."""
    return Privileges(user)


def privileges(request: HttpRequest) -> Privileges:
    """The request's privileges, worked out once per request."""
    known = getattr(request, "_privileges", None)
    if known is not None:
        return known
    user = request.user
    if not holds_privileges(user):
        known = as_member(user)
    elif settings.STAFF_MFA_REQUIRED and not session_used_mfa(request):
        known = Privileges(user, withheld=True)
    else:
        known = Privileges(user, frozenset(user.get_all_permissions()))
    request._privileges = known
    return known


def privilege_required(*permissions: str) -> Callable:
    """Only for a signed-in member acting with one of these permissions (else 403): a withheld session on a
    staff page was already sent to two-factor by ldnsite.mfa.StaffMFAMiddleware."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not privileges(request).has_any(*permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def moderator_required(view: Callable) -> Callable:
    """privilege_required for any moderator's permission: the queue's sections are registered after import."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not privileges(request).is_moderator:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class AuthoredQuerySet(models.QuerySet):
    """What members write and moderators review (stories, topics...). A subclass names its `public()` door
    and the permission that lets a moderator see every row (`moderate_permission`)."""

    moderate_permission = ""

    def public(self):
        raise NotImplementedError

    def visible_to(self, privileges: Privileges):
        """Public ones for everyone; the author's own in any state; everything for a moderator acting with
        their privileges."""
        if privileges.has(self.moderate_permission):
            return self.all()
        if privileges.is_authenticated:
            return self.public() | self.filter(author=privileges.user)
        return self.public()
