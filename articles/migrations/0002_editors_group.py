from django.db import migrations

from ldnsite.permissions import grant_group, remove_group

EDITOR_PERMISSIONS = {
    "articles": [
        f"{action}_{model}"
        for model in ("article", "study", "resource")
        for action in ("add", "change", "delete", "view")
    ],
}


def create_editors(apps, schema_editor):
    grant_group(apps, schema_editor, "Editors", EDITOR_PERMISSIONS)


def delete_editors(apps, schema_editor):
    remove_group(apps, schema_editor, "Editors")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_studies_articles_resources"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, delete_editors)]
