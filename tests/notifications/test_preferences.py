"""E-mail choices per kind at /notifications/settings/, through HTTP."""

import re

import pytest

from ldnsite.notifications import services

pytestmark = pytest.mark.django_db

SETTINGS = "/notifications/settings/"
CHOICES = {"reply": "immediately", "mention": "immediately", "followed": "digest", "decision": "immediately"}


def test_the_form_shows_the_defaults_labelled(browser_of, ada):
    html = browser_of(ada).get(SETTINGS).content.decode()
    for kind, delivery in CHOICES.items():
        assert f'name="{kind}" value="{delivery}"' in html
    assert html.count(" checked>") == 4
    assert "<legend>Replies to you</legend>" in html and "<label for=" in html


def test_saving_changes_the_choices(browser_of, ada):
    response = browser_of(ada).post(SETTINGS, {**CHOICES, "followed": "off", "reply": "digest"}, follow=True)
    assert "Your e-mail choices are saved." in response.content.decode()
    assert services.deliveries(ada) == {**CHOICES, "followed": "off", "reply": "digest"}


def test_a_bad_value_is_refused_clearly_and_keeps_the_other_choices(browser_of, ada):
    response = browser_of(ada).post(SETTINGS, {**CHOICES, "reply": "hourly", "followed": "off"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice" in html
    assert re.search(r'name="followed" value="off"[^>]* checked', html)
    assert services.deliveries(ada) == CHOICES


def test_saving_is_rate_limited_and_keeps_the_choices(browser_of, ada, settings):
    settings.NOTIFICATIONS_RATE_SETTINGS = (1, 600)
    browser = browser_of(ada)
    browser.post(SETTINGS, CHOICES)
    response = browser.post(SETTINGS, {**CHOICES, "mention": "off"})
    assert response.status_code == 429
    assert "please wait a few minutes" in response.content.decode()
    assert re.search(r'name="mention" value="off"[^>]* checked', response.content.decode())
    assert services.deliveries(ada)["mention"] == "immediately"


def test_the_settings_need_a_login(client):
    assert client.get(SETTINGS).status_code == 302
    assert client.post(SETTINGS, CHOICES).status_code == 302
