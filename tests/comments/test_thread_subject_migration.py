"""Migrations 0005-0007 move every thread from its old per-subject column to subject_kind + subject_id: a
discussion written before them is still on its page after them (on SQLite and PostgreSQL alike)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from testimonials import moderation as testimonial_moderation
from tests.factories import story

BEFORE = [("comments", "0004_reports_weighed_and_dismissed_comment_versions_and_edits")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_discussions_written_before_the_generic_subject_stay_on_their_pages(
    client, make_article, make_study, make_user, moderator
):
    article, study = make_article(title="Old article"), make_study(title="Old study")
    story_ = testimonial_moderation.submit(author=make_user(), content=story(), is_carer=False)
    testimonial_moderation.approve(story_, by=moderator)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("comments")
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    OldThread, OldComment = old.get_model("comments", "Thread"), old.get_model("comments", "Comment")
    writer = make_user()
    for column, subject in (("article", article), ("study", study), ("testimonial", story_)):
        thread = OldThread.objects.create(**{f"{column}_id": subject.pk})
        OldComment.objects.create(
            thread=thread, author_id=writer.pk, body=f"OLD-ON-{column}", status="published"
        )

    migrate(latest)

    for column, subject in (("article", article), ("study", study), ("testimonial", story_)):
        assert f"OLD-ON-{column}" in client.get(subject.get_absolute_url()).content.decode()
    assert "OLD-ON-testimonial" in client.get(f"/members/{writer.pk}/").content.decode()
