"""A member's topics and reports on topics are in their download and leave with their account: published
topics stay without the name if they chose so (as stories do); otherwise every topic goes with its thread."""

import pytest

from discussions.models import Topic, TopicReport
from ldnsite.comments.models import Comment
from tests.accounts.test_member_data import delete_account, download


@pytest.fixture(autouse=True)
def _no_hold(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False


@pytest.fixture
def leaver(make_user):
    return make_user(display_name="Leaving Lou", email="lou.private@example.org")


@pytest.fixture
def world(leaver, make_user, make_topic, make_comment):
    from discussions import moderation

    other = make_user(display_name="Staying Sam")
    published = make_topic(author=leaver, title="LOU-PUBLISHED-TOPIC", body="LOU-BODY")
    make_comment(published, other, "Sam's reply to Lou.")
    hidden = make_topic(author=leaver, title="LOU-HIDDEN-TOPIC", state="hidden")
    others_topic = make_topic(author=other, title="Sam's topic")
    moderation.report(others_topic, by=leaver, reason="spam", note="LOU-NOTE")
    return {"published": published, "hidden": hidden, "others_topic": others_topic, "other": other}


@pytest.mark.django_db
def test_download_holds_every_topic_and_report(client, leaver, world):
    _, data = download(client, leaver)
    assert [t["title"] for t in data["discussions"]] == ["LOU-PUBLISHED-TOPIC", "LOU-HIDDEN-TOPIC"]
    assert data["discussions"][1]["status"] == "hidden" and data["discussions"][1]["url"] is None
    assert [r["note"] for r in data["topic_reports"]] == ["LOU-NOTE"]


@pytest.mark.django_db
def test_deleting_everything_takes_every_topic_with_its_thread(client, leaver, world):
    delete_account(client, leaver, experiences="delete")
    assert not Topic.objects.filter(title__startswith="LOU").exists()
    assert not Comment.objects.filter(body="Sam's reply to Lou.").exists()
    assert not TopicReport.objects.exists()
    assert Topic.objects.filter(pk=world["others_topic"].pk).exists()


@pytest.mark.django_db
def test_keeping_contributions_anonymised_keeps_published_topics_without_the_name(client, leaver, world):
    delete_account(client, leaver, experiences="anonymise")
    published = Topic.objects.get(pk=world["published"].pk)
    assert published.author is None
    assert not Topic.objects.filter(pk=world["hidden"].pk).exists()
    client.logout()
    html = client.get(published.get_absolute_url()).content.decode()
    assert "A former member" in html and "Leaving Lou" not in html
    assert "Sam&#x27;s reply to Lou." in html or "Sam's reply to Lou." in html
