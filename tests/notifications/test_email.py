"""Notification e-mail through HTTP and the worker's jobs: at once in the transaction, the member's choice per
kind, the daily digest, one-click unsubscribe, and the rules of notify()."""

import re

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from post_office.models import Email

from ldnsite.comments import moderation
from ldnsite.notifications import services, tasks
from ldnsite.notifications.models import EmailPreference, Notification
from tests.clients import PassedTwoFactorClient as Client
from tests.factories import own_callbacks

pytestmark = pytest.mark.django_db


def unsubscribe_path(mail) -> str:
    url = mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(django_settings.SITE_URL + "/notifications/unsubscribe/")
    return url.removeprefix(django_settings.SITE_URL)


def test_a_reply_is_a_mail_row_written_in_the_transaction_that_publishes_it(
    article, ada, bo, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    root = make_comment(article, ada, "Ada asks")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        make_comment(article, bo, "Bo answers", parent=root)
        # Inside the transaction: the row and its mail row exist; nothing has been sent.
        assert Notification.objects.filter(recipient=ada, kind="reply").exists()
        assert Email.objects.filter(to__icontains=ada.email).count() == 1
        assert mailoutbox == []
    assert len(own_callbacks(callbacks)) == 1

    [mail] = mailoutbox
    assert mail.to == [ada.email] and "Bo answers" in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(mail) and mail.extra_headers["List-Unsubscribe"].strip("<>") in mail.body


def test_a_rolled_back_reply_leaves_neither_notification_nor_mail(article, ada, bo, make_comment):
    root = make_comment(article, ada, "Ada asks")
    with pytest.raises(RuntimeError), transaction.atomic():
        make_comment(article, bo, "Never saved", parent=root)
        raise RuntimeError("the request failed later")
    assert not Notification.objects.filter(recipient=ada).exists()
    assert not Email.objects.filter(to__icontains=ada.email).exists()


def test_notify_tells_nobody_twice_nor_themself_nor_an_inactive_member(
    article, ada, bo, make_user, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    root = make_comment(article, ada, "Ada asks")
    with django_capture_on_commit_callbacks(execute=True):
        reply = make_comment(article, bo, "Bo answers", parent=root)
        services.notify(ada, "reply", target=reply, actor=bo)  # a double submit, a retried task
        services.notify(bo, "reply", target=reply, actor=bo)
        gone = make_user(is_active=False)
        services.notify(gone, "reply", target=reply, actor=bo)

    assert Notification.objects.count() == 1
    assert [mail.to for mail in mailoutbox] == [[ada.email]]


def test_a_held_post_notifies_nobody_until_it_is_published(
    article, ada, bo, moderator, make_comment, settings, mailoutbox, django_capture_on_commit_callbacks
):
    root = make_comment(article, ada, "Ada asks")
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    held = make_comment(article, bo, "Bo's first words HELD-MARKER-5", parent=root)
    assert services.notify(ada, "mention", target=held, actor=bo) is None  # as a mention would be
    assert not Notification.objects.filter(recipient=ada).exists()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.publish(held, by=moderator)

    assert Notification.objects.filter(recipient=ada, kind="reply").exists()
    assert any("HELD-MARKER-5" in mail.body for mail in mailoutbox if mail.to == [ada.email])


def test_followers_get_followed_and_the_one_answered_gets_reply_only(
    article, ada, bo, make_user, make_comment
):
    cy = make_user(display_name="Cy")
    root = make_comment(article, ada, "Ada asks", follow=True)
    make_comment(article, cy, "Cy follows", follow=True)
    reply = make_comment(article, bo, "Bo answers", parent=root)

    assert set(
        Notification.objects.filter(target_id=reply.pk).values_list("recipient__display_name", "kind")
    ) == {
        ("Ada", "reply"),
        ("Cy", "followed"),
    }


def test_with_email_off_the_inbox_still_gets_it_but_no_mail_is_queued(
    article, ada, bo, make_comment, browser_of, mailoutbox, django_capture_on_commit_callbacks
):
    browser_of(ada).post(
        "/notifications/settings/",
        {"reply": "off", "mention": "immediately", "followed": "digest", "decision": "immediately"},
    )
    root = make_comment(article, ada, "Ada asks")
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, bo, "Bo answers", parent=root)

    assert mailoutbox == []
    assert "Bo replied to you" in browser_of(ada).get("/notifications/").content.decode()


# --- The daily digest ---------------------------------------------------------------------------------------


def test_the_digest_lists_only_digest_kinds_still_visible_and_only_once(
    article, ada, bo, make_user, moderator, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    hidden_author = make_user(display_name="Hidden Hu DIGEST-HIDDEN-MARKER-9")
    make_comment(article, ada, "Ada asks", follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, bo, "Bo posts in the thread")  # followed: digest by default
        taken_down = make_comment(article, hidden_author, "Spam")
        moderation.remove(taken_down, by=moderator, reason="Spam")
        root = Notification.objects.filter(recipient=ada).first()
    reply_root = make_comment(article, ada, "Another question")
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, bo, "A reply: mailed at once, not in the digest", parent=reply_root)
    assert root is not None
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_daily_digests.apply()

    [digest] = [mail for mail in mailoutbox if mail.to == [ada.email]]
    assert "Bo posted in “LDN and fatigue”, which you follow." in digest.body
    assert "DIGEST-HIDDEN-MARKER-9" not in digest.body + digest.subject
    assert "replied to you" not in digest.body
    assert "1 new notification" in digest.subject
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_daily_digests.apply()  # run twice (a restarted worker): nothing again
    assert mailoutbox == []


def test_the_digest_is_on_the_workers_clock():
    jobs = {job["task"] for job in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "ldnsite.notifications.tasks.send_daily_digests" in jobs


def test_unsubscribing_from_the_digest_turns_it_off(
    article, ada, bo, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    make_comment(article, ada, "Ada asks", follow=True)
    make_comment(article, bo, "Bo posts")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_digests()
    [digest] = mailoutbox

    assert Client(enforce_csrf_checks=True).post(unsubscribe_path(digest)).status_code == 200
    assert services.deliveries(ada)["followed"] == "off"


# --- One-click unsubscribe ----------------------------------------------------------------------------------


@pytest.fixture
def reply_mail(article, ada, bo, make_comment, mailoutbox, django_capture_on_commit_callbacks):
    root = make_comment(article, ada, "Ada asks")
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, bo, "Bo answers", parent=root)
    [mail] = mailoutbox
    mailoutbox.clear()
    return mail


def test_the_unsubscribe_link_asks_first_then_turns_that_kind_off(
    client, reply_mail, ada, article, bo, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    path = unsubscribe_path(reply_mail)

    page = client.get(path)
    assert page.status_code == 200 and "Stop e-mails about replies to you?" in page.content.decode()
    assert services.deliveries(ada)["reply"] == "immediately"  # a GET (a mail scanner) changes nothing

    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "no more e-mails about replies to you" in response.content.decode()
    assert services.deliveries(ada) == {
        "reply": "off", "mention": "immediately", "followed": "digest", "decision": "immediately",
    }  # fmt: skip

    root = make_comment(article, ada, "Another question")
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, bo, "Another answer", parent=root)
    assert mailoutbox == []  # still in the inbox, not mailed
    assert Notification.objects.filter(recipient=ada, kind="reply").count() == 2


def test_a_tampered_unsubscribe_link_is_refused(client, reply_mail, ada):
    token = unsubscribe_path(reply_mail).rstrip("/").rsplit("/", 1)[1]
    payload, signature = token.rsplit(":", 1)
    tampered = f"{payload}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"
    for bad in (tampered, "not-a-token", f"x{token}"):
        assert client.get(f"/notifications/unsubscribe/{bad}/").status_code == 400
        response = client.post(f"/notifications/unsubscribe/{bad}/")
        assert response.status_code == 400 and "not valid" in response.content.decode()
    assert services.deliveries(ada)["reply"] == "immediately"


def test_a_followed_mail_keeps_the_threads_own_unfollow_link(
    article, ada, bo, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    EmailPreference.objects.create(member=ada, kind="followed", delivery="immediately")
    make_comment(article, ada, "Ada asks", follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, bo, "Bo posts")
    [mail] = mailoutbox
    [unfollow] = re.findall(r"Stop following it: \S+/comments/unsubscribe/\S+", mail.body)
    assert unfollow and "/notifications/unsubscribe/" in mail.extra_headers["List-Unsubscribe"]


# --- Decisions -------------------------------------------------------------------------------------------


def test_a_story_decision_is_one_email_and_an_inbox_item(
    client, moderator, make_testimonial, browser_of, mailoutbox, django_capture_on_commit_callbacks
):
    story = make_testimonial(state="pending")
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/moderation/testimonials/{story.pk}/approve/", {"seen": story.fingerprint})

    [mail] = mailoutbox
    assert mail.to == [story.author.email] and mail.extra_headers["List-Unsubscribe"]
    html = browser_of(story.author).get("/notifications/").content.decode()
    assert f"A moderator published your experience “{story.title}”." in html


def test_with_decision_emails_off_a_decision_sends_none(
    client, moderator, make_testimonial, mailoutbox, django_capture_on_commit_callbacks
):
    story = make_testimonial(state="pending")
    EmailPreference.objects.create(member=story.author, kind="decision", delivery="off")
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/moderation/testimonials/{story.pk}/reject/",
            {"seen": story.fingerprint, "reason": "Please remove the clinic's name."},
        )
    assert mailoutbox == []
    assert Notification.objects.get(recipient=story.author).note == "rejected"


def test_a_second_decision_on_the_same_post_updates_its_one_row(article, ada, moderator, make_comment):
    comment = make_comment(article, ada, "Words")
    moderation.hide(comment, by=moderator, reason="Reported")
    Notification.objects.filter(recipient=ada).update(read_at="2026-01-01T00:00:00Z")
    moderation.restore(comment, by=moderator)

    [notification] = Notification.objects.filter(recipient=ada)
    assert notification.note == "restore" and notification.read_at is None
