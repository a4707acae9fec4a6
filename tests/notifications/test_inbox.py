"""The inbox at /notifications/ through HTTP: what it shows, what it hides, marking read, the header count,
and what it costs."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ldnsite.comments import moderation
from ldnsite.notifications.models import Notification
from testimonials import moderation as story_moderation

pytestmark = pytest.mark.django_db

INBOX = "/notifications/"


def text(response) -> str:
    return response.content.decode()


def unread_in_header(html: str) -> str | None:
    found = re.search(r'class="unread-count">([^<]+)<span class="visually-hidden"> unread</span>', html)
    return found.group(1) if found else None


def test_a_reply_appears_in_the_inbox_unread_and_counted_in_the_header(
    article, ada, bo, make_comment, browser_of
):
    root = make_comment(article, ada, "Does LDN help fatigue?")
    make_comment(article, bo, "It helped mine", parent=root)

    html = text(browser_of(ada).get(INBOX))

    assert "Bo replied to you in “LDN and fatigue”." in html
    assert "notification-unread" in html and '<span class="visually-hidden">, unread:</span>' in html
    assert unread_in_header(html) == "1"
    assert unread_in_header(text(browser_of(ada).get("/"))) == "1"  # on every page, for the member
    assert unread_in_header(text(browser_of(bo).get(INBOX))) is None  # Bo is not told of his own reply


def test_the_inbox_needs_a_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(f"{INBOX}read-all/").status_code == 302  # to the login page, nothing done


def test_anonymous_pages_have_no_inbox_link_nor_count(client, article, ada, bo, make_comment):
    root = make_comment(article, ada, "Question")
    make_comment(article, bo, "Answer", parent=root)
    html = text(client.get(article.get_absolute_url()))
    assert INBOX not in html and "unread-count" not in html


def test_a_hidden_reply_leaves_the_inbox_and_the_count(
    article, ada, make_user, moderator, make_comment, browser_of
):
    marker = "Hidden Hal HIDDEN-REPLY-MARKER-41"
    hal = make_user(display_name=marker)
    root = make_comment(article, ada, "Ada asks")
    reply = make_comment(article, hal, "Buy LDN in my shop", parent=root)
    assert marker in text(browser_of(ada).get(INBOX))

    moderation.hide(reply, by=moderator, reason="Selling")

    html = text(browser_of(ada).get(INBOX))
    assert marker not in html
    assert unread_in_header(html) is None
    assert "Nothing here yet" in html


def test_a_reply_under_a_withdrawn_story_leaves_the_inbox(
    ada, bo, make_testimonial, make_comment, browser_of
):
    story = make_testimonial(state="approved", author=bo, title="STORY-GONE-MARKER-88")
    root = make_comment(story, ada, "Thank you for this")
    make_comment(story, bo, "Glad it helps", parent=root)
    assert "STORY-GONE-MARKER-88" in text(browser_of(ada).get(INBOX))

    story_moderation.withdraw(story, by=bo)

    assert "STORY-GONE-MARKER-88" not in text(browser_of(ada).get(INBOX))


def test_the_author_sees_a_moderators_decision_on_their_hidden_comment(
    article, ada, moderator, make_comment, browser_of
):
    comment = make_comment(article, ada, "Something a reporter disliked")
    moderation.hide(comment, by=moderator, reason="Reported")

    html = text(browser_of(ada).get(INBOX))
    assert "Your comment in “LDN and fatigue” is hidden until a moderator has looked at it." in html


def test_mark_one_read_then_all_read(article, ada, bo, make_comment, browser_of):
    root = make_comment(article, ada, "Ada asks")
    make_comment(article, bo, "First answer", parent=root)
    make_comment(article, bo, "Second answer", parent=root)  # the same actor, another target: its own row
    first, second = Notification.objects.filter(recipient=ada).order_by("pk")
    browser = browser_of(ada)
    assert unread_in_header(text(browser.get(INBOX))) == "2"

    assert browser.get(f"{INBOX}{first.pk}/read/").status_code == 405  # never a change on GET
    response = browser.post(f"{INBOX}{first.pk}/read/", follow=True)
    assert unread_in_header(text(response)) == "1"

    response = browser.post(f"{INBOX}read-all/", follow=True)
    assert "All your notifications are marked as read." in text(response)
    assert unread_in_header(text(response)) is None
    assert not Notification.objects.filter(recipient=ada, read_at__isnull=True).exists()


def test_opening_an_item_marks_it_read_and_goes_to_the_reply(article, ada, bo, make_comment, browser_of):
    root = make_comment(article, ada, "Ada asks")
    reply = make_comment(article, bo, "Bo answers", parent=root)
    notification = Notification.objects.get(recipient=ada)
    browser = browser_of(ada)

    assert browser.get(f"{INBOX}{notification.pk}/open/").status_code == 405
    response = browser.post(f"{INBOX}{notification.pk}/open/")

    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{reply.pk}")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_reads_or_opens_another_members_notifications(
    article, ada, bo, make_user, make_comment, browser_of
):
    root = make_comment(article, ada, "Ada asks")
    make_comment(article, bo, "Bo answers", parent=root)
    notification = Notification.objects.get(recipient=ada)
    intruder = browser_of(make_user())

    assert intruder.post(f"{INBOX}{notification.pk}/open/").status_code == 404
    intruder.post(f"{INBOX}{notification.pk}/read/")
    intruder.post(f"{INBOX}read-all/")

    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_is_rate_limited(article, ada, bo, make_comment, browser_of, settings):
    settings.NOTIFICATIONS_RATE_READ = (2, 60)
    root = make_comment(article, ada, "Ada asks")
    make_comment(article, bo, "Bo answers", parent=root)
    browser = browser_of(ada)
    browser.post(f"{INBOX}read-all/")
    browser.post(f"{INBOX}read-all/")
    response = browser.post(f"{INBOX}read-all/", follow=True)
    assert "please wait a minute" in text(response)


def test_the_inbox_is_newest_first_and_paged(article, ada, make_replies, browser_of):
    replies = make_replies(article, ada, 30)
    browser = browser_of(ada)

    first_page = text(browser.get(INBOX))
    second_page = text(browser.get(f"{INBOX}?page=2"))

    assert first_page.count('class="notification-item') == 25
    assert second_page.count('class="notification-item') == 5
    assert f"/notifications/{Notification.objects.get(target_id=replies[-1].pk).pk}/open/" in first_page
    assert f"/notifications/{Notification.objects.get(target_id=replies[0].pk).pk}/open/" in second_page
    assert "Page 1 of 2" in first_page


def test_the_header_shows_99_plus_past_the_cap(article, ada, make_replies, browser_of):
    make_replies(article, ada, 101)
    assert unread_in_header(text(browser_of(ada).get("/about/"))) == "99+"


def queries_for(browser, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_the_inbox_costs_the_same_for_2_and_200_notifications(
    article, make_user, make_replies, make_testimonial, browser_of, django_assert_max_num_queries
):
    few, many = make_user(), make_user()
    make_replies(article, few, 2)
    make_replies(article, many, 200)
    for member in (few, many):  # a second kind of target on both pages
        make_testimonial(state="approved", author=member)
    queries_for(browser_of(few), INBOX)  # content types and the like are cached after a first page

    small = queries_for(browser_of(few), INBOX)
    # Session, member, the page with its capped count, each kind of target on it (comments with their
    # subjects, stories), the header's count.
    busy = browser_of(many)
    with django_assert_max_num_queries(small):
        assert busy.get(INBOX).content.decode().count('class="notification-item') == 25
    assert small <= 9


def test_the_header_count_is_one_query_whatever_the_number(
    article, make_user, make_replies, browser_of, django_assert_max_num_queries
):
    nobody, busy = make_user(), make_user()
    make_replies(article, busy, 150)
    queries_for(browser_of(nobody), "/about/")
    quiet = queries_for(browser_of(nobody), "/about/")
    browser = browser_of(busy)
    with django_assert_max_num_queries(quiet):
        browser.get("/about/")


def test_the_count_never_reaches_the_pages_kept_for_anonymous_readers(
    client, article, ada, bo, make_comment, browser_of, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    root = make_comment(article, ada, "Ada asks")
    make_comment(article, bo, "Bo answers", parent=root)

    member_page = browser_of(ada).get("/about/")
    assert unread_in_header(text(member_page)) == "1"
    assert "private" in member_page["Cache-Control"] and member_page.get("X-Cache") != "hit"

    first, again = client.get("/about/"), client.get("/about/")
    assert again["X-Cache"] == "hit"
    for response in (first, again):
        assert "unread-count" not in text(response) and INBOX not in text(response)
