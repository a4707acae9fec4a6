import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from post_office.models import STATUS, Email

from ldnsite.comments.models import Comment, Report, Thread
from ldnsite.moderation.exceptions import InvalidTransition
from ldnsite.moderation.models import ModerationEvent
from testimonials import moderation
from testimonials.models import Testimonial, TestimonialRevision

# pytest would try to collect these model classes as tests because their names start with "Test".
Testimonial.__test__ = TestimonialRevision.__test__ = False

ADMIN_CHANGELIST = "/admin/testimonials/testimonial/"


def story(**overrides) -> dict:
    content = {
        "title": "Less fatigue after three months",
        "ms_type": "rrms",
        "dose_mg": Decimal("4.5"),
        "time_on_ldn": "3-6m",
        "change": "better",
        "side_effects": ["vivid_dreams"],
        "side_effects_other": "",
        "other_treatments": "Vitamin D",
        "narrative": "I started on 1.5 mg and went up slowly. My afternoons are **easier** now.",
    }
    content.update(overrides)
    return content


@pytest.fixture
def make_testimonial(make_testimonial):
    """make_testimonial(author=None, days_ago=None, **content) -> a pending testimonial."""

    def make(*, author=None, days_ago=None, **content):
        return make_testimonial(state="pending", author=author, days_ago=days_ago, content=story(**content))

    return make


@pytest.fixture
def make_revision(make_testimonial, moderator):
    """make_revision(**content) -> a pending edit of a published testimonial."""

    def make(**content):
        testimonial = make_testimonial(title="The published title", narrative="PUBLISHED-TEXT-MARKER")
        moderation.approve(testimonial, by=moderator)
        Email.objects.update(status=STATUS.sent)  # the approval went out long ago
        return moderation.edit(testimonial, by=testimonial.author, content=story(**content))

    return make


def card(html: str, element_id: str) -> str:
    """The HTML of one queue card, so that assertions talk about that item only."""
    match = re.search(rf'id="{element_id}".*?</article>', html, re.DOTALL)
    assert match, f"no card {element_id} in the page"
    return match.group(0)


def events(action: str) -> list[ModerationEvent]:
    return list(ModerationEvent.objects.filter(action=action))


# Access -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_queue_sends_anonymous_visitors_to_log_in(client):
    response = client.get("/moderation/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_queue_is_refused_to_members_and_to_editors_outside_the_moderators(client, member, editor):
    for user in (member, editor):
        client.force_login(user)
        assert client.get("/moderation/").status_code == 403


@pytest.mark.django_db
def test_members_and_editors_cannot_decide_on_testimonials(client, member, editor, make_testimonial):
    testimonial = make_testimonial()
    for user in (member, editor):
        client.force_login(user)
        assert client.post(f"/moderation/testimonials/{testimonial.pk}/approve/").status_code == 403
        response = client.post(
            "/moderation/testimonials/decide/", {"ids": [testimonial.pk], "action": "approve"}
        )
        assert response.status_code == 403

    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.PENDING
    assert events("approve") == []


@pytest.mark.django_db
def test_decisions_need_post(client, moderator, make_testimonial):
    testimonial = make_testimonial()
    client.force_login(moderator)

    assert client.get(f"/moderation/testimonials/{testimonial.pk}/approve/").status_code == 405
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.PENDING


# Reading the queue ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pending_testimonials_are_listed_oldest_first_above_the_comments(client, moderator, make_testimonial):
    newer = make_testimonial(title="NEWER-STORY", days_ago=1)
    older = make_testimonial(title="OLDER-STORY", days_ago=3)
    approved = make_testimonial(title="ALREADY-PUBLISHED-STORY")
    moderation.approve(approved, by=moderator)
    client.force_login(moderator)

    html = client.get("/moderation/").content.decode()

    assert html.index("OLDER-STORY") < html.index("NEWER-STORY") < html.index('id="held-heading"')
    assert "ALREADY-PUBLISHED-STORY" not in html
    assert f'id="testimonial-{newer.pk}"' in html and f'id="testimonial-{older.pk}"' in html


@pytest.mark.django_db
def test_queue_shows_the_full_record_and_the_narrative_as_safe_markdown(client, moderator, make_testimonial):
    testimonial = make_testimonial(
        dose_mg=Decimal("3.00"),
        side_effects=["vivid_dreams", "headache"],
        side_effects_other="Dry mouth",
        other_treatments="Ocrelizumab",
        narrative="My legs are **stronger**. <script>alert(1)</script>",
    )
    client.force_login(moderator)

    html = card(client.get("/moderation/").content.decode(), f"testimonial-{testimonial.pk}")

    for shown in ["Relapsing-remitting MS", "3 mg a day", "3 to 6 months", "A little better", "Vivid dreams",
                  "Headache", "Dry mouth", "Ocrelizumab"]:  # fmt: skip
        assert shown in html
    assert "<strong>stronger</strong>" in html
    assert "<script>" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("narrative", "signal"),
    [
        ("Write to me at helper@example.net for tips.", "an e-mail address"),
        ("Call me on +44 7700 900123 any evening.", "a phone number"),
        ("I buy mine from https://cheap-ldn.example.com/order", "a web link"),
    ],
)
def test_contact_details_in_a_narrative_are_flagged(client, moderator, make_testimonial, narrative, signal):
    flagged = make_testimonial(narrative=narrative)
    clean = make_testimonial(narrative="Nothing to see here, just my own week.")
    client.force_login(moderator)

    html = client.get("/moderation/").content.decode()

    assert signal in card(html, f"testimonial-{flagged.pk}")
    assert "Watched words:" in card(html, f"testimonial-{flagged.pk}")
    assert "Watched words:" not in card(html, f"testimonial-{clean.pk}")


