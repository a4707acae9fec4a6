from django.db import migrations
from django.db.models import F

# The old column of each subject, and the kind it is registered under (the word in comment URLs).
KINDS = {"article": "article", "study": "study", "testimonial": "testimonial"}


def copy_subjects(apps, schema_editor):
    Thread = apps.get_model("comments", "Thread")
    for column, kind in KINDS.items():
        Thread.objects.filter(**{f"{column}__isnull": False}).update(
            subject_kind=kind, subject_id=F(f"{column}_id")
        )


def copy_subjects_back(apps, schema_editor):
    Thread = apps.get_model("comments", "Thread")
    for column, kind in KINDS.items():
        Thread.objects.filter(subject_kind=kind).update(**{f"{column}_id": F("subject_id")})


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_thread_subject_kind_and_id"),
    ]

    operations = [migrations.RunPython(copy_subjects, copy_subjects_back)]
