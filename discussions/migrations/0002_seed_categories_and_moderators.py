from django.db import migrations

from ldnsite.permissions import grant_group, revoke_group

CATEGORIES = [
    # (order, slug, name, short description)
    (10, "starting-ldn", "Starting LDN", "Questions and experiences from the first weeks and months."),
    (20, "side-effects", "Side effects", "Sleep, dreams, headaches and anything else members noticed."),
    (30, "dosing-and-timing", "Dosing and timing", "Doses, titration and the time of day members take it."),
    (40, "talking-to-your-doctor", "Talking to your doctor", "Asking for a prescription, and what doctors said."),
    (50, "living-with-ms", "Living with MS on LDN", "Daily life, other treatments, work and family."),
]
MODERATOR_PERMISSIONS = {"discussions": ["moderate_topic", "view_topic", "view_topicreport"]}


def seed(apps, schema_editor):
    Category = apps.get_model("discussions", "Category")
    for order, slug, name, description in CATEGORIES:
        Category.objects.update_or_create(slug=slug, defaults={"name": name, "description": description,
                                                               "order": order})  # fmt: skip
    grant_group(apps, schema_editor, "Moderators", MODERATOR_PERMISSIONS)


def unseed(apps, schema_editor):
    revoke_group(apps, schema_editor, "Moderators", MODERATOR_PERMISSIONS)
    Category = apps.get_model("discussions", "Category")
    Category.objects.filter(slug__in=[slug for _order, slug, _name, _description in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0001_categories_topics_reports"),
        ("moderation", "0002_moderators_group"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