@pytest.mark.django_db
def test_a_new_account_is_flagged_and_an_old_one_is_not(client, moderator, make_user, make_testimonial):
    newcomer = make_user(date_joined=timezone.now() - timezone.timedelta(days=2))
    regular = make_user(date_joined=timezone.now() - timezone.timedelta(days=400))
    new_story = make_testimonial(author=newcomer)
    old_story = make_testimonial(author=regular)
    client.force_login(moderator)

    html = client.get("/moderation/").content.decode()

    assert "New account:" in card(html, f"testimonial-{new_story.pk}")
    assert "joined 2 days ago" in card(html, f"testimonial-{new_story.pk}")
    assert "New account:" not in card(html, f"testimonial-{old_story.pk}")
    assert "joined 400 days ago" in card(html, f"testimonial-{old_story.pk}")


@pytest.mark.django_db
def test_earlier_rejections_and_open_reports_of_the_author_are_counted(
    client, moderator, make_user, make_testimonial, make_article
):
    author = make_user()
    moderation.reject(make_testimonial(author=author), by=moderator, reason="Names a pharmacy")
    comment = Comment.objects.create(
        thread=Thread.objects.for_subject(make_article()), author=author, body="Buy it here",
        status=Comment.Status.PUBLISHED,
    )  # fmt: skip
    Report.objects.create(comment=comment, reporter=make_user(), reason=Report.Reason.SELLING)
    Report.objects.create(
        comment=comment,
        reporter=make_user(),
        reason=Report.Reason.SPAM,
        resolved_at=timezone.now(),
        outcome=Report.Outcome.DISMISSED,
    )
    again = make_testimonial(author=author)
    first_timer = make_testimonial()
    client.force_login(moderator)

    html = client.get("/moderation/").content.decode()

    assert "1 earlier rejection of" in card(html, f"testimonial-{again.pk}")
    assert "1 open report on" in card(html, f"testimonial-{again.pk}")
    assert "0 earlier rejections" in card(html, f"testimonial-{first_timer.pk}")
    assert "0 open reports" in card(html, f"testimonial-{first_timer.pk}")


@pytest.mark.django_db
def test_queue_query_count_does_not_grow_with_pending_items(
    client, moderator, make_user, make_testimonial, make_revision, make_article, django_assert_max_num_queries
):
    thread = Thread.objects.for_subject(make_article())

    def add_pending_items() -> None:
        author = make_user()
        make_testimonial(author=author)
        make_revision(narrative="A revised story")
        comment = Comment.objects.create(thread=thread, author=author, body="x", status="published")
        Report.objects.create(comment=comment, reporter=make_user(), reason=Report.Reason.SPAM)

    add_pending_items()
    client.force_login(moderator)
    client.get("/moderation/")  # warm caches (content types, sessions) that are not per item
    with CaptureQueriesContext(connection) as one_item:
        client.get("/moderation/")
    for _ in range(29):
        add_pending_items()

    with django_assert_max_num_queries(len(one_item)):
        response = client.get("/moderation/")

    assert response.status_code == 200
    assert len(response.context["testimonials"]) == 30 and len(response.context["revisions"]) == 30


