from django.db import migrations

from ldnsite.permissions import grant_group, remove_group

MODERATOR_PERMISSIONS = {"moderation": ["view_moderationevent"]}


def create_moderators(apps, schema_editor):
    grant_group(apps, schema_editor, "Moderators", MODERATOR_PERMISSIONS)


def delete_moderators(apps, schema_editor):
    remove_group(apps, schema_editor, "Moderators")


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_moderation_event_log"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_moderators, delete_moderators)]
