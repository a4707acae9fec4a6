"""Indexes that give the public list of stories, whole or filtered by type of MS, by what changed or by both,
in its order with the key as tie-breaker: a page and the capped count read the index, not the table."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('testimonials', '0004_report_counts'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='testimonial',
            name='testimonials_public_idx',
        ),
        migrations.AddIndex(
            model_name='testimonial',
            index=models.Index(fields=['status', '-approved_at', '-id'], name='testimonials_public_idx'),
        ),
        migrations.AddIndex(
            model_name='testimonial',
            index=models.Index(fields=['status', 'ms_type', '-approved_at', '-id'], name='testimonials_ms_type_idx'),
        ),
        migrations.AddIndex(
            model_name='testimonial',
            index=models.Index(fields=['status', 'change', '-approved_at', '-id'], name='testimonials_change_idx'),
        ),
        migrations.AddIndex(
            model_name='testimonial',
            index=models.Index(fields=['status', 'ms_type', 'change', '-approved_at', '-id'], name='testimonials_filters_idx'),
        ),
    ]
