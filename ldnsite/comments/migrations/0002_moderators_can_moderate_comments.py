from django.db import migrations

from ldnsite.permissions import grant_group

MODERATOR_PERMISSIONS = {
    "comments": ["moderate_comment", "view_comment", "view_report", "view_thread"],
}


def grant(apps, schema_editor):
    grant_group(apps, schema_editor, "Moderators", MODERATOR_PERMISSIONS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Moderators").first()
    if group is not None:
        codenames = MODERATOR_PERMISSIONS["comments"]
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_threads_comments_reports_subscriptions"),
        ("moderation", "0002_moderators_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
