import pytest
from django.utils import timezone


@pytest.fixture
def category(db):
    from discussions.models import Category

    return Category.objects.get(slug="side-effects")


@pytest.fixture
def make_topic(request, make_user):
    """make_topic(state="published", author=None, title=..., body=..., category=None, minutes_ago=None) ->
    a topic taken where it is through discussions.moderation: submitted by author (else a new member whose
    topic would be held), then approved by the moderator fixture, or left "held", or "hidden" / "removed"
    after approval. minutes_ago moves its last activity back."""
    from discussions import moderation
    from discussions.models import Category, Topic

    def make(
        *, state="published", author=None, title="Vivid dreams in week one", body="Did anyone else get them?",
        category=None, minutes_ago=None,
    ):  # fmt: skip
        category = category or Category.objects.get(slug="side-effects")
        topic = moderation.submit(author=author or make_user(), title=title, category=category, body=body)
        moderator = request.getfixturevalue("moderator")
        if topic.status == Topic.Status.HELD and state != "held":
            moderation.approve(topic, by=moderator)
        if state == "hidden":
            moderation.hide(topic, by=moderator, reason="Checking a claim.")
        elif state == "removed":
            moderation.remove(topic, by=moderator, reason="Selling.")
        if minutes_ago is not None:
            Topic.objects.filter(pk=topic.pk).update(
                last_activity_at=timezone.now() - timezone.timedelta(minutes=minutes_ago)
            )
        topic.refresh_from_db()
        return topic

    return make
