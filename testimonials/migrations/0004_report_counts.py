"""The summary page's counters (testimonials.counts), filled from the stories already public."""

from django.db import migrations, models


def count_public_stories(apps, schema_editor):
    from testimonials.counts import tally  # reads the given queryset's values only: no model of today's

    Testimonial = apps.get_model("testimonials", "Testimonial")
    ReportCount = apps.get_model("testimonials", "ReportCount")
    counts = tally(Testimonial.objects.filter(status="approved"))
    ReportCount.objects.bulk_create([ReportCount(key=key, count=count) for key, count in sorted(counts.items())])


class Migration(migrations.Migration):
    dependencies = [("testimonials", "0003_search_document")]

    operations = [
        migrations.CreateModel(
            name="ReportCount",
            fields=[
                ("key", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("count", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(count_public_stories, migrations.RunPython.noop, elidable=True),
    ]
