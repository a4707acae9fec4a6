"""The editor's add-article page in a real browser (issue 17, item 9): it fits a 1280 px window, and the
Markdown preview is labelled and reached with the keyboard, Tab leaving the text box."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from .helpers import current_code, log_in


@pytest.mark.django_db(transaction=True)
def test_add_article_page_fits_1280_and_its_preview_is_reached_by_keyboard(pages, editor, make_study):
    for n in range(3):
        make_study(title=f"A study with a rather long title about low dose naltrexone, number {n}")
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    page = pages.open("editor", viewport={"width": 1280, "height": 900})

    page.goto("/admin/articles/article/add/")
    log_in(page, email=editor.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name=re.compile("Sign In|Confirm|Authenticate", re.I)).click()
    expect(page.get_by_role("heading", level=1, name="Add article")).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    body = page.locator("#id_body")
    body.fill("Spasticity fell [@a-study].")
    body.focus()
    page.keyboard.press("Tab")
    preview = page.get_by_role("region", name="Preview").first
    expect(preview).to_be_focused()
    assert body.input_value() == "Spasticity fell [@a-study]."  # Tab moved on, it typed nothing
    expect(preview).to_contain_text("Spasticity fell")
