from django.db import migrations

from ldnsite.permissions import grant_group

MODERATOR_PERMISSIONS = {
    "testimonials": [
        "moderate_testimonial", "view_testimonial", "view_testimonialrevision",
    ],
}  # fmt: skip


def grant(apps, schema_editor):
    grant_group(apps, schema_editor, "Moderators", MODERATOR_PERMISSIONS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Moderators").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="testimonials", codename__in=MODERATOR_PERMISSIONS["testimonials"]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("testimonials", "0001_testimonials_revisions_consent"),
        ("moderation", "0002_moderators_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
