"""The story form lets a carer write about the person they look after; its declaration and consent say so
too, instead of "my own experience" and "my health" only. The consent wording that changed has a version of
its own, and a story keeps the wording it was given under."""

import html

import pytest
from django.utils import timezone

from testimonials.forms import DECLARATION_TEXT
from testimonials.models import CONSENT_TEXT, CONSENT_TEXTS, CONSENT_VERSION, Testimonial
from tests.accounts.test_member_data import download
from tests.testimonials.test_submit import SUBMIT, form_data

pytestmark = pytest.mark.django_db
Testimonial.__test__ = False

FIRST_VERSION = "2026-11-25"


@pytest.fixture
def writer(make_user):
    return make_user(display_name="Caring Cal", date_joined=timezone.now() - timezone.timedelta(days=400))


def test_the_form_offers_writing_as_a_carer_and_its_declaration_and_consent_cover_it(client, writer):
    client.force_login(writer)

    page = html.unescape(client.get(SUBMIT).content.decode())

    assert "As a carer, about the person with MS I look after" in page
    assert DECLARATION_TEXT in page and CONSENT_TEXT in page
    assert "or that of the person with MS I care for, told with their agreement" in DECLARATION_TEXT
    assert "or of the health of the person with MS I care for" in CONSENT_TEXT
    assert "If I write as a carer, that person has agreed to it being published" in CONSENT_TEXT
    assert f"Consent wording version {CONSENT_VERSION}" in page


def test_a_carers_story_is_recorded_as_a_carers_under_the_current_consent_wording(client, writer):
    client.force_login(writer)

    response = client.post(SUBMIT, form_data(written_as="carer"))

    assert response.status_code == 302
    story = Testimonial.objects.get()
    assert story.is_carer and story.consent_version == CONSENT_VERSION != FIRST_VERSION


def test_a_carer_who_does_not_tick_the_declaration_is_told_what_it_covers(client, writer):
    client.force_login(writer)

    response = client.post(SUBMIT, form_data(written_as="carer", declaration=None))

    assert response.status_code == 400 and not Testimonial.objects.exists()
    assert "or that of the person you care for" in html.unescape(response.content.decode())


def test_a_story_given_under_the_first_wording_keeps_that_wording_in_the_download(
    client, writer, make_testimonial
):
    story = make_testimonial(author=writer)
    Testimonial.objects.filter(pk=story.pk).update(consent_version=FIRST_VERSION)

    _, data = download(client, writer)

    consent = data["testimonials"][0]["consent"]
    assert consent["version"] == FIRST_VERSION
    assert consent["text"] == CONSENT_TEXTS[FIRST_VERSION]