# Deciding ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_approving_publishes_logs_the_moderator_and_emails_only_the_author_after_commit(
    client, moderator, make_user, make_testimonial, mailoutbox, django_capture_on_commit_callbacks
):
    bystander = make_user(email="bystander@example.org")
    make_testimonial(author=bystander)
    testimonial = make_testimonial()
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moderation/testimonials/{testimonial.pk}/approve/",
            {"seen": testimonial.fingerprint},
            follow=True,
        )
        assert mailoutbox == []  # nothing is sent before the decision commits

    assert "is published" in response.content.decode()
    assert testimonial in Testimonial.objects.public()
    event = ModerationEvent.objects.get(action="approve")
    assert event.actor == moderator and (event.from_state, event.to_state) == ("pending", "approved")
    assert event.object_id == testimonial.pk
    [mail] = mailoutbox
    assert mail.to == [testimonial.author.email]
    assert testimonial.title in mail.body
    everything = mail.subject + mail.body + " ".join(mail.cc + mail.bcc)
    assert bystander.email not in everything and moderator.email not in everything


@pytest.mark.django_db
def test_rejecting_without_a_reason_changes_nothing_and_says_so(
    client, moderator, make_testimonial, mailoutbox, django_capture_on_commit_callbacks
):
    testimonial = make_testimonial()
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moderation/testimonials/{testimonial.pk}/reject/",
            {"seen": testimonial.fingerprint, "reason_choice": "", "reason": "   "},
            follow=True,
        )

    [(location, _)] = response.redirect_chain
    assert location.endswith(f"#reject-testimonial-{testimonial.pk}")  # back at the form, not the page top
    assert "Give a reason" in card(response.content.decode(), f"testimonial-{testimonial.pk}")
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.PENDING
    assert events("reject") == [] and mailoutbox == []


@pytest.mark.django_db
def test_rejecting_with_own_words_emails_the_author_the_reason(
    client, moderator, make_testimonial, mailoutbox, django_capture_on_commit_callbacks
):
    testimonial = make_testimonial()
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/moderation/testimonials/{testimonial.pk}/reject/",
            {"seen": testimonial.fingerprint, "reason": "Please remove your neighbour's name."},
        )

    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.REJECTED
    assert testimonial.rejection_reason == "Please remove your neighbour's name."
    assert events("reject")[0].reason == "Please remove your neighbour's name."
    [mail] = mailoutbox
    assert mail.to == [testimonial.author.email]
    assert "Please remove your neighbour's name." in mail.body


@pytest.mark.django_db
def test_a_usual_reason_can_be_chosen_and_added_to(
    client, moderator, make_testimonial, mailoutbox, django_capture_on_commit_callbacks
):
    selling = make_testimonial()
    instructions = make_testimonial()
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/moderation/testimonials/{selling.pk}/reject/",
            {"seen": selling.fingerprint, "reason_choice": "selling"},
        )
        client.post(
            f"/moderation/testimonials/{instructions.pk}/reject/",
            {
                "seen": instructions.fingerprint,
                "reason_choice": "instructions",
                "reason": "The dosing schedule in paragraph 2.",
            },
        )

    selling.refresh_from_db()
    instructions.refresh_from_db()
    assert "buying or selling medicines" in selling.rejection_reason
    assert "how to take LDN" in instructions.rejection_reason
    assert "The dosing schedule in paragraph 2." in instructions.rejection_reason
    assert "buying or selling medicines" in mailoutbox[0].body


@pytest.mark.django_db
def test_an_unknown_usual_reason_is_refused(client, moderator, make_testimonial):
    testimonial = make_testimonial()
    client.force_login(moderator)

    client.post(
        f"/moderation/testimonials/{testimonial.pk}/reject/",
        {"seen": testimonial.fingerprint, "reason_choice": "because"},
    )

    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.PENDING


@pytest.mark.django_db
def test_bulk_approve_publishes_every_ticked_testimonial(
    client, moderator, make_testimonial, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, untouched = make_testimonial(), make_testimonial(), make_testimonial()
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/moderation/testimonials/decide/",
            {
                "ids": [first.pk, second.pk],
                "action": "approve",
                f"seen-{first.pk}": first.fingerprint,
                f"seen-{second.pk}": second.fingerprint,
            },
            follow=True,
        )

    assert "2 experiences were published" in response.content.decode()
    assert set(Testimonial.objects.public()) == {first, second}
    assert {event.object_id for event in events("approve")} == {first.pk, second.pk}
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([first.author.email, second.author.email])
    untouched.refresh_from_db()
    assert untouched.status == Testimonial.Status.PENDING


