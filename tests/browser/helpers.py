"""Steps the journeys share: what a person does in the browser, written with the words they see."""

import re
import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from playwright.sync_api import Page, expect

PASSWORD = "correct-horse-9"  # the make_user fixture's password
NEW_PASSWORD = "a-Long-walk-2-the-sea"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def signed_in(page: Page, display_name: str) -> None:
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(f"Signed in as {display_name}")


def sign_up(page: Page, *, email: str, display_name: str) -> None:
    """Fill allauth's sign-up form as a person does; the honeypot stays empty."""
    page.goto("/")
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Join").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Public display name").fill(display_name)
    page.get_by_label("Password (required)", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    honeypot = page.locator("input[name=homepage]")
    expect(honeypot).to_have_value("")
    expect(honeypot).not_to_be_in_viewport()
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirm your e-mail address")


def confirmation_link(mailoutbox, email: str) -> str:
    """The confirmation link from the newest e-mail to this address (sent by the live server's thread)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        for message in reversed(mailoutbox):
            if email in message.to and (match := CONFIRM_LINK.search(message.body)):
                return match.group(0)
        time.sleep(0.05)
    raise AssertionError(f"no confirmation e-mail to {email}: {[m.subject for m in mailoutbox]}")


def log_in(page: Page, *, email: str, password: str = PASSWORD) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password (required)", exact=True).fill(password)
    page.get_by_role("button", name="Sign In").click()


def moderator_with_authenticator(make_moderator, **fields):
    """A moderator with an authenticator app (TOTP) set up, and its secret for computing codes."""
    moderator = make_moderator(**fields)
    secret = generate_totp_secret()
    TOTP.activate(moderator, secret)
    return moderator, secret


def current_code(secret: str) -> str:
    """The authenticator app's code now. allauth accepts only the current 30-second window, so a code
    taken in the last seconds of one is taken in the next instead, or it could expire on its way."""
    left = 30 - time.time() % 30
    if left < 3:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def moderator_logs_in(page: Page, moderator, secret: str) -> None:
    """Password, then the code from the authenticator app, then the queue."""
    page.goto("/moderation/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    log_in(page, email=moderator.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name=re.compile("Sign In|Confirm|Authenticate", re.I)).click()
    expect(page.get_by_role("heading", level=1, name="Moderation queue")).to_be_visible()


def testimonial_card(page: Page, title: str):
    return page.locator("article.moderation-card").filter(
        has=page.get_by_role("heading", level=3, name=title, exact=True)
    )


# Keyboard only: Tab and Shift+Tab move the focus, and every element that gets it must show it.
FOCUS_INDICATOR = """(target) => {
    const el = document.activeElement;
    const reached = target !== undefined && el === target;
    if (!el || el === document.body) return {ok: false, reached, what: "nothing (the page itself)"};
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== "none";
    const text = (el.innerText || el.value || el.name || "").trim().slice(0, 40);
    const what = `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${text}"`;
    return {ok: outline || shadow, reached, what, outline: `${style.outlineStyle} ${style.outlineWidth}`,
            shadow: style.boxShadow};
}"""


def check_focus(state: dict) -> str:
    assert state["ok"], (
        f"focus is not visible on {state['what']}: outline {state.get('outline')}, "
        f"box-shadow {state.get('shadow')}"
    )
    return state["what"]


def focus_is_visible(page: Page) -> str:
    """Asserts the focused element has a visible focus indicator (outline or box-shadow); returns its name."""
    return check_focus(page.evaluate(FOCUS_INDICATOR))


def tab_to(page: Page, target, *, backwards: bool = False, max_presses: int = 60) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, checking the focus is visible at every stop."""
    key = "Shift+Tab" if backwards else "Tab"
    handle = target.element_handle()
    passed = []
    for _ in range(max_presses):
        page.keyboard.press(key)
        state = handle.evaluate(FOCUS_INDICATOR)
        passed.append(check_focus(state))
        if state["reached"]:
            return
    raise AssertionError(f"{key} never reached {target}; the focus went through: {passed}")


def press_on(page: Page, target, key: str = "Enter", **tab_options) -> None:
    """Tab to an element, then press a key on it (Enter follows a link or a button, Space ticks a box)."""
    tab_to(page, target, **tab_options)
    page.keyboard.press(key)


def type_into(page: Page, target, text: str, **tab_options) -> None:
    tab_to(page, target, **tab_options)
    page.keyboard.type(text)
