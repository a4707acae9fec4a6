"""Indexes that give a page of a thread's roots, and a member's public comments, in page order with the key as
tie-breaker (ldnsite.paging)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0008_comment_rendered_html'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='comment',
            name='comments_thread_roots_idx',
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['thread', 'depth', 'created_at', 'id'], name='comments_thread_roots_idx'),
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['author', 'status', '-created_at', '-id'], name='comments_author_idx'),
        ),
    ]
