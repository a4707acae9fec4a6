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


@functools.cache
def _member_sql(alias: str) -> tuple[str, tuple[str, ...]]:
    """The member's row with their permissions beside it, one row per permission (a single row of NULLs
    there without any), and the model fields the row's first columns hold."""
    table, column = quoted_names(alias)
    meta = get_user_model()._meta
    fields = tuple(field.attname for field in meta.concrete_fields)
    columns = ", ".join(f"u.{column(meta, field.name)}" for field in meta.concrete_fields)
    app_label, codename = column(ContentType._meta, "app_label"), column(Permission._meta, "codename")
    # Only quoted names go into the text; the member's id is passed as a parameter, three times.
    return (
        f"SELECT {columns}, perms.{app_label}, perms.{codename} "  # noqa: S608
        f"FROM {table(meta)} u LEFT JOIN ({_permissions_sql(alias)}) perms ON 1 = 1 "
        f"WHERE u.{column(meta, meta.pk.name)} = %s",
        fields,
    )


class ModelBackend(backends.ModelBackend):
    """Every page a member sees asks for their permissions (the header's moderation link, whether they are an
    editor who sees drafts). Django builds two ORM queries for that, and building them cost a fifth of a
    logged-in article page's time (sampled with py-spy, docs/performance.md); running the same question as
    one fixed SQL statement costs almost nothing. The rules are Django's: none for an inactive member, all
    for a superuser, the member's own and their groups' for everyone else, kept on the user object for the
    rest of the request (where allauth's backend, also a ModelBackend, finds them too).

    A member signed in through this backend is loaded with their permissions in the same statement
    (`get_user`), so a member's request asks the database for the session and then the member, nothing more.
    """

    def get_user(self, user_id):
        """Django's get_user (None for an unknown or inactive member), the permissions read along."""
        User = get_user_model()
        alias = router.db_for_read(User)
        sql, fields = _member_sql(alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id, user_id, user_id])
            rows = cursor.fetchall()
        if not rows:
            return None
        # The values as the ORM would hand them over (SQLite returns times as text, for one).
        values = list(rows[0][: len(fields)])
        for index, field in enumerate(User._meta.concrete_fields):
            column = field.cached_col
            for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
                values[index] = convert(values[index], column, connection)
        user = User.from_db(alias, fields, values)
        if not user.is_superuser:  # a superuser's are every permission: get_all_permissions reads them
            user._perm_cache = {f"{app_label}.{codename}" for *_, app_label, codename in rows if codename}
        return user if self.user_can_authenticate(user) else None

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
