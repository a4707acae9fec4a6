"""Sharing, changing, withdrawing and deleting a member experience, through the pages a member uses."""

import re
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from ldnsite.comments.models import Comment
from ldnsite.markdown import MAX_LENGTH
from testimonials import moderation
from testimonials.models import CONSENT_TEXT, CONSENT_VERSION, NARRATIVE_MAX_LENGTH, Testimonial
from tests.clients import PassedTwoFactorClient as Client

Testimonial.__test__ = False

SUBMIT = "/testimonials/new/"
MINE = "/testimonials/mine/"
PREVIEW = "/markdownx/markdownify/"
NOTICE = "Personal experience — not medical evidence"


def form_data(**overrides) -> dict:
    """A complete, valid submission as the browser sends it."""
    data = {
        "ms_type": "rrms",
        "dose_mg": "4.5",
        "time_on_ldn": "6-12m",
        "other_treatments": "Vitamin D",
        "change": "better",
        "side_effects": ["vivid_dreams", "headache"],
        "side_effects_other": "",
        "title": "Calmer evenings",
        "narrative": "I sleep through the night more often since month two.",
        "display_as": "ms_type",
        "written_as": "self",
        "declaration": "on",
        "consent": "on",
        "token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def content(**overrides) -> dict:
    values = {
        "title": "Steadier on my feet",
        "ms_type": "spms",
        "dose_mg": Decimal("3"),
        "time_on_ldn": "1-2y",
        "change": "better",
        "side_effects": [],
        "side_effects_other": "",
        "other_treatments": "",
        "narrative": "Published words.",
        "display_as": "ms_type",
    }
    values.update(overrides)
    return values


@pytest.fixture
def veteran(make_user):
    """A verified member who joined long ago (the ordinary daily limit applies)."""
    return make_user(display_name="Long Time", date_joined=timezone.now() - timezone.timedelta(days=400))


@pytest.fixture
def published(make_testimonial):
    """published(author, **content) -> an approved testimonial, made as moderators do."""

    def make(author, **overrides):
        return make_testimonial(author=author, content=content(**overrides))

    return make


# --- who may share ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_reader_is_sent_to_log_in(client):
    response = client.get(SUBMIT)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/") and "next=/testimonials/new/" in response.url


@pytest.mark.django_db
def test_text_sent_after_the_session_ended_comes_back_after_logging_in(client, veteran):
    """The form names its member (ldnsite.drafts): the kept text comes back for them only."""
    narrative = "Written while my session quietly ran out, and not to be lost."
    client.force_login(veteran)
    owner = re.search(r'name="draft_owner" value="([^"]+)"', client.get(SUBMIT).content.decode()).group(1)
    client.logout()

    response = client.post(SUBMIT, form_data(narrative=narrative, title="Kept title", draft_owner=owner))

    assert response.status_code == 401
    assert narrative in response.content.decode() and "log in again" in response.content.decode()
    assert not Testimonial.objects.exists()
    client.force_login(veteran)
    form_page = client.get(SUBMIT).content.decode()
    assert narrative in form_page and 'value="Kept title"' in form_page
    assert narrative not in client.get(SUBMIT).content.decode()  # restored once, not forever


@pytest.mark.django_db
def test_unverified_member_is_told_to_confirm_email_and_cannot_submit(client, make_user):
    client.force_login(make_user(verified=False))

    page = client.get(SUBMIT)
    response = client.post(SUBMIT, form_data())

    assert page.status_code == 403
    html = page.content.decode()
    assert "confirm your e-mail address" in html and 'href="/accounts/email/"' in html
    assert 'name="narrative"' not in html
    assert response.status_code == 403
    assert not Testimonial.objects.exists()


@pytest.mark.django_db
def test_form_shows_unticked_consent_with_its_exact_wording_and_version(client, veteran):
    client.force_login(veteran)

    html = client.get(SUBMIT).content.decode()

    assert CONSENT_TEXT in html and CONSENT_VERSION in html
    consent = re.search(r"<input[^>]*name=\"consent\"[^>]*>", html).group(0)
    assert 'type="checkbox"' in consent and "checked" not in consent
    declaration = re.search(r"<input[^>]*name=\"declaration\"[^>]*>", html).group(0)
    assert "checked" not in declaration
    assert "I am 18 or older and this is my own experience" in html


@pytest.mark.django_db
def test_form_is_labelled_as_experience_and_links_to_the_evidence(client, veteran):
    client.force_login(veteran)

    html = client.get(SUBMIT).content.decode()

    assert NOTICE in html and 'href="/studies/"' in html
    # What changed: five radio buttons in a fieldset with a legend; side effects are checkboxes.
    fieldset = re.search(r"<fieldset[^>]*>\s*<legend>Overall, what changed.*?</fieldset>", html, re.S).group(
        0
    )
    assert fieldset.count('type="radio"') == 5
    assert html.count('name="side_effects"') == 8 and 'type="checkbox" name="side_effects"' in html
    assert 'class="markdownx-editor"' in html
    assert 'name="preview"' in html  # a Preview button that works without JavaScript
    assert 'name="token"' in html
    # Every visible control has a label pointing at it.
    for control_id in re.findall(r'<(?:input|select|textarea)[^>]*id="([^"]+)"', html):
        if control_id != "id_token":
            assert f'for="{control_id}"' in html, control_id


@pytest.mark.django_db
def test_live_preview_script_loads_only_when_switched_on(client, veteran, settings):
    client.force_login(veteran)
    assert "markdownx/js/markdownx" not in client.get(SUBMIT).content.decode()

    settings.TESTIMONIALS_LIVE_PREVIEW = True

    assert "markdownx/js/markdownx" in client.get(SUBMIT).content.decode()


@pytest.mark.django_db
def test_preview_button_shows_the_text_rendered_sends_nothing_and_keeps_every_field(client, veteran):
    client.force_login(veteran)
    data = form_data(narrative="My **steadier** days <script>alert(1)</script>", side_effects=["nausea"])

    response = client.post(SUBMIT, {**data, "preview": "1"})

    assert response.status_code == 200
    html = response.content.decode()
    preview = re.search(r'<section class="narrative-preview".*?</section>', html, re.S).group(0)
    assert "My <strong>steadier</strong> days" in preview and "<script" not in preview
    assert not Testimonial.objects.exists()
    assert "Not sent yet" not in html  # a preview is not an error
    assert 'value="Calmer evenings"' in html and f'value="{data["token"]}"' in html
    assert re.search(r'<input[^>]*name="consent"[^>]*checked', html)
    assert re.search(r'<input[^>]*value="nausea"[^>]*checked', html)
    assert re.search(r'<input[^>]*value="better"[^>]*checked', html)

    sent = client.post(SUBMIT, data)

    assert sent.status_code == 302 and Testimonial.objects.count() == 1


# --- a successful submission -----------------------------------------------------------------------


@pytest.mark.django_db
def test_member_shares_experience_and_it_waits_for_a_moderator_with_consent_recorded(client, veteran):
    client.force_login(veteran)
    before = timezone.now()

    response = client.post(SUBMIT, form_data(dose_mg="4.5"))

    assert response.status_code == 302 and response.url == MINE
    testimonial = Testimonial.objects.get()
    assert testimonial.status == Testimonial.Status.PENDING
    assert testimonial.author == veteran
    assert testimonial.consent_version == CONSENT_VERSION
    assert before <= testimonial.consented_at <= timezone.now()
    assert testimonial.dose_mg == Decimal("4.5")
    assert testimonial.side_effects == ["vivid_dreams", "headache"]
    assert testimonial.change == "better" and testimonial.time_on_ldn == "6-12m"
    assert testimonial.is_carer is False
    mine = client.get(MINE).content.decode()
    assert "Calmer evenings" in mine and str(Testimonial.Status.PENDING.label) in mine


@pytest.mark.django_db
def test_carer_choice_is_stored(client, veteran):
    client.force_login(veteran)

    client.post(SUBMIT, form_data(written_as="carer"))

    assert Testimonial.objects.get().is_carer is True


@pytest.mark.django_db
def test_dose_written_with_a_comma_and_unit_is_understood(client, veteran):
    client.force_login(veteran)

    client.post(SUBMIT, form_data(dose_mg="1,5 mg"))

    assert Testimonial.objects.get().dose_mg == Decimal("1.5")


# --- bad input keeps everything typed ---------------------------------------------------------------


@pytest.mark.django_db
def test_missing_consent_is_refused_with_a_message_and_the_text_kept(client, veteran):
    client.force_login(veteran)

    response = client.post(SUBMIT, form_data(consent=None, narrative="My own words, kept-7731."))

    assert response.status_code == 400
    html = response.content.decode()
    assert "we can only publish your experience with your explicit consent" in html
    assert "My own words, kept-7731." in html
    assert 'value="Calmer evenings"' in html
    assert not Testimonial.objects.exists()


@pytest.mark.django_db
def test_missing_declaration_is_refused(client, veteran):
    client.force_login(veteran)

    response = client.post(SUBMIT, form_data(declaration=None))

    assert response.status_code == 400
    assert "Please confirm that you are 18 or older" in response.content.decode()
    assert not Testimonial.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("dose", ["0", "25", "abc", "-3", "4.555", "NaN", ""])
def test_dose_outside_the_range_or_not_a_number_is_refused_clearly(client, veteran, dose):
    client.force_login(veteran)

    response = client.post(SUBMIT, form_data(dose_mg=dose, narrative="Dose story 5521."))

    assert response.status_code == 400
    html = response.content.decode()
    assert "milligrams a day" in html
    assert "Dose story 5521." in html
    assert 'aria-invalid="true"' in re.search(r"<input[^>]*name=\"dose_mg\"[^>]*>", html).group(0)
    assert not Testimonial.objects.exists()


@pytest.mark.django_db
def test_over_long_narrative_is_refused_and_kept(client, veteran):
    client.force_login(veteran)
    narrative = "word " * (NARRATIVE_MAX_LENGTH // 5) + "overflow-marker"

    response = client.post(SUBMIT, form_data(narrative=narrative))

    assert response.status_code == 400
    html = response.content.decode()
    assert f"the limit is {NARRATIVE_MAX_LENGTH:,} characters" in html
    assert "overflow-marker" in html
    assert not Testimonial.objects.exists()


@pytest.mark.django_db
def test_no_side_effects_together_with_a_side_effect_is_questioned(client, veteran):
    client.force_login(veteran)

    response = client.post(SUBMIT, form_data(side_effects=["none", "nausea"]))

    assert response.status_code == 400
    assert "No side effects" in response.content.decode()
    assert not Testimonial.objects.exists()


@pytest.mark.django_db
def test_the_same_form_sent_twice_makes_one_testimonial(client, veteran):
    client.force_login(veteran)
    data = form_data()

    first = client.post(SUBMIT, data)
    second = client.post(SUBMIT, data, follow=True)

    assert first.status_code == 302
    assert Testimonial.objects.count() == 1
    assert "it was not sent twice" in second.content.decode()


@pytest.mark.django_db
def test_daily_limit_refuses_with_429_and_keeps_the_text(client, veteran):
    client.force_login(veteran)
    for n in range(3):
        assert client.post(SUBMIT, form_data(title=f"Story {n}")).status_code == 302

    response = client.post(SUBMIT, form_data(title="Fourth today", narrative="Kept despite the limit 9182."))

    assert response.status_code == 429
    html = response.content.decode()
    assert "up to 3 experiences a day" in html
    assert "Kept despite the limit 9182." in html and 'value="Fourth today"' in html
    assert Testimonial.objects.count() == 3


@pytest.mark.django_db
def test_new_member_can_share_one_experience_a_day(client, make_user):
    client.force_login(make_user())  # joined just now

    assert client.post(SUBMIT, form_data()).status_code == 302
    response = client.post(SUBMIT, form_data(title="Second"))

    assert response.status_code == 429
    assert "up to 1 experience a day" in response.content.decode()
    assert Testimonial.objects.count() == 1


@pytest.mark.django_db
def test_contact_details_get_a_warning_before_anything_is_sent(client, veteran, moderator):
    client.force_login(veteran)
    narrative = "Write to me at jo.bloggs@example.com or see www.ldn-shop.com"

    warned = client.post(SUBMIT, form_data(narrative=narrative))

    assert warned.status_code == 400
    html = warned.content.decode()
    assert "an e-mail address" in html and "a web link" in html
    assert 'name="publish_anyway"' in html and "Publish it anyway, I understand" in html
    assert narrative in html
    assert not Testimonial.objects.exists()

    sent = client.post(SUBMIT, form_data(narrative=narrative, publish_anyway="on"))

    assert sent.status_code == 302
    testimonial = Testimonial.objects.get()
    client.force_login(moderator)
    moderator_view = client.get(testimonial.get_absolute_url()).content.decode()
    assert "seems to contain an e-mail address and a web link" in moderator_view


@pytest.mark.django_db
def test_plain_text_gets_no_contact_warning(client, veteran):
    client.force_login(veteran)

    response = client.post(SUBMIT, form_data())

    assert response.status_code == 302


@pytest.mark.django_db
def test_expired_form_gets_a_friendly_page_not_a_bare_error(make_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user(display_name="Tired Reader"))

    response = browser.post(SUBMIT, form_data())

    assert response.status_code == 403
    html = response.content.decode()
    assert "This page had expired" in html and "Back" in html
    assert "Tired Reader" in html and "Not medical advice" in html  # the site's own page, header and all
    assert not Testimonial.objects.exists()


# --- the author's page, changes, withdrawal and deletion --------------------------------------------


@pytest.mark.django_db
def test_mine_needs_login_and_shows_every_state_with_reasons(client, veteran, moderator, published):
    assert client.get(MINE).status_code == 302
    pending = moderation.submit(author=veteran, content=content(title="Still pending"), is_carer=False)
    rejected = moderation.submit(author=veteran, content=content(title="Sent back"), is_carer=False)
    moderation.reject(rejected, by=moderator, reason="Please remove the clinic's name.")
    withdrawn = moderation.submit(author=veteran, content=content(title="Taken back"), is_carer=False)
    moderation.withdraw(withdrawn, by=veteran)
    published(veteran, title="Out there")
    client.force_login(veteran)

    html = client.get(MINE).content.decode()

    for title in ["Still pending", "Sent back", "Taken back", "Out there"]:
        assert title in html
    assert "Please remove the clinic&#x27;s name." in html
    for status in Testimonial.Status:
        assert str(status.label) in html
    assert f'href="/testimonials/{pending.pk}/edit/"' in html
    assert f'href="/testimonials/{withdrawn.pk}/edit/"' not in html
    assert f'href="/testimonials/{withdrawn.pk}/delete/"' in html


@pytest.mark.django_db
def test_mine_shows_only_the_members_own(client, veteran, make_user, published):
    published(make_user(), title="Somebody else's")
    client.force_login(veteran)

    assert "Somebody else" not in client.get(MINE).content.decode()


@pytest.mark.django_db
def test_editing_a_published_experience_keeps_the_old_text_until_a_moderator_approves(
    client, veteran, moderator, published, django_capture_on_commit_callbacks
):
    testimonial = published(veteran, narrative="Old words 4410.")
    client.force_login(veteran)

    form = client.get(f"/testimonials/{testimonial.pk}/edit/").content.decode()
    response = client.post(
        f"/testimonials/{testimonial.pk}/edit/",
        form_data(narrative="New words 5520.", consent=None, declaration=None),
        follow=True,
    )

    assert "Old words 4410." in form and "readers keep seeing the published version" in form
    assert "the published version stays on the site" in response.content.decode()
    assert "Your changes are waiting for a moderator" in client.get(MINE).content.decode()
    client.logout()
    public = client.get(testimonial.get_absolute_url()).content.decode()
    assert "Old words 4410." in public and "New words 5520." not in public
    assert "New words 5520." not in client.get("/testimonials/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # committed: the cached page is refreshed
        moderation.approve_revision(testimonial.revisions.get(), by=moderator)

    public = client.get(testimonial.get_absolute_url()).content.decode()
    assert "New words 5520." in public and "Old words 4410." not in public


@pytest.mark.django_db
def test_editing_again_continues_from_the_waiting_changes(client, veteran, published):
    testimonial = published(veteran, narrative="Old words.")
    client.force_login(veteran)
    client.post(f"/testimonials/{testimonial.pk}/edit/", form_data(narrative="Waiting words 6631."))

    form = client.get(f"/testimonials/{testimonial.pk}/edit/").content.decode()

    assert "Waiting words 6631." in form


@pytest.mark.django_db
def test_editing_a_rejected_experience_sends_it_back_to_the_moderators(client, veteran, moderator):
    testimonial = moderation.submit(author=veteran, content=content(), is_carer=False)
    moderation.reject(testimonial, by=moderator, reason="Too much about a named doctor.")
    client.force_login(veteran)

    form = client.get(f"/testimonials/{testimonial.pk}/edit/").content.decode()
    response = client.post(f"/testimonials/{testimonial.pk}/edit/", form_data(narrative="Fixed it."))

    assert "Too much about a named doctor." in form
    assert response.status_code == 302
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.PENDING
    assert testimonial.narrative == "Fixed it."


@pytest.mark.django_db
def test_edit_with_bad_input_keeps_the_text_and_changes_nothing(client, veteran):
    testimonial = moderation.submit(author=veteran, content=content(narrative="Before."), is_carer=False)
    client.force_login(veteran)

    response = client.post(
        f"/testimonials/{testimonial.pk}/edit/", form_data(dose_mg="25", narrative="After 7140.")
    )

    assert response.status_code == 400
    assert "After 7140." in response.content.decode()
    testimonial.refresh_from_db()
    assert testimonial.narrative == "Before."


@pytest.mark.django_db
def test_withdrawn_experience_cannot_be_edited(client, veteran):
    testimonial = moderation.submit(author=veteran, content=content(narrative="Before."), is_carer=False)
    moderation.withdraw(testimonial, by=veteran)
    client.force_login(veteran)

    response = client.post(
        f"/testimonials/{testimonial.pk}/edit/", form_data(narrative="After."), follow=True
    )

    assert response.status_code == 200
    assert "can no longer be changed" in response.content.decode()
    testimonial.refresh_from_db()
    assert testimonial.narrative == "Before."


@pytest.mark.django_db
def test_withdraw_asks_first_then_unpublishes_at_once(client, veteran, published):
    testimonial = published(veteran, title="Soon gone 3307")
    client.force_login(veteran)

    confirm = client.get(f"/testimonials/{testimonial.pk}/withdraw/")

    assert confirm.status_code == 200 and "Withdraw my experience" in confirm.content.decode()
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.APPROVED

    response = client.post(f"/testimonials/{testimonial.pk}/withdraw/", follow=True)

    assert "is withdrawn" in response.content.decode()
    client.logout()
    assert client.get(testimonial.get_absolute_url()).status_code == 404
    assert "Soon gone 3307" not in client.get("/testimonials/").content.decode()


@pytest.mark.django_db
def test_withdrawing_twice_gives_a_message_not_an_error(client, veteran):
    testimonial = moderation.submit(author=veteran, content=content(), is_carer=False)
    client.force_login(veteran)
    client.post(f"/testimonials/{testimonial.pk}/withdraw/")

    response = client.post(f"/testimonials/{testimonial.pk}/withdraw/", follow=True)

    assert response.status_code == 200
    withdrawn = str(Testimonial.Status.WITHDRAWN.label).lower()
    assert f"could not be withdrawn: it is {withdrawn}" in response.content.decode()


@pytest.mark.django_db
def test_delete_asks_first_then_removes_it_for_good(client, veteran, published):
    testimonial = published(veteran, title="Delete me 8812")
    client.force_login(veteran)

    confirm = client.get(f"/testimonials/{testimonial.pk}/delete/")
    assert confirm.status_code == 200 and Testimonial.objects.filter(pk=testimonial.pk).exists()

    response = client.post(f"/testimonials/{testimonial.pk}/delete/", follow=True)

    assert "is deleted" in response.content.decode()
    assert not Testimonial.objects.filter(pk=testimonial.pk).exists()
    assert "Delete me 8812" not in client.get("/testimonials/").content.decode()


@pytest.mark.django_db
def test_delete_of_an_experience_with_a_discussion_never_errors(
    client, veteran, make_user, published, settings
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    testimonial = published(veteran)
    other = make_user()
    client.force_login(other)
    client.post(
        f"/comments/testimonial/{testimonial.pk}/new/", {"body": "Thanks.", "token": str(uuid.uuid4())}
    )
    root = Comment.objects.on(testimonial).get()
    client.force_login(veteran)
    client.post(
        f"/comments/testimonial/{testimonial.pk}/reply/{root.pk}/",
        {"body": "You are welcome.", "token": str(uuid.uuid4()), "parent": root.pk},
    )

    response = client.post(f"/testimonials/{testimonial.pk}/delete/", follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "is deleted" in html or "could not be deleted" in html


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["edit", "withdraw", "delete"])
def test_members_cannot_touch_someone_elses_experience(client, veteran, make_user, published, action):
    testimonial = published(make_user(), narrative="Not yours.")
    client.force_login(veteran)

    assert client.get(f"/testimonials/{testimonial.pk}/{action}/").status_code == 404
    assert client.post(f"/testimonials/{testimonial.pk}/{action}/", form_data()).status_code == 404
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.APPROVED and testimonial.narrative == "Not yours."


# --- the Markdown preview ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_verified_member_can_preview_markdown(client, veteran):
    client.force_login(veteran)

    response = client.post(PREVIEW, {"content": "**bold** <script>alert(1)</script>"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>bold</strong>" in body and "<script" not in body


@pytest.mark.django_db
def test_preview_is_refused_to_anonymous_and_unverified(client, make_user):
    assert client.post(PREVIEW, {"content": "**x**"}).status_code == 403
    client.force_login(make_user(verified=False))
    assert client.post(PREVIEW, {"content": "**x**"}).status_code == 403


@pytest.mark.django_db
def test_preview_is_rate_limited_per_member(client, veteran, make_user, settings):
    settings.EDITOR_PREVIEW_RATE_MEMBER = (2, 60)
    client.force_login(veteran)

    statuses = [client.post(PREVIEW, {"content": "hi"}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    client.force_login(make_user())
    assert client.post(PREVIEW, {"content": "hi"}).status_code == 200


@pytest.mark.django_db
def test_member_preview_is_capped_at_the_narrative_length_and_upload_stays_with_editors(client, veteran):
    client.force_login(veteran)

    too_long = client.post(PREVIEW, {"content": "a" * (NARRATIVE_MAX_LENGTH + 1)})
    upload = client.post("/markdownx/upload/", {})

    assert too_long.status_code == 400 and NARRATIVE_MAX_LENGTH < MAX_LENGTH
    assert upload.status_code == 403


def test_author_can_delete_a_testimonial_whose_discussion_has_replies(
    client, make_user, make_moderator, settings
):
    """Replies protect their parents; deleting the testimonial removes the whole discussion, deepest first."""
    from ldnsite.comments import moderation as comment_moderation
    from ldnsite.comments.models import Comment, Thread

    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    author = make_user()
    moderator = make_moderator()
    content = {
        "title": "Two years on LDN", "ms_type": "rrms", "dose_mg": "4.5", "time_on_ldn": "1-2y",
        "change": "better", "narrative": "Sleep improved after a month.",
    }  # fmt: skip
    testimonial = moderation.submit(author=author, content=content, is_carer=False)
    moderation.approve(testimonial, by=moderator)
    thread = Thread.objects.for_subject(testimonial)
    root = comment_moderation.submit(thread, author=make_user(), body="Thanks")
    comment_moderation.submit(thread, author=make_user(), body="Same here", parent=root)
    client.force_login(author)

    response = client.post(f"/testimonials/{testimonial.pk}/delete/")

    assert response.status_code == 302
    assert not Testimonial.objects.exists() and not Comment.objects.exists()
