"""Marking a comment helpful with the keyboard only; axe-clean.

Without the script the form posts and the page comes back at the comment (tests/helpful/test_marking.py,
through HTTP): Playwright's keyboard and axe helpers need JavaScript in the page, so they cannot drive a
browser with it switched off."""

from django.conf import settings
from playwright.sync_api import expect

from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Thread
from ldnsite.helpful.models import HelpfulCount
from tests.browser.helpers import press_on
from tests.browser.test_accessibility import axe_violations
from tests.clients import PassedTwoFactorClient


def open_signed_in(pages, live_server, user, **options):
    page = pages.open(user.display_name, **options)
    client = PassedTwoFactorClient()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def test_a_member_marks_a_comment_helpful_by_keyboard_and_undoes_it(
    pages, live_server, make_article, make_user, settings
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    article = make_article(slug="helpful-journey", title="Helpful journey")
    writer = make_user(display_name="Bea")
    comment = comment_moderation.submit(
        Thread.objects.for_subject(article), author=writer, body="Taking it at night helped my sleep."
    )
    reader = make_user(display_name="Reader Rae")
    page = open_signed_in(pages, live_server, reader, viewport={"width": 390, "height": 844})
    page.goto(article.get_absolute_url())

    button = page.locator(f"#helpful-comment-{comment.pk}").get_by_role("button", name="Mark as helpful")
    expect(button).to_have_attribute("aria-pressed", "false")
    press_on(page, button)

    pressed = page.locator(f"#helpful-comment-{comment.pk}").get_by_role("button", name="Undo helpful")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#helpful-comment-{comment.pk} .helpful-count")).to_have_text("Helpful (1)")
    assert HelpfulCount.objects.get(kind="comment", object_id=comment.pk).count == 1
    expect(pressed).to_be_focused()  # updated in place by the script: the focus stays on the button
    assert axe_violations(page) == ""
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    page.keyboard.press("Enter")
    expect(
        page.locator(f"#helpful-comment-{comment.pk}").get_by_role("button", name="Mark as helpful")
    ).to_have_attribute("aria-pressed", "false")
    expect(page.locator(f"#helpful-comment-{comment.pk} .helpful-count")).to_have_text("Helpful (0)")
    page.screenshot(path="/tmp/h/helpful-comment-390.png", full_page=True)
