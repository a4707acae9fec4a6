"""Starting a topic: verified members only, a new member's first topic held (and said so before they post),
a daily limit, errors that keep the text, and a form sent twice making one topic."""

import re
import uuid

import pytest

from discussions.models import Topic
from ldnsite.comments.models import Comment, Subscription, Thread
from ldnsite.moderation.models import ModerationEvent

NEW = "/discussions/new/"


def form(**fields) -> dict:
    return {
        "title": "Vivid dreams in week one",
        "category": "side-effects",
        "body": "Did anyone else get *very* vivid dreams?",
        "token": str(uuid.uuid4()),
        **fields,
    }


@pytest.fixture
def known_member(make_user, make_article, make_comment):
    """A member with a published comment: their topics go straight up."""
    member = make_user()
    make_comment(make_article(published=False), member, "Earlier.", status=Comment.Status.PUBLISHED)
    return member


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(NEW)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_unverified_members_are_asked_to_confirm_their_address(client, make_user):
    client.force_login(make_user(verified=False))
    assert client.get(NEW).status_code == 403
    response = client.post(NEW, form())
    assert response.status_code == 403
    assert "confirm your e-mail address" in response.content.decode()
    assert not Topic.objects.exists()


@pytest.mark.django_db
def test_a_new_members_first_topic_is_held_and_they_are_told_before_posting(client, make_user):
    member = make_user()
    client.force_login(member)
    assert "Your first topic is read by a moderator" in client.get(NEW).content.decode()
    response = client.post(NEW, form(), follow=True)
    topic = Topic.objects.get()
    assert topic.status == Topic.Status.HELD
    html = response.content.decode()
    assert "waits for a moderator" in html
    assert "Waiting for a moderator" in html  # the author sees their held topic with its status
    assert ModerationEvent.objects.filter(action="submit", object_id=topic.pk, to_state="held").count() == 1


@pytest.mark.django_db
def test_a_known_members_topic_is_published_and_they_follow_its_thread(
    client, known_member, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(known_member)
    assert "Your first topic is read" not in client.get(NEW).content.decode()
    client.post(NEW, form())
    topic = Topic.objects.get()
    assert topic.status == Topic.Status.PUBLISHED
    thread = Thread.objects.of(topic).get()
    assert Subscription.objects.filter(thread=thread, member=known_member).exists()

    # A reply reaches the author's inbox through the comments app's reply notifications (by e-mail in the
    # daily digest, their default for discussions they follow).
    replier = make_user()
    from ldnsite.comments import moderation as comment_moderation

    Comment.objects.create(thread=thread, author=replier, body="x", status=Comment.Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderation.submit(thread, author=replier, body="Yes, they faded after two weeks.")
    from ldnsite.notifications.models import Notification

    told = Notification.objects.filter(recipient=known_member, kind="followed", actor=replier)
    assert told.count() == 1
    assert topic.title in client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_errors_keep_the_text(client, known_member):
    client.force_login(known_member)
    response = client.post(NEW, form(title="", body="My carefully written question about dosing."))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give your topic a short title." in html
    assert "My carefully written question about dosing." in html
    response = client.post(NEW, form(category="nonsense", body="Kept text two."))
    assert response.status_code == 400
    assert "Choose one of the categories" in response.content.decode()
    response = client.post(NEW, form(body="x" * 10_001))
    assert response.status_code == 400
    assert "the limit is 10,000 characters" in response.content.decode()
    assert not Topic.objects.exists()


@pytest.mark.django_db
def test_the_same_form_sent_twice_makes_one_topic(client, known_member):
    client.force_login(known_member)
    data = form()
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert Topic.objects.count() == 1
    assert first["Location"] == second["Location"] == Topic.objects.get().get_absolute_url()


@pytest.mark.django_db
def test_a_daily_limit_keeps_the_text(client, known_member, settings):
    settings.DISCUSSIONS_TOPICS_PER_DAY = 2
    settings.DISCUSSIONS_TOPICS_PER_DAY_NEW_MEMBER = 2
    client.force_login(known_member)
    for n in range(2):
        assert client.post(NEW, form(title=f"Topic {n}")).status_code == 302
    response = client.post(NEW, form(title="One too many", body="This text must survive the limit."))
    assert response.status_code == 429
    html = response.content.decode()
    assert "This text must survive the limit." in html
    assert re.search(r"up to 2 topics a day", html)
    assert Topic.objects.count() == 2
