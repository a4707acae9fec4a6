from django.db import migrations, models


class Migration(migrations.Migration):
    """Threads name their subject by kind and id only: the per-subject columns go."""

    dependencies = [
        ("comments", "0006_thread_subjects_copied"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="thread",
            name="article",
        ),
        migrations.RemoveField(
            model_name="thread",
            name="study",
        ),
        migrations.RemoveField(
            model_name="thread",
            name="testimonial",
        ),
        migrations.AlterField(
            model_name="thread",
            name="subject_kind",
            field=models.CharField(max_length=40),
        ),
        migrations.AlterField(
            model_name="thread",
            name="subject_id",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="thread",
            constraint=models.UniqueConstraint(
                fields=("subject_kind", "subject_id"), name="comments_thread_one_per_subject"
            ),
        ),
    ]
