"""A newcomer's experience goes from sign-up, through a rejection and a resubmission, to the public list."""

import re

from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.helpers import signed_in

TITLE = "Evenings without the fog"
STORY = "I started at **1.5 mg** and went up slowly.\n\n- vivid dreams for two weeks\n- then better sleep"
REASON = "Please leave out the name of your pharmacy; the rest is fine."


def test_newcomer_shares_an_experience_that_a_moderator_rejects_then_publishes(
    pages, make_moderator, mailoutbox
):
    moderator, secret = helpers.moderator_with_authenticator(make_moderator, display_name="Moderator Mo")

    # A newcomer joins, confirms the address from the e-mail and is signed in.
    newcomer = pages.open("newcomer")
    helpers.sign_up(newcomer, email="newcomer@example.org", display_name="Rowan")
    newcomer.goto(helpers.confirmation_link(mailoutbox, "newcomer@example.org"))
    newcomer.get_by_role("button", name="Confirm").click()
    signed_in(newcomer, "Rowan")

    # They write their experience, preview the Markdown, consent and send it.
    newcomer.get_by_role("navigation", name="Main").get_by_role("link", name="Member experiences").click()
    newcomer.get_by_role("link", name="Share your own experience").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Share your experience of LDN")
    newcomer.get_by_label("Your type of MS").select_option(label="Relapsing-remitting MS")
    newcomer.get_by_label("Your LDN dose, in milligrams a day").fill("4.5")
    newcomer.get_by_label("How long you have taken LDN").select_option(label="6 to 12 months")
    newcomer.get_by_label("A little better").check()
    newcomer.get_by_label("Vivid dreams").check()
    newcomer.get_by_label("A short title for your experience").fill(TITLE)
    newcomer.get_by_label("Your experience, in your own words").fill(STORY)
    newcomer.get_by_role("button", name="Preview my text").click()
    preview = newcomer.get_by_role("region", name="Preview: how your text will look")
    expect(preview.locator("strong")).to_have_text("1.5 mg")
    expect(preview.get_by_role("listitem")).to_have_count(2)
    expect(newcomer.get_by_label("A short title for your experience")).to_have_value(TITLE)
    consent = newcomer.get_by_label(re.compile("^I agree that ldnsite publishes"))
    expect(consent).not_to_be_checked()
    newcomer.get_by_label("I am 18 or older and this is my own experience").check()
    consent.check()
    newcomer.get_by_role("button", name="Send to the moderators").click()

    expect(newcomer).to_have_url(re.compile(r"/testimonials/mine/$"))
    mine = newcomer.locator("li.mine-item").filter(has_text=TITLE)
    expect(mine).to_contain_text("A moderator will read it soon")

    # A moderator signs in with password and authenticator code, and rejects it with a reason.
    mod = pages.open("moderator")
    helpers.moderator_logs_in(mod, moderator, secret)
    card = helpers.testimonial_card(mod, TITLE)
    expect(card).to_contain_text("1.5 mg")
    card.get_by_label(re.compile("^Reason in your own words")).fill(REASON)
    card.get_by_role("button", name=re.compile("^Reject")).click()
    expect(helpers.testimonial_card(mod, TITLE)).to_have_count(0)

    # The author sees the reason, changes the story and sends it again.
    newcomer.reload()
    mine = newcomer.locator("li.mine-item").filter(has_text=TITLE)
    expect(mine.locator("blockquote.moderator-reason")).to_have_text(REASON)
    mine.get_by_role("link", name=re.compile("^Change")).click()
    expect(newcomer.locator("blockquote.moderator-reason")).to_have_text(REASON)
    newcomer.get_by_label("Your experience, in your own words").fill(
        STORY + "\n\nI get it from my usual chemist."
    )
    newcomer.get_by_role("button", name="Send my changes").click()
    expect(newcomer).to_have_url(re.compile(r"/testimonials/mine/$"))
    expect(newcomer.locator("li.mine-item").filter(has_text=TITLE)).to_contain_text(
        "A moderator will read it soon"
    )

    # The moderator approves the new version.
    mod.reload()
    card = helpers.testimonial_card(mod, TITLE)
    expect(card).to_contain_text("usual chemist")
    card.get_by_role("button", name=re.compile("^Approve and publish")).click()
    expect(helpers.testimonial_card(mod, TITLE)).to_have_count(0)

    # Anyone can now read it, labelled as personal experience.
    reader = pages.open("reader")
    reader.goto("/testimonials/")
    reader.get_by_role("link", name=TITLE, exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(reader.locator("main")).to_contain_text("usual chemist")
    expect(reader.locator("main")).to_contain_text(re.compile("not medical evidence", re.I))
    expect(reader.locator("main")).not_to_contain_text("newcomer@example.org")
