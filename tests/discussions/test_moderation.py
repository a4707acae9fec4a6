"""Moderating topics: every decision through discussions.moderation, logged once, refused when it does not
apply; the queue shows held and reported topics; lock refuses replies; moving between categories; one report
per member per topic; the author is told by e-mail."""

import pytest

from discussions import moderation
from discussions.models import Category, Topic, TopicReport
from ldnsite.moderation.exceptions import InvalidTransition, OwnContent
from ldnsite.moderation.models import ModerationEvent

QUEUE = "/moderation/"


def events(topic) -> list[tuple[str, str, str]]:
    return list(
        ModerationEvent.objects.filter(content_type__model="topic", object_id=topic.pk)
        .order_by("pk")
        .values_list("action", "from_state", "to_state")
    )


@pytest.mark.django_db
def test_a_held_topic_waits_in_the_queue_and_approving_it_publishes_and_tells_the_author(
    client, moderator, make_topic, mailoutbox, django_capture_on_commit_callbacks
):
    topic = make_topic(state="held", title="Held question")
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert 'id="held-topics"' in html and "Held question" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/moderation/topics/{topic.pk}/approve/")
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.status == Topic.Status.PUBLISHED
    assert events(topic) == [("submit", "", "held"), ("approve", "held", "published")]
    assert len(mailoutbox) == 1
    assert "is published" in mailoutbox[0].subject
    assert mailoutbox[0].to == [topic.author.email]


@pytest.mark.django_db
def test_rejecting_needs_a_reason_that_the_author_reads(
    client, moderator, make_topic, mailoutbox, django_capture_on_commit_callbacks
):
    topic = make_topic(state="held")
    client.force_login(moderator)
    client.post(f"/moderation/topics/{topic.pk}/reject/", {"reason": ""})
    topic.refresh_from_db()
    assert topic.status == Topic.Status.HELD
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/moderation/topics/{topic.pk}/reject/", {"reason": "It names a pharmacy."})
    topic.refresh_from_db()
    assert topic.status == Topic.Status.REJECTED
    assert "It names a pharmacy." in mailoutbox[0].body
    author = client.__class__()
    author.force_login(topic.author)
    html = author.get(topic.get_absolute_url()).content.decode()
    assert "Not approved" in html and "It names a pharmacy." in html


@pytest.mark.django_db
def test_hide_restore_and_remove_from_the_topic_page_are_each_logged(client, moderator, make_topic):
    topic = make_topic()
    client.force_login(moderator)
    url = f"/discussions/{topic.pk}/moderate/"
    client.post(url + "hide/", {"reason": ""})  # refused: no reason
    assert Topic.objects.get(pk=topic.pk).status == Topic.Status.PUBLISHED
    client.post(url + "hide/", {"reason": "Checking a dosing claim."})
    assert Topic.objects.get(pk=topic.pk).status == Topic.Status.HIDDEN
    client.post(url + "restore/")
    assert Topic.objects.get(pk=topic.pk).status == Topic.Status.PUBLISHED
    client.post(url + "remove/", {"reason": "Selling."})
    assert Topic.objects.get(pk=topic.pk).status == Topic.Status.REMOVED
    response = client.post(url + "restore/", follow=True)
    assert "could not be changed" in response.content.decode()
    assert [action for action, _from, _to in events(topic)] == [
        "submit", "approve", "hide", "restore", "remove",
    ]  # fmt: skip


@pytest.mark.django_db
def test_members_and_moderators_without_two_factor_cannot_moderate(client, make_user, make_topic):
    topic = make_topic()
    client.force_login(make_user())
    assert client.post(f"/discussions/{topic.pk}/moderate/hide/", {"reason": "x"}).status_code == 403
    assert client.post(f"/moderation/topics/{topic.pk}/remove/", {"reason": "x"}).status_code == 403
    assert Topic.objects.get(pk=topic.pk).status == Topic.Status.PUBLISHED


