"""The testimonial journey again, with the keyboard only: Tab, Shift+Tab, Enter, Space, arrows and typing.

No clicks. Every element the focus lands on must show it (outline or box-shadow); helpers.tab_to checks that
at every stop, so the journey also sweeps the focus style of each page it crosses.
"""

import re

from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.helpers import press_on, signed_in, tab_to, type_into

TITLE = "Steadier on my feet"
REASON = "Please describe your own experience rather than advice for others."


def test_keyboard_user_signs_up_shares_an_experience_and_a_moderator_decides(
    pages, make_moderator, mailoutbox
):
    moderator, secret = helpers.moderator_with_authenticator(make_moderator, display_name="Moderator Kai")

    # The first Tab reaches the skip link, which moves the focus to the main content.
    newcomer = pages.open("newcomer")
    newcomer.goto("/")
    newcomer.keyboard.press("Tab")
    assert helpers.focus_is_visible(newcomer).startswith('a "Skip to main content"')
    account = newcomer.get_by_role("navigation", name="Account")
    press_on(newcomer, account.get_by_role("link", name="Join"))

    # Sign up: the honeypot is never reached by Tab.
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Sign Up")
    type_into(newcomer, newcomer.get_by_label("Email"), "keys@example.org")
    newcomer.keyboard.press("Tab")
    newcomer.keyboard.type("Sam Keys")
    newcomer.keyboard.press("Tab")
    newcomer.keyboard.type(helpers.NEW_PASSWORD)
    newcomer.keyboard.press("Tab")
    newcomer.keyboard.type(helpers.NEW_PASSWORD)
    newcomer.keyboard.press("Tab")
    expect(newcomer.get_by_role("button", name="Sign Up")).to_be_focused()
    helpers.focus_is_visible(newcomer)
    newcomer.keyboard.press("Enter")
    expect(newcomer.get_by_role("heading", level=1)).to_contain_text("Confirm your e-mail address")

    newcomer.goto(helpers.confirmation_link(mailoutbox, "keys@example.org"))
    press_on(newcomer, newcomer.get_by_role("button", name="Confirm"))
    signed_in(newcomer, "Sam Keys")

    # From the member experiences section to the form.
    press_on(
        newcomer,
        newcomer.get_by_role("navigation", name="Main").get_by_role("link", name="Member experiences"),
    )
    press_on(newcomer, newcomer.get_by_role("link", name="Share your own experience"))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Share your experience of LDN")

    ms_type = newcomer.get_by_label("Your type of MS")
    tab_to(newcomer, ms_type)
    newcomer.keyboard.press("ArrowDown")  # Relapsing-remitting MS
    expect(ms_type).to_have_value("rrms")
    newcomer.keyboard.press("Tab")
    newcomer.keyboard.type("3")
    newcomer.keyboard.press("Tab")
    time_on_ldn = newcomer.get_by_label("How long you have taken LDN")
    expect(time_on_ldn).to_be_focused()
    for _ in range(5):
        newcomer.keyboard.press("ArrowDown")  # 1 to 2 years
    expect(time_on_ldn).to_have_value("1-2y")

    # A radio group is one Tab stop; the arrows choose within it.
    tab_to(newcomer, newcomer.get_by_label("Much worse"))
    for _ in range(4):
        newcomer.keyboard.press("ArrowDown")
    expect(newcomer.get_by_label("Much better")).to_be_checked()
    press_on(newcomer, newcomer.get_by_label("No side effects"), key="Space")
    expect(newcomer.get_by_label("No side effects")).to_be_checked()

    title = newcomer.get_by_label("A short title for your experience")
    type_into(newcomer, title, "Steadier")
    type_into(
        newcomer, newcomer.get_by_label("Your experience, in your own words"), "My balance is *better*."
    )
    # Back to the title with Shift+Tab to finish it.
    tab_to(newcomer, title, backwards=True)
    newcomer.keyboard.press("End")
    newcomer.keyboard.type(" on my feet")
    expect(title).to_have_value(TITLE)

    press_on(newcomer, newcomer.get_by_role("button", name="Preview my text"))
    preview = newcomer.get_by_role("region", name="Preview: how your text will look")
    expect(preview.locator("em")).to_have_text("better")

    consent = newcomer.get_by_label(re.compile("^I agree that ldnsite publishes"))
    press_on(newcomer, newcomer.get_by_label("I am 18 or older and this is my own experience"), key="Space")
    press_on(newcomer, consent, key="Space")
    expect(consent).to_be_checked()
    press_on(newcomer, newcomer.get_by_role("button", name="Send to the moderators"))
    expect(newcomer).to_have_url(re.compile(r"/testimonials/mine/$"))
    expect(newcomer.locator("li.mine-item").filter(has_text=TITLE)).to_contain_text(
        "A moderator will read it soon"
    )

    # The moderator: password, authenticator code, and a rejection with a reason, all from the keyboard.
    mod = pages.open("moderator")
    mod.goto("/")
    press_on(mod, mod.get_by_role("navigation", name="Account").get_by_role("link", name="Log in"))
    type_into(mod, mod.get_by_label("Email"), moderator.email)
    mod.keyboard.press("Tab")
    mod.keyboard.type(helpers.PASSWORD)
    mod.keyboard.press("Enter")
    expect(mod).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    type_into(mod, mod.get_by_label("Code"), helpers.current_code(secret))
    mod.keyboard.press("Enter")
    signed_in(mod, "Moderator Kai")
    press_on(mod, mod.get_by_role("navigation", name="Account").get_by_role("link", name="Moderation"))
    expect(mod.get_by_role("heading", level=1)).to_have_text("Moderation queue")

    card = helpers.testimonial_card(mod, TITLE)
    type_into(mod, card.get_by_label(re.compile("^Reason in your own words")), REASON)
    press_on(mod, card.get_by_role("button", name=re.compile("^Reject")))
    expect(helpers.testimonial_card(mod, TITLE)).to_have_count(0)

    # The author reads the reason, changes the text and sends it again.
    newcomer.reload()
    item = newcomer.locator("li.mine-item").filter(has_text=TITLE)
    expect(item.locator("blockquote.moderator-reason")).to_have_text(REASON)
    press_on(newcomer, item.get_by_role("link", name=re.compile("^Change")))
    narrative = newcomer.get_by_label("Your experience, in your own words")
    tab_to(newcomer, narrative)
    newcomer.keyboard.press("Control+End")
    newcomer.keyboard.type("\n\nI walk to the shops again without a stick.")
    press_on(newcomer, newcomer.get_by_role("button", name="Send my changes"))
    expect(newcomer.locator("li.mine-item").filter(has_text=TITLE)).to_contain_text(
        "A moderator will read it soon"
    )

    # The moderator approves it.
    mod.reload()
    card = helpers.testimonial_card(mod, TITLE)
    expect(card).to_contain_text("without a stick")
    press_on(mod, card.get_by_role("button", name=re.compile("^Approve and publish")), key="Space")
    expect(helpers.testimonial_card(mod, TITLE)).to_have_count(0)

    # A reader reaches it from the list with the keyboard.
    reader = pages.open("reader")
    reader.goto("/testimonials/")
    press_on(reader, reader.get_by_role("link", name=TITLE, exact=True))
    expect(reader.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(reader.locator("main")).to_contain_text("without a stick")