@pytest.mark.django_db
def test_bulk_reject_gives_every_ticked_testimonial_the_same_reason(client, moderator, make_testimonial):
    first, second = make_testimonial(), make_testimonial()
    client.force_login(moderator)

    client.post(
        "/moderation/testimonials/decide/",
        {
            "ids": [first.pk, second.pk],
            "action": "reject",
            "reason_choice": "not_own_experience",
            f"seen-{first.pk}": first.fingerprint,
            f"seen-{second.pk}": second.fingerprint,
        },  # fmt: skip
    )

    for testimonial in (first, second):
        testimonial.refresh_from_db()
        assert testimonial.status == Testimonial.Status.REJECTED
        assert "not about your own experience" in testimonial.rejection_reason
    assert len(events("reject")) == 2


@pytest.mark.django_db
def test_bulk_reject_without_a_reason_changes_nothing(client, moderator, make_testimonial):
    first, second = make_testimonial(), make_testimonial()
    client.force_login(moderator)

    response = client.post(
        "/moderation/testimonials/decide/", {"ids": [first.pk, second.pk], "action": "reject"}, follow=True
    )

    assert "Give a reason" in response.content.decode()
    assert Testimonial.objects.pending().count() == 2 and events("reject") == []


@pytest.mark.django_db
def test_bulk_decision_without_ticks_or_a_choice_changes_nothing(client, moderator, make_testimonial):
    testimonial = make_testimonial()
    client.force_login(moderator)

    no_ticks = client.post("/moderation/testimonials/decide/", {"action": "approve"}, follow=True)
    no_choice = client.post("/moderation/testimonials/decide/", {"ids": [testimonial.pk]}, follow=True)

    assert "Tick at least one experience" in no_ticks.content.decode()
    assert "Choose to approve or to reject" in no_choice.content.decode()
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.PENDING and events("approve") == []


@pytest.mark.django_db
def test_bulk_decision_skips_the_ones_already_decided_and_says_so(
    client, moderator, other_moderator, make_testimonial
):
    decided, waiting = make_testimonial(title="DECIDED-ELSEWHERE"), make_testimonial()
    moderation.approve(decided, by=other_moderator)
    client.force_login(moderator)

    response = client.post(
        "/moderation/testimonials/decide/",
        {
            "ids": [decided.pk, waiting.pk],
            "action": "reject",
            "reason": "Off topic",
            f"seen-{decided.pk}": decided.fingerprint,
            f"seen-{waiting.pk}": waiting.fingerprint,
        },  # fmt: skip
        follow=True,
    )

    html = response.content.decode()
    assert "DECIDED-ELSEWHERE" in html and "already decided by another moderator" in html
    assert "1 experience was not approved" in html
    decided.refresh_from_db()
    assert decided.status == Testimonial.Status.APPROVED
    assert [event.object_id for event in events("reject")] == [waiting.pk]


@pytest.mark.django_db
def test_the_second_moderator_is_told_it_was_already_decided(
    client, moderator, other_moderator, make_testimonial
):
    testimonial = make_testimonial()
    client.force_login(moderator)
    client.post(f"/moderation/testimonials/{testimonial.pk}/approve/", {"seen": testimonial.fingerprint})
    client.force_login(other_moderator)

    response = client.post(
        f"/moderation/testimonials/{testimonial.pk}/reject/",
        {"seen": testimonial.fingerprint, "reason": "Too late"},
        follow=True,
    )

    assert "already decided by another moderator" in response.content.decode()
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.APPROVED and testimonial.moderated_by == moderator
    assert len(events("approve")) == 1 and events("reject") == []


@pytest.mark.django_db
def test_a_moderator_cannot_decide_on_their_own_testimonial(client, moderator, make_testimonial):
    own = make_testimonial(author=moderator)
    client.force_login(moderator)

    assert "another moderator needs to decide" in card(
        client.get("/moderation/").content.decode(), f"testimonial-{own.pk}"
    )
    client.post(f"/moderation/testimonials/{own.pk}/approve/")
    client.post("/moderation/testimonials/decide/", {"ids": [own.pk], "action": "approve"})

    own.refresh_from_db()
    assert own.status == Testimonial.Status.PENDING and events("approve") == []


