"""A reader goes from the home page through an article to the evidence, searches, and joins a discussion."""

import re

from playwright.sync_api import expect

from articles.models import Study
from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Thread
from tests.browser import helpers
from tests.browser.helpers import signed_in


def study_rows(page) -> list[str]:
    """The first cell of each row of the evidence table ("Gironi M 2008"), top to bottom."""
    return page.locator("table.evidence-table tbody th").evaluate_all(
        "cells => cells.map(cell => cell.querySelector('a').textContent.trim())"
    )


def column(page, name: str):
    return page.get_by_role("columnheader", name=re.compile(f"^{name}"))


def sort_by(page, name: str, direction: str) -> list[str]:
    """Select a column heading and wait for the table sorted that way."""
    column(page, name).get_by_role("link").click()
    expect(column(page, name)).to_have_attribute("aria-sort", direction)
    return study_rows(page)


def test_reader_follows_the_evidence_searches_and_replies_to_a_comment(
    pages, make_article, make_study, make_user, make_moderator, member
):
    pilot = make_study(
        title="Pilot trial of LDN in primary progressive MS",
        authors="Gironi M, Martinelli-Boneschi F",
        year=2008,
        participants_enrolled=40,
        design=Study.Design.SINGLE_ARM,
    )
    make_study(
        title="Quality of life with LDN", authors="Cree BA, Kornyeyeva E", year=2010, participants_enrolled=80
    )
    make_study(
        title="Prescription records and LDN",
        authors="Raknes G, Småbrekke L",
        year=2018,
        participants_enrolled=3000,
    )
    article = make_article(
        title="LDN and fatigue: what the trials found",
        summary="Small trials looked at fatigue and quality of life.",
        body="## What was measured\n\nMost trials measured **fatigue** and quality of life.",
        studies=[pilot],
    )
    moderator = make_moderator(display_name="Moderator Mo")
    thread = Thread.objects.for_subject(article)
    first = comment_moderation.submit(
        thread, author=make_user(display_name="Ash"), body="Did anyone feel less tired?"
    )
    comment_moderation.publish(first, by=moderator)

    reader = pages.open("reader")
    reader.goto("/")
    reader.get_by_role("region", name="Latest articles").get_by_role("link", name=article.title).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(article.title)
    expect(reader.get_by_role("heading", level=2, name="What was measured")).to_be_visible()

    # The study the article cites, with its evidence level.
    studies = reader.get_by_role("region", name="References")
    studies.get_by_role("link", name=re.compile("Pilot trial of LDN")).click()
    expect(reader.get_by_role("heading", level=1)).to_contain_text(
        "Pilot trial of LDN in primary progressive MS"
    )
    expect(reader.locator("main")).to_contain_text("Level 4")

    # The evidence table, sorted by the column headings.
    reader.get_by_role("navigation", name="Main").get_by_role("link", name="Evidence").click()
    expect(reader).to_have_url(re.compile(r"/studies/$"))
    expect(column(reader, "Year")).to_have_attribute("aria-sort", "descending")
    assert study_rows(reader) == ["Raknes G 2018", "Cree BA 2010", "Gironi M 2008"]  # newest first
    assert sort_by(reader, "Year", "ascending") == ["Gironi M 2008", "Cree BA 2010", "Raknes G 2018"]
    assert sort_by(reader, "Participants", "ascending") == ["Gironi M 2008", "Cree BA 2010", "Raknes G 2018"]
    assert sort_by(reader, "Participants", "descending") == ["Raknes G 2018", "Cree BA 2010", "Gironi M 2008"]

    # The search box in the header finds the article.
    search = reader.get_by_role("banner").get_by_role("search")
    search.locator("input[name=q]").fill("fatigue")
    search.locator("input[name=q]").press("Enter")
    expect(reader).to_have_url(re.compile(r"/search/\?q=fatigue"))
    reader.locator("main").get_by_role("link", name=article.title).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(article.title)

    # To reply, the reader logs in from the discussion and comes back to it.
    discussion = reader.get_by_role("region", name=re.compile("^Discussion"))
    expect(discussion).to_contain_text("Did anyone feel less tired?")
    discussion.get_by_role("link", name="Log in").click()
    helpers.log_in(reader, email=member.email)
    expect(reader).to_have_url(re.compile(rf"/articles/{article.slug}/"))
    signed_in(reader, member.display_name)
    reader.get_by_role("link", name="Reply to Ash").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Reply to a comment")
    reader.get_by_label("Your comment").fill("Yes, after about two months.")
    reader.get_by_role("button", name="Post reply").click()

    reply = reader.locator(f"#comment-{first.pk} ol.replies li.comment").filter(
        has_text="after about two months"
    )
    expect(reply).to_contain_text(member.display_name)
    expect(reply).to_contain_text("Waiting for a moderator")  # a member's first comment is held
