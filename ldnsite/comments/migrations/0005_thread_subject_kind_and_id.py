from django.db import migrations, models


class Migration(migrations.Migration):
    """The generic subject's columns, empty until 0006 fills them from the three old ones; the check that
    one of those is set goes, as they will."""

    dependencies = [
        ("comments", "0004_reports_weighed_and_dismissed_comment_versions_and_edits"),
    ]

    operations = [
        # Dropped first, so that going back re-creates it after 0006 has put the old columns back.
        migrations.RemoveConstraint(
            model_name="thread",
            name="comments_thread_exactly_one_subject",
        ),
        migrations.AddField(
            model_name="thread",
            name="subject_kind",
            field=models.CharField(max_length=40, null=True),
        ),
        migrations.AddField(
            model_name="thread",
            name="subject_id",
            field=models.PositiveBigIntegerField(null=True),
        ),
    ]