@pytest.mark.django_db
def test_nobody_decides_on_their_own_topic(moderator, make_topic, other_moderator):
    topic = make_topic(author=moderator)  # a moderator's topic is published straight away
    assert topic.status == Topic.Status.PUBLISHED
    with pytest.raises(OwnContent):
        moderation.hide(topic, by=moderator, reason="Mine.")
    moderation.hide(topic, by=other_moderator, reason="Checking.")


@pytest.mark.django_db
def test_a_locked_topic_refuses_replies_and_says_so(client, moderator, make_topic, make_user):
    topic = make_topic()
    client.force_login(moderator)
    client.post(f"/discussions/{topic.pk}/moderate/lock/")
    assert Topic.objects.get(pk=topic.pk).is_locked
    reader = make_user()
    client.force_login(reader)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "closed to new replies" in html
    assert f'action="/comments/topic/{topic.pk}/new/"' not in html
    response = client.post(
        f"/comments/topic/{topic.pk}/new/",
        {"body": "Sneaky reply", "token": "00000000-0000-0000-0000-000000000001"},
    )
    assert response.status_code == 403
    client.force_login(moderator)
    client.post(f"/discussions/{topic.pk}/moderate/unlock/")
    assert not Topic.objects.get(pk=topic.pk).is_locked
    assert [a for a, _f, _t in events(topic)][-2:] == ["lock", "unlock"]
    with pytest.raises(InvalidTransition):
        moderation.unlock(topic, by=moderator)


@pytest.mark.django_db
def test_moving_a_topic_changes_its_category_and_is_logged(client, moderator, make_topic):
    topic = make_topic()
    client.force_login(moderator)
    client.post(f"/discussions/{topic.pk}/moderate/move/", {"category": "dosing-and-timing"})
    topic.refresh_from_db()
    assert topic.category == Category.objects.get(slug="dosing-and-timing")
    assert events(topic)[-1] == ("move", "side-effects", "dosing-and-timing")
    html = client.get("/discussions/", {"category": "dosing-and-timing"}).content.decode()
    assert topic.title in html


@pytest.mark.django_db
def test_a_member_reports_a_topic_once_and_it_waits_in_the_queue(client, make_user, make_topic, moderator):
    topic = make_topic(title="Buy it here")
    reporter = make_user()
    client.force_login(reporter)
    url = f"/discussions/{topic.pk}/report/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "selling", "note": "A shop link."})
    response = client.post(url, {"reason": "spam"}, follow=True)
    assert "already reported" in response.content.decode()
    assert TopicReport.objects.filter(topic=topic).count() == 1

    client.force_login(topic.author)
    assert client.get(url).status_code == 404  # not one's own

    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert 'id="reported-topics"' in html and "A shop link." in html
    client.post(f"/moderation/topics/{topic.pk}/dismiss/", {"reason": "Fine."})
    assert TopicReport.objects.get().outcome == TopicReport.Outcome.DISMISSED
    assert "A shop link." not in client.get(QUEUE).content.decode()


@pytest.mark.django_db
def test_two_moderators_deciding_at_once_one_wins(client, moderator, other_moderator, make_topic):
    topic = make_topic(state="held")
    moderation.approve(topic, by=other_moderator)
    client.force_login(moderator)
    response = client.post(f"/moderation/topics/{topic.pk}/reject/", {"reason": "No."}, follow=True)
    assert "already decided" in response.content.decode()
    assert Topic.objects.get(pk=topic.pk).status == Topic.Status.PUBLISHED


@pytest.mark.django_db
def test_dismissing_needs_open_reports_and_removing_upholds_them(moderator, make_topic, make_user):
    topic = make_topic()
    with pytest.raises(InvalidTransition):
        moderation.dismiss(topic, by=moderator, reason="Nothing to dismiss.")
    moderation.report(topic, by=make_user(), reason="selling")
    moderation.remove(topic, by=moderator, reason="Selling LDN.")
    assert TopicReport.objects.get().outcome == TopicReport.Outcome.UPHELD
    assert [action for action, _f, _t in events(topic)] == ["submit", "approve", "remove"]
