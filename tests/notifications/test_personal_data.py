"""A member's notifications and e-mail choices: in their download, gone with their account; and gone with
the content they are about."""

import json

import pytest
from django.contrib.auth import get_user_model

from ldnsite.notifications import targets
from ldnsite.notifications.models import EmailPreference, Notification
from testimonials import moderation as story_moderation
from tests.accounts.test_member_data import log_in_with_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(article, ada, bo, make_comment, browser_of):
    """Ada with a reply in her inbox and a choice of her own."""
    root = make_comment(article, ada, "Ada asks")
    make_comment(article, bo, "Bo answers", parent=root)
    browser_of(ada).post(
        "/notifications/settings/",
        {"reply": "digest", "mention": "immediately", "followed": "off", "decision": "immediately"},
    )
    return ada


def test_the_download_holds_the_notifications_and_choices_without_others_words(client, told):
    log_in_with_password(client, told)
    data = json.loads(client.post("/accounts/export/").content)

    mine = data["notifications"]
    assert mine["email_preferences"]["reply"] == "digest" and mine["email_preferences"]["followed"] == "off"
    [item] = mine["items"]
    assert item["kind"] == "reply" and item["about"]["kind"] == "comment"
    text = json.dumps(mine)
    assert "Bo" not in text and "Bo answers" not in text and "bo.inbox" not in text


def test_they_go_with_the_account(client, told):
    log_in_with_password(client, told)
    client.post("/accounts/delete/", {"experiences": "delete", "confirm": told.display_name})

    assert not get_user_model().objects.filter(pk=told.pk).exists()
    assert not Notification.objects.exists() and not EmailPreference.objects.exists()


def test_notifications_about_deleted_content_go_too(ada, moderator, make_testimonial):
    story = make_testimonial(state="pending", author=ada)
    story_moderation.approve(story, by=moderator)
    assert Notification.objects.filter(recipient=ada, target_kind="testimonial").exists()

    story_moderation.delete(story, by=ada)

    assert not Notification.objects.filter(target_kind="testimonial", target_id=story.pk).exists()


def test_a_model_can_be_registered_only_once():
    from testimonials.models import Testimonial

    with pytest.raises(ValueError):
        targets.register(Testimonial, kind="another-word", visible_to=None, title=str, url=str)
