"""The moderators' watched-words page in a real browser: at phone and laptop width, without sideways scroll,
axe-clean, the test mode's results included."""

import uuid

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Thread
from ldnsite.watchwords.matching import record, scan
from tests.clients import PassedTwoFactorClient

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def axe_violations(page) -> str:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return "" if results.violations_count == 0 else results.generate_report()


@pytest.fixture
def moderator_page(pages, live_server, make_moderator, make_user, make_article, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    article = make_article(slug="ldn-basics")
    writer = make_user(display_name="Writer Wen")
    comment = comment_moderation.submit(
        Thread.objects.for_subject(article),
        author=writer,
        body="A long comment with a link www.an-extremely-long-domain-name-for-testing-wrapping.example.org "
        "and words about zorblax that a moderator may want to watch.",
        token=uuid.uuid4(),
    )
    record(scan(comment.body), where="comment", member=writer, obj=comment, shown=True)
    moderator = make_moderator(display_name="Moderator Mo")

    def open_page(viewport):
        page = pages.open("moderator", viewport=viewport)
        client = PassedTwoFactorClient()
        client.force_login(moderator)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return page

    return open_page


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390x844", "1280x800"])
def test_watched_words_pages_read_well_and_test_mode_shows_catches(moderator_page, viewport):
    page = moderator_page(viewport)

    page.goto("/moderation/watched-words/")
    expect(page.get_by_role("heading", level=1, name="Watched words")).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert axe_violations(page) == ""

    page.get_by_role("link", name="Add a watched word").click()
    page.get_by_label("What it finds, as members read it").fill("the brand Zorblax")
    page.get_by_label("Words, phrases or pattern").fill("zorblax")
    page.get_by_role("button", name="Test on recent posts").click()
    expect(page.get_by_role("heading", level=2, name="What it would have caught")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Comments: 1 of 1")).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert axe_violations(page) == ""
    if viewport == PHONE:
        page.screenshot(path="/tmp/h5-watchwords-test-mode-390.png", full_page=True)

    page.goto("/moderation/")
    expect(page.get_by_role("heading", level=2, name="Watched words: matches to look at (1)")).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert axe_violations(page) == ""
    if viewport == PHONE:
        page.locator("section[aria-labelledby=watched-words]").screenshot(
            path="/tmp/h5-watchwords-queue-390.png"
        )