# Revisions --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_pending_revision_is_shown_with_what_changed(client, moderator, make_revision):
    revision = make_revision(title="A better title", narrative="REVISED-TEXT-MARKER")
    client.force_login(moderator)

    html = card(client.get("/moderation/").content.decode(), f"revision-{revision.pk}")

    assert "REVISED-TEXT-MARKER" in html and "PUBLISHED-TEXT-MARKER" in html
    assert "Changed: Title, Narrative." in html
    assert "was: The published title" in html


@pytest.mark.django_db
def test_approving_a_revision_replaces_the_public_text(
    client, moderator, make_revision, mailoutbox, django_capture_on_commit_callbacks
):
    revision = make_revision(narrative="REVISED-TEXT-MARKER")
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/moderation/revisions/{revision.pk}/approve/", {"seen": revision.fingerprint})

    published = Testimonial.objects.public().get(pk=revision.testimonial_id)
    assert published.narrative == "REVISED-TEXT-MARKER"
    assert ModerationEvent.objects.get(action="approve_revision").actor == moderator
    assert [mail.to for mail in mailoutbox] == [[published.author.email]]


@pytest.mark.django_db
def test_rejecting_a_revision_keeps_the_old_text_and_emails_the_reason(
    client, moderator, make_revision, mailoutbox, django_capture_on_commit_callbacks
):
    revision = make_revision(narrative="REVISED-TEXT-MARKER")
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/moderation/revisions/{revision.pk}/reject/",
            {"seen": revision.fingerprint, "reason_choice": "personal_details"},
        )

    published = Testimonial.objects.public().get(pk=revision.testimonial_id)
    assert published.narrative == "PUBLISHED-TEXT-MARKER"
    revision.refresh_from_db()
    assert revision.status == TestimonialRevision.Status.REJECTED
    [mail] = mailoutbox
    assert mail.to == [published.author.email] and "personal details" in mail.body


@pytest.mark.django_db
def test_rejecting_a_revision_needs_a_reason(client, moderator, make_revision):
    revision = make_revision()
    client.force_login(moderator)

    response = client.post(
        f"/moderation/revisions/{revision.pk}/reject/",
        {"seen": revision.fingerprint, "reason": ""},
        follow=True,
    )

    assert "Give a reason" in response.content.decode()
    revision.refresh_from_db()
    assert revision.status == TestimonialRevision.Status.PENDING


# The transition table ---------------------------------------------------------------------------------------


def _approve_twice(testimonial, moderator):
    moderation.approve(testimonial, by=moderator)
    return lambda: moderation.approve(testimonial, by=moderator)


def _reject_approved(testimonial, moderator):
    moderation.approve(testimonial, by=moderator)
    return lambda: moderation.reject(testimonial, by=moderator, reason="Changed my mind")


def _approve_withdrawn(testimonial, moderator):
    moderation.withdraw(testimonial, by=testimonial.author)
    return lambda: moderation.approve(testimonial, by=moderator)


def _approve_rejected(testimonial, moderator):
    moderation.reject(testimonial, by=moderator, reason="Off topic")
    return lambda: moderation.approve(testimonial, by=moderator)


def _reject_withdrawn(testimonial, moderator):
    moderation.withdraw(testimonial, by=testimonial.author)
    return lambda: moderation.reject(testimonial, by=moderator, reason="Off topic")


def _approve_revision_twice(testimonial, moderator):
    moderation.approve(testimonial, by=moderator)
    revision = moderation.edit(testimonial, by=testimonial.author, content=story(title="New title"))
    moderation.approve_revision(revision, by=moderator)
    return lambda: moderation.approve_revision(revision, by=moderator)


def _reject_rejected_revision(testimonial, moderator):
    moderation.approve(testimonial, by=moderator)
    revision = moderation.edit(testimonial, by=testimonial.author, content=story(title="New title"))
    moderation.reject_revision(revision, by=moderator, reason="No")
    return lambda: moderation.reject_revision(revision, by=moderator, reason="Still no")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forbidden",
    [
        _approve_twice,
        _reject_approved,
        _approve_withdrawn,
        _approve_rejected,
        _reject_withdrawn,
        _approve_revision_twice,
        _reject_rejected_revision,
    ],
)
def test_moves_the_table_forbids_raise_and_write_nothing(
    moderator, make_testimonial, mailoutbox, django_capture_on_commit_callbacks, forbidden
):
    testimonial = make_testimonial()
    attempt = forbidden(testimonial, moderator)
    before = Testimonial.objects.values().get(pk=testimonial.pk)
    event_count = ModerationEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition):
        attempt()

    assert Testimonial.objects.values().get(pk=testimonial.pk) == before
    assert ModerationEvent.objects.count() == event_count
    assert mailoutbox == []


