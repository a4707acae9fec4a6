"""A member starts a discussion and another replies to it, by keyboard and mouse, with no WCAG violations."""

import re

from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.helpers import signed_in
from tests.browser.test_accessibility import axe_violations

TITLE = "Morning or evening dose?"
BODY = "My prescriber said either is fine.\n\n- mornings: fewer dreams?\n- evenings: *better* sleep?"


def test_a_member_starts_a_topic_and_another_replies(pages, make_user, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False  # the held first topic is tested through HTTP
    starter = make_user(display_name="Robin", email="robin@example.org")
    replier = make_user(display_name="Kit", email="kit@example.org")

    page = pages.open("starter")
    page.goto("/accounts/login/")
    helpers.log_in(page, email=starter.email)
    signed_in(page, "Robin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Discussions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discussions")
    assert axe_violations(page) == ""
    page.get_by_role("link", name="Start a topic").click()
    # Sent empty: the errors are announced and nothing is lost.
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Post topic").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    assert axe_violations(page) == ""
    page.get_by_label("Category").select_option(label="Dosing and timing")
    page.get_by_label("What would you like to discuss?").fill(BODY)
    page.get_by_role("button", name="Post topic").click()

    expect(page).to_have_url(re.compile(r"/discussions/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".topic-body em")).to_have_text("better")
    expect(page.get_by_text("Personal experience — not medical evidence").first).to_be_visible()
    topic_url = page.url
    assert axe_violations(page) == ""

    other = pages.open("replier")
    other.goto("/accounts/login/")
    helpers.log_in(other, email=replier.email)
    signed_in(other, "Kit")
    other.goto(topic_url)
    other.get_by_label("Your comment").fill("I take it at night and sleep fine.")
    other.get_by_role("button", name="Post comment").click()
    expect(other.locator(".comment").filter(has_text="I take it at night")).to_be_visible()
    assert axe_violations(other) == ""

    page.goto("/discussions/")
    card = page.locator(".topic-card").filter(has_text=TITLE)
    expect(card).to_contain_text("1 reply")
