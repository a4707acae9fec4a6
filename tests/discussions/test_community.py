"""Topics with the community features of issue 18: helpful marks, mentions in a topic's text, decisions in
the author's inbox. Through HTTP where a member would act."""

import pytest

from discussions import moderation
from discussions.models import Topic
from ldnsite.comments.models import Comment, Thread
from ldnsite.comments.texts import text_fields
from ldnsite.helpful import marks
from ldnsite.notifications.models import Notification

NEW = "/discussions/new/"


@pytest.fixture
def uncached(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0


def helpful_url(topic) -> str:
    return f"/helpful/topic/{topic.pk}/"


@pytest.mark.django_db
def test_a_member_marks_a_topic_helpful_once_and_the_count_shows(client, make_topic, make_user, uncached):
    topic = make_topic()
    client.force_login(make_user())

    client.post(helpful_url(topic), {"action": "mark"})
    client.post(helpful_url(topic), {"action": "mark"})

    assert marks.counts_for([topic]) == {("topic", topic.pk): 1}
    assert "helpful (1)" in client.get("/discussions/").content.decode()
    assert 'aria-pressed="true"' in client.get(topic.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_author_cannot_mark_their_own_topic_nor_anyone_a_held_one(client, make_topic, make_user):
    author = make_user()
    topic = make_topic(author=author)
    client.force_login(author)
    assert client.post(helpful_url(topic), {"action": "mark"}).status_code == 403

    held = make_topic(state="held")
    client.force_login(make_user())
    assert client.post(helpful_url(held), {"action": "mark"}).status_code == 404
    assert marks.counts_for([topic, held]) == {}


@pytest.mark.django_db
def test_most_helpful_topics_come_first(client, make_topic, make_user, uncached):
    quiet = make_topic(title="Quiet topic")
    liked = make_topic(title="Liked topic", minutes_ago=600)
    for _ in range(2):
        marks.mark(liked, by=make_user())

    newest = client.get("/discussions/").content.decode()
    helpful = client.get("/discussions/?sort=helpful").content.decode()

    assert newest.index(quiet.title) < newest.index(liked.title)
    assert helpful.index(liked.title) < helpful.index(quiet.title)


@pytest.mark.django_db
def test_topic_page_with_200_marked_replies_costs_the_same_as_with_2(
    client, make_topic, make_user, django_assert_max_num_queries, uncached
):
    small, busy = make_topic(title="Small"), make_topic(title="Busy")
    reader, marker = make_user(), make_user()
    for topic, n in ((small, 2), (busy, 200)):
        thread = Thread.objects.for_subject(topic)
        replies = Comment.objects.bulk_create(
            Comment(
                thread=thread, author=make_user(), status=Comment.Status.PUBLISHED, **text_fields(f"R {i}")
            )
            for i in range(n)
        )
        for reply in replies[:20]:
            marks.mark(reply, by=marker)
        marks.mark(replies[0], by=reader)
        marks.mark(topic, by=reader)
    client.force_login(reader)

    with django_assert_max_num_queries(30) as few:
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(busy.get_absolute_url()).content.decode()
    assert html.count('aria-pressed="true"') == 2  # the topic and the one reply this reader marked


@pytest.mark.django_db
def test_a_topic_tells_the_members_it_mentions_only_once_it_is_published(
    client, make_user, make_article, moderator
):
    ada = make_user(display_name="Ada Lovelace")
    newcomer = make_user()
    client.force_login(newcomer)
    category = "side-effects"
    response = client.post(
        NEW, {"title": "Dreams", "category": category, "body": "What do you think, @Ada Lovelace?"}
    )
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert topic.status == Topic.Status.HELD
    assert f"@[{ada.pk}]" in topic.body  # a stable reference, not the name
    assert not Notification.objects.filter(recipient=ada).exists()  # held: nobody hears of it yet

    moderation.approve(topic, by=moderator)

    told = Notification.objects.get(recipient=ada)
    assert (told.kind, told.actor) == ("mention", newcomer)
    client.force_login(ada)
    assert topic.title in client.get("/notifications/").content.decode()
    assert ">Ada Lovelace<" in client.get(topic.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_hiding_a_topic_takes_its_mentions_out_of_inboxes_and_tells_the_author(
    make_topic, make_user, moderator
):
    ada = make_user(display_name="Ada Lovelace")
    author = make_user()
    topic = make_topic(author=author, body=f"Thanks @[{ada.pk}]")
    assert Notification.objects.filter(recipient=ada, kind="mention").exists()

    moderation.hide(topic, by=moderator, reason="Checking a claim.")

    assert not Notification.objects.filter(recipient=ada).exists()
    decision = Notification.objects.filter(recipient=author, kind="decision").latest("pk")
    assert decision.note == "hide"