# The admin --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_approve_action_publishes_and_writes_an_event(client, moderator, make_testimonial):
    testimonial = make_testimonial()
    client.force_login(moderator)

    choose = {"action": "approve_selected", "_selected_action": [testimonial.pk], "index": 0}
    shown = client.post(ADMIN_CHANGELIST, choose)
    assert shown.status_code == 200 and "My afternoons are <strong>easier</strong>" in shown.content.decode()
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.PENDING  # nothing is decided before it is read

    response = client.post(
        ADMIN_CHANGELIST, {**choose, "post": "yes", f"seen-{testimonial.pk}": testimonial.fingerprint}
    )

    assert response.status_code == 302
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.APPROVED
    assert ModerationEvent.objects.get(action="approve").actor == moderator


@pytest.mark.django_db
def test_admin_reject_action_asks_for_a_reason_first(client, moderator, make_testimonial):
    testimonial = make_testimonial()
    client.force_login(moderator)
    choose = {"action": "reject_selected", "_selected_action": [testimonial.pk]}

    asked = client.post(ADMIN_CHANGELIST, {**choose, "index": 0})
    refused = client.post(ADMIN_CHANGELIST, {**choose, "post": "yes", "reason": ""})

    assert asked.status_code == 200 and "Reject with this reason" in asked.content.decode()
    assert "Give a reason" in refused.content.decode()
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.PENDING

    response = client.post(
        ADMIN_CHANGELIST,
        {
            **choose,
            "post": "yes",
            "reason_choice": "selling",
            f"seen-{testimonial.pk}": testimonial.fingerprint,
        },
    )

    assert response.status_code == 302
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.REJECTED
    event = ModerationEvent.objects.get(action="reject")
    assert event.actor == moderator and "buying or selling medicines" in event.reason


@pytest.mark.django_db
def test_admin_actions_leave_a_moderators_own_testimonial_to_another_moderator(
    client, moderator, make_testimonial
):
    own = make_testimonial(author=moderator)
    client.force_login(moderator)

    approve = {"action": "approve_selected", "_selected_action": [own.pk], "index": 0}

    response = client.post(ADMIN_CHANGELIST, approve, follow=True)

    assert "left for another moderator" in response.content.decode()
    own.refresh_from_db()
    assert own.status == Testimonial.Status.PENDING and events("approve") == []


@pytest.mark.django_db
def test_admin_action_on_an_already_decided_testimonial_warns_and_changes_nothing(
    client, moderator, other_moderator, make_testimonial
):
    testimonial = make_testimonial()
    moderation.approve(testimonial, by=other_moderator)
    client.force_login(moderator)

    response = client.post(
        ADMIN_CHANGELIST,
        {"action": "reject_selected", "_selected_action": [testimonial.pk], "post": "yes", "reason": "No"},
        follow=True,
    )

    assert "Cannot reject" in response.content.decode()
    assert events("reject") == []


@pytest.mark.django_db
def test_admin_never_edits_status_directly(client, moderator, make_testimonial):
    testimonial = make_testimonial()
    client.force_login(moderator)

    client.post(f"{ADMIN_CHANGELIST}{testimonial.pk}/change/", {"status": "approved", "title": "Hacked"})

    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.PENDING and testimonial.title != "Hacked"


@pytest.mark.django_db
def test_admin_actions_are_refused_without_the_moderators_permission(
    client, member, editor, make_user, make_testimonial
):
    testimonial = make_testimonial()
    reader = make_user(is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_testimonial"))
    approve = {"action": "approve_selected", "_selected_action": [testimonial.pk], "index": 0}

    client.force_login(member)
    assert client.post(ADMIN_CHANGELIST, approve).status_code == 302  # to the admin login
    client.force_login(editor)
    assert client.post(ADMIN_CHANGELIST, approve).status_code == 403
    client.force_login(reader)
    assert "approve_selected" not in client.get(ADMIN_CHANGELIST).content.decode()
    client.post(ADMIN_CHANGELIST, approve)

    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.PENDING
    assert events("approve") == []
