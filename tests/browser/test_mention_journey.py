"""A member types "@" in a comment box, picks a name from the list with the keyboard, posts, and the comment
shows the name linked to that member's page. The open list is axe-clean and announced."""

import re

from playwright.sync_api import expect

from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Thread
from tests.browser import helpers
from tests.browser.test_accessibility import axe_violations


def test_member_mentions_another_by_picking_their_name_with_the_keyboard(
    pages, settings, make_article, make_user
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    article = make_article(title="Starting LDN slowly")
    ada = make_user(display_name="Ada Lovelace")
    make_user(display_name="Adam Private")  # no public page: never offered
    comment_moderation.submit(Thread.objects.for_subject(article), author=ada, body="Start at 1.5 mg.")
    writer = make_user(display_name="Writer Wren")

    page = pages.open("writer")
    page.goto("/accounts/login/")
    helpers.log_in(page, email=writer.email)
    helpers.signed_in(page, "Writer Wren")
    page.goto(article.get_absolute_url())

    box = page.get_by_label("Your comment")
    box.click()
    box.press_sequentially("Thanks @ad")
    names = page.get_by_role("listbox", name="Members to mention")
    expect(names.get_by_role("option")).to_have_text(["Ada Lovelace"])
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"^mention-list-\d+-0$"))
    expect(page.get_by_role("status").filter(has_text="1 member found")).to_be_attached()
    assert axe_violations(page) == ""

    box.press("ArrowDown")  # one name: the choice stays on it
    box.press("Enter")
    expect(names).to_be_hidden()
    expect(box).to_have_value("Thanks @Ada Lovelace ")
    box.press_sequentially("for the tip.")
    page.get_by_role("button", name="Post comment").click()

    comment = page.locator("li.comment").filter(has_text="for the tip")
    link = comment.get_by_role("link", name="@Ada Lovelace")
    expect(link).to_have_attribute("href", f"/members/{ada.pk}/")
    # Escape closes the list; without a pick, what was typed stays as typed.
    box = page.get_by_label("Your comment")
    box.press_sequentially("@Ada")
    expect(page.get_by_role("listbox", name="Members to mention")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox", name="Members to mention")).to_be_hidden()
    expect(box).to_have_value("@Ada")
    assert axe_violations(page) == ""
