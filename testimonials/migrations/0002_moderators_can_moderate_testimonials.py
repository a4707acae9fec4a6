from django.db import migrations

from ldnsite.permissions import grant_group, revoke_group

MODERATOR_PERMISSIONS = {
    "testimonials": [
        "moderate_testimonial", "view_testimonial", "view_testimonialrevision",
    ],
}  # fmt: skip


def grant(apps, schema_editor):
    grant_group(apps, schema_editor, "Moderators", MODERATOR_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_group(apps, schema_editor, "Moderators", MODERATOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("testimonials", "0001_testimonials_revisions_consent"),
        ("moderation", "0002_moderators_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
