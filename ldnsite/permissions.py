"""Create a named group with model permissions from a data migration (permissions may not exist yet)."""

from django.contrib.auth.management import create_permissions


def grant_group(apps, schema_editor, group_name: str, codenames: dict[str, list[str]]) -> None:
    """codenames maps an app label to permission codenames, e.g. {"articles": ["change_article"]}."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, names in codenames.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=names)
        )


def remove_group(apps, schema_editor, group_name: str) -> None:
    apps.get_model("auth", "Group").objects.filter(name=group_name).delete()


def revoke_group(apps, schema_editor, group_name: str, codenames: dict[str, list[str]]) -> None:
    """Undo grant_group for these permissions, keeping the group and anything else it holds."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=group_name).first()
    if group is None:
        return
    for app_label, names in codenames.items():
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=names)
        )
