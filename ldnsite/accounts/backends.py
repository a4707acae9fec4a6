"""Django's model backend, reading a member's permissions with one fixed SQL statement (ldnsite.sql)."""

import functools

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router

from ldnsite.sql import quoted_names


@functools.cache
def _permissions_sql(alias: str) -> str:
    """The member's own permissions and their groups' as (app label, codename): plain SQL that SQLite and
    PostgreSQL both run, built once from the models' table and column names."""
    table, column = quoted_names(alias)
    User = get_user_model()
    own = User.user_permissions.through._meta
    member_groups = User.groups.through._meta
    group_permissions = Group.permissions.through._meta

    permission, content_type = Permission._meta, ContentType._meta
    # Only quoted table and column names go into the text; the member's id is passed as a parameter.
    return (
        f"SELECT ct.{column(content_type, 'app_label')}, p.{column(permission, 'codename')} "  # noqa: S608
        f"FROM {table(permission)} p JOIN {table(content_type)} ct "
        f"ON ct.{column(content_type, 'id')} = p.{column(permission, 'content_type')} "
        f"WHERE p.{column(permission, 'id')} IN ("
        f"SELECT {column(own, 'permission')} FROM {table(own)} WHERE {column(own, 'user')} = %s"
        f") OR p.{column(permission, 'id')} IN ("
        f"SELECT gp.{column(group_permissions, 'permission')} FROM {table(group_permissions)} gp "
        f"JOIN {table(member_groups)} mg "
        f"ON mg.{column(member_groups, 'group')} = gp.{column(group_permissions, 'group')} "
        f"WHERE mg.{column(member_groups, 'user')} = %s)"
    )


class ModelBackend(backends.ModelBackend):
    """Every page a member sees asks for their permissions (the header's moderation link, whether they are an
    editor who sees drafts). Django builds two ORM queries for that, and building them cost a fifth of a
    logged-in article page's time (sampled with py-spy, docs/performance.md); running the same question as
    one fixed SQL statement costs almost nothing. The rules are Django's: none for an inactive member, all
    for a superuser, the member's own and their groups' for everyone else, kept on the user object for the
    rest of the request (where allauth's backend, also a ModelBackend, finds them too)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                alias = router.db_for_read(Permission)
                with connections[alias].cursor() as cursor:
                    cursor.execute(_permissions_sql(alias), [user_obj.pk, user_obj.pk])
                    rows = cursor.fetchall()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
