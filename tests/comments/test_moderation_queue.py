import pytest

from ldnsite.comments import moderation
from ldnsite.comments.models import Comment, Thread
from ldnsite.moderation.models import ModerationEvent


@pytest.fixture
def held_comment(make_article, make_user):
    thread = Thread.objects.for_subject(make_article())
    return moderation.submit(thread, author=make_user(), body="HELD-QUEUE-MARKER")


@pytest.mark.django_db
def test_queue_is_for_moderators_only(client, member, held_comment):
    assert client.get("/moderation/").status_code == 302
    client.force_login(member)
    assert client.get("/moderation/").status_code == 403


@pytest.mark.django_db
def test_moderator_sees_held_comment_and_publishes_it(client, moderator, held_comment):
    client.force_login(moderator)
    queue = client.get("/moderation/").content.decode()
    assert "HELD-QUEUE-MARKER" in queue and f'name="seen" value="{held_comment.version}"' in queue

    response = client.post(f"/moderation/comments/{held_comment.pk}/publish/", {"seen": held_comment.version})

    held_comment.refresh_from_db()
    assert response.status_code == 302 and held_comment.is_published
    event = ModerationEvent.objects.get(action="publish")
    assert event.actor == moderator and event.from_state == "held"


@pytest.mark.django_db
def test_second_moderator_is_told_it_was_already_decided(client, moderator, held_comment, make_user):
    client.force_login(moderator)
    seen = {"seen": held_comment.version}
    client.post(f"/moderation/comments/{held_comment.pk}/publish/", seen)
    client.force_login(make_user(groups=["Moderators"], is_staff=True))

    response = client.post(f"/moderation/comments/{held_comment.pk}/publish/", seen, follow=True)

    assert "already decided by another moderator" in response.content.decode()
    assert ModerationEvent.objects.filter(action="publish").count() == 1


@pytest.mark.django_db
def test_removal_needs_a_reason(client, moderator, held_comment):
    client.force_login(moderator)

    seen = held_comment.version
    client.post(f"/moderation/comments/{held_comment.pk}/remove/", {"reason": "", "seen": seen})
    held_comment.refresh_from_db()
    assert held_comment.status == Comment.Status.HELD

    client.post(
        f"/moderation/comments/{held_comment.pk}/remove/", {"reason": "Advertises a pharmacy", "seen": seen}
    )
    held_comment.refresh_from_db()
    assert held_comment.status == Comment.Status.REMOVED
    assert ModerationEvent.objects.get(action="remove").reason == "Advertises a pharmacy"


@pytest.mark.django_db
def test_decisions_need_post(client, moderator, held_comment):
    client.force_login(moderator)

    assert client.get(f"/moderation/comments/{held_comment.pk}/publish/").status_code == 405
    held_comment.refresh_from_db()
    assert held_comment.status == Comment.Status.HELD
