from django.db import migrations

from ldnsite.permissions import grant_group, revoke_group

MODERATOR_PERMISSIONS = {
    "comments": ["moderate_comment", "view_comment", "view_report", "view_thread"],
}


def grant(apps, schema_editor):
    grant_group(apps, schema_editor, "Moderators", MODERATOR_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_group(apps, schema_editor, "Moderators", MODERATOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_threads_comments_reports_subscriptions"),
        ("moderation", "0002_moderators_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
