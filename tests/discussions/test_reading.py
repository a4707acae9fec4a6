"""Reading discussions: the list, newest activity first and by category, and a topic with its thread, in a
number of queries that does not grow with topics or replies."""

import re

import pytest

from discussions.models import Category, Topic
from ldnsite.comments.models import Comment

LIST = "/discussions/"


@pytest.fixture
def uncached(settings):
    """Query counts are about rendering the page, not about the page cache serving it."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="/discussions/\d+/">([^<]+)</a>', html)


@pytest.mark.django_db
def test_list_shows_newest_activity_first_and_a_reply_moves_a_topic_up(
    client, make_topic, make_comment, make_user, django_capture_on_commit_callbacks
):
    old = make_topic(title="Old topic", minutes_ago=60)
    make_topic(title="Middle topic", minutes_ago=30)
    make_topic(title="New topic", minutes_ago=5)
    assert titles(client.get(LIST).content.decode()) == ["New topic", "Middle topic", "Old topic"]

    replier = make_user()
    make_comment(old, replier, "An earlier reply.", status=Comment.Status.PUBLISHED)  # a known member
    with django_capture_on_commit_callbacks(execute=True):  # the cached list is refreshed after the commit
        make_comment(old, replier, "Me too, it passed after two weeks.")
    assert titles(client.get(LIST).content.decode()) == ["Old topic", "New topic", "Middle topic"]


@pytest.mark.django_db
def test_a_held_reply_does_not_move_a_topic(client, make_topic, make_comment):
    old = make_topic(title="Old topic", minutes_ago=60)
    make_topic(title="New topic", minutes_ago=5)
    reply = make_comment(old, body="A first comment from a new member.")
    assert reply.status == Comment.Status.HELD
    assert titles(client.get(LIST).content.decode()) == ["New topic", "Old topic"]


@pytest.mark.django_db
def test_category_filter_shows_only_that_category(client, make_topic):
    dosing = Category.objects.get(slug="dosing-and-timing")
    make_topic(title="Morning or evening?", category=dosing)
    make_topic(title="Headaches")
    html = client.get(LIST, {"category": "dosing-and-timing"}).content.decode()
    assert titles(html) == ["Morning or evening?"]
    assert "Discussions: Dosing and timing" in html
    assert "1 topic in Dosing and timing" in " ".join(re.sub(r"<[^>]+>", " ", html).split())
    # An unknown category shows everything rather than an error.
    response = client.get(LIST, {"category": "no-such-thing"})
    assert response.status_code == 200
    assert set(titles(response.content.decode())) == {"Morning or evening?", "Headaches"}


@pytest.mark.django_db
def test_list_and_topic_carry_the_personal_experience_notice(client, make_topic):
    topic = make_topic()
    for url in (LIST, topic.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Personal experience — not medical evidence" in html


@pytest.mark.django_db
def test_list_costs_the_same_queries_for_2_and_50_topics(
    client, make_topic, make_user, django_assert_max_num_queries, uncached
):
    for n in range(2):
        make_topic(title=f"Topic {n}")
    with django_assert_max_num_queries(6) as few:
        client.get(LIST)
    for n in range(48):
        make_topic(title=f"More {n}", author=make_user())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(titles(response.content.decode())) == 20


def _replies(topic, n, make_user):
    from ldnsite.comments.models import Thread
    from ldnsite.comments.texts import text_fields

    thread = Thread.objects.for_subject(topic)
    member = make_user()
    Comment.objects.bulk_create(
        Comment(thread=thread, author=member, status=Comment.Status.PUBLISHED, **text_fields(f"Reply {i}"))
        for i in range(n)
    )


@pytest.mark.django_db
def test_topic_page_with_200_replies_costs_the_same_as_with_2(
    client, make_topic, make_user, django_assert_max_num_queries, uncached
):
    small, busy = make_topic(title="Small"), make_topic(title="Busy")
    _replies(small, 2, make_user)
    _replies(busy, 200, make_user)
    reader = make_user()
    client.force_login(reader)
    with django_assert_max_num_queries(30) as few:
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(busy.get_absolute_url())
    assert "Reply 19" in response.content.decode()


@pytest.mark.django_db
def test_topic_page_has_the_thread_and_reply_form_for_a_verified_member(client, make_topic, make_user):
    topic = make_topic(body="Has **anyone** tried taking it in the morning?")
    client.force_login(make_user())
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "<strong>anyone</strong>" in html
    assert f'action="/comments/topic/{topic.pk}/new/"' in html


@pytest.mark.django_db
def test_topic_body_is_rendered_only_through_the_markdown_renderer(client, make_topic):
    topic = make_topic(title="<script>alert(1)</script>", body="<img src=x onerror=alert(1)> hello")
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert Topic.objects.get(pk=topic.pk).title == "<script>alert(1)</script>"
