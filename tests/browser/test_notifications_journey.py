"""A member reads their notifications and marks them all read, with the keyboard only; axe-clean before and
after."""

import re

from playwright.sync_api import expect

from ldnsite.comments import moderation
from ldnsite.comments.models import Thread
from tests.browser.helpers import press_on, signed_in
from tests.browser.test_accessibility import axe_violations, open_as


def test_keyboard_member_reads_the_inbox_and_marks_all_read(
    pages, live_server, make_user, make_article, settings
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    article = make_article(title="LDN and sleep", slug="ldn-and-sleep")
    reader, replier = make_user(display_name="Rea Der"), make_user(display_name="Rep Lier")
    thread = Thread.objects.for_subject(article)
    question = moderation.submit(thread, author=reader, body="Does LDN change sleep?", follow=True)
    moderation.submit(thread, author=replier, body="Vivid dreams at first", parent=question)
    moderation.submit(thread, author=replier, body="A note for everyone")

    page = open_as(pages, live_server, reader)
    page.goto("/")
    signed_in(page, "Rea Der")
    account = page.get_by_role("navigation", name="Account")
    link = account.get_by_role("link", name="Notifications 2 unread")
    press_on(page, link)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your notifications")
    expect(
        page.get_by_role("button", name="Rep Lier replied to you in “LDN and sleep”.", exact=True)
    ).to_be_visible()
    expect(page.get_by_text("New, unread:")).to_have_count(2)
    assert axe_violations(page) == ""

    press_on(page, page.get_by_role("button", name="Mark all as read"))
    expect(page.get_by_text("All your notifications are marked as read.")).to_be_visible()
    expect(page.get_by_text("New, unread:")).to_have_count(0)
    expect(account.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert axe_violations(page) == ""

    # Opening one from the keyboard goes to the reply.
    press_on(page, page.get_by_role("button", name="Rep Lier replied to you in “LDN and sleep”.", exact=True))
    expect(page).to_have_url(re.compile(r"/ldn-and-sleep/.*#comment-\d+$"))
