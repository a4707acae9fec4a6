"""Each watched-word action on each surface that applies them, through HTTP as members and moderators use it:
block refuses and keeps the text, hold makes the text wait, flag shows it and puts it in the queue; every
match is logged."""

import html as html_lib

import pytest

from ldnsite.comments.models import Comment, CommentRevision
from ldnsite.moderation.models import ModerationEvent
from ldnsite.watchwords.models import Action, WatchedWordHit
from testimonials import models as stories
from tests.accounts.test_account_pages import SIGNUP, signup_data

from .conftest import card, post_comment, story_data

SUBMIT = "/testimonials/new/"
BLOCKED = "This site does not accept"
NAME_PAGE = "/accounts/display-name/"


@pytest.fixture(autouse=True)
def _no_first_comment_hold(settings):
    """Comments go straight up unless a watched word holds them."""
    settings.COMMENTS_HOLD_FIRST_COMMENT = False


def text_of(response) -> str:
    return html_lib.unescape(response.content.decode())


# Stories ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_blocked_word_refuses_a_story_keeps_its_text_and_logs_the_attempt(client, veteran, make_word):
    make_word("zorblax", label="the brand Zorblax")
    client.force_login(veteran)
    narrative = "My pharmacist suggested Zorblax alongside LDN, and every word of this must survive."

    response = client.post(SUBMIT, story_data(narrative=narrative))

    assert response.status_code == 400
    page = text_of(response)
    assert BLOCKED in page and "the brand Zorblax" in page
    assert narrative in page
    assert not stories.Testimonial.objects.exists()
    hit = WatchedWordHit.objects.get()
    assert (hit.action, hit.where, hit.object_id, hit.member) == (Action.BLOCK, "story", None, veteran)
    assert "Zorblax" in hit.excerpt


@pytest.mark.django_db
def test_a_held_word_in_a_story_is_shown_to_the_moderator_who_decides(client, veteran, moderator):
    client.force_login(veteran)

    response = client.post(SUBMIT, story_data(narrative="You can buy LDN cheaply from a friend of mine."))

    assert response.status_code == 302
    story = stories.Testimonial.objects.get()
    assert story.status == stories.Testimonial.Status.PENDING
    hit = WatchedWordHit.objects.get()
    assert (hit.action, hit.where, hit.object_id, hit.needs_review) == (Action.HOLD, "story", story.pk, False)
    client.force_login(moderator)
    queue = text_of(client.get("/moderation/"))
    assert "selling or sourcing LDN (hold)" in card(queue, f"testimonial-{story.pk}")


@pytest.mark.django_db
def test_a_flagged_story_asks_to_publish_anyway_and_logs_the_match_once_sent(client, veteran):
    client.force_login(veteran)
    narrative = "Ring me on 0123 456 7890 if you want to talk."

    warned = client.post(SUBMIT, story_data(narrative=narrative))

    assert warned.status_code == 400 and "a phone number" in text_of(warned) and narrative in text_of(warned)
    assert not WatchedWordHit.objects.exists()  # nothing sent yet: the author may take it out

    assert client.post(SUBMIT, story_data(narrative=narrative, publish_anyway="on")).status_code == 302
    hit = WatchedWordHit.objects.get()
    assert (hit.label, hit.action, hit.object_id) == (
        "a phone number",
        Action.FLAG,
        stories.Testimonial.objects.get().pk,
    )


@pytest.mark.django_db
def test_each_watched_word_a_text_matches_is_logged(client, veteran):
    client.force_login(veteran)
    narrative = "A miracle cure! Buy LDN at www.example.com or mail jo@example.org"

    client.post(SUBMIT, story_data(narrative=narrative, publish_anyway="on"))

    assert sorted(WatchedWordHit.objects.values_list("label", flat=True)) == [
        "a cure claim", "a web link", "an e-mail address", "selling or sourcing LDN",
    ]  # fmt: skip


# Revisions of published stories -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_blocked_word_refuses_a_change_to_a_published_story_and_keeps_it(
    client, veteran, make_testimonial, make_word
):
    make_word("zorblax")
    story = make_testimonial(state="approved", author=veteran)
    client.force_login(veteran)
    narrative = "Changed my mind: Zorblax is what I take now, and this sentence stays in the box."

    response = client.post(f"/testimonials/{story.pk}/edit/", story_data(narrative=narrative))

    assert response.status_code == 400
    assert BLOCKED in text_of(response) and narrative in text_of(response)
    assert not stories.TestimonialRevision.objects.exists()
    assert WatchedWordHit.objects.get().where == "story revision"


@pytest.mark.django_db
def test_a_held_word_in_a_change_is_logged_against_the_waiting_revision(
    client, veteran, make_testimonial, moderator
):
    story = make_testimonial(state="approved", author=veteran)
    client.force_login(veteran)

    response = client.post(f"/testimonials/{story.pk}/edit/", story_data(narrative="It is a miracle cure."))

    assert response.status_code == 302
    revision = stories.TestimonialRevision.objects.get(status=stories.TestimonialRevision.Status.PENDING)
    hit = WatchedWordHit.objects.get()
    assert (hit.where, hit.object_id, hit.action) == ("story revision", revision.pk, Action.HOLD)
    client.force_login(moderator)
    assert "a cure claim (hold)" in card(text_of(client.get("/moderation/")), f"revision-{revision.pk}")


# Comments ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_blocked_word_refuses_a_comment_and_keeps_its_text(client, veteran, article, make_word):
    make_word("zorblax")
    client.force_login(veteran)
    body = "Has anyone tried Zorblax? I wrote this carefully and want it back."

    response = post_comment(client, body=body)

    assert response.status_code == 400
    assert BLOCKED in text_of(response) and body in text_of(response)
    assert not Comment.objects.exists()
    hit = WatchedWordHit.objects.get()
    assert (hit.where, hit.action, hit.object_id, hit.member) == ("comment", Action.BLOCK, None, veteran)


@pytest.mark.django_db
def test_a_held_word_holds_a_comment_that_would_be_published_and_moderators_see_why(
    client, veteran, article, moderator
):
    client.force_login(veteran)

    response = post_comment(client, body="Happy to sell LDN to anyone here, message me.")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.HELD
    assert "waits for a moderator" in text_of(client.get(response.url))
    client.logout()
    assert "Happy to sell" not in text_of(client.get(article.get_absolute_url()))
    event = ModerationEvent.objects.get(action="submit", object_id=comment.pk)
    assert "selling or sourcing LDN" in event.reason
    client.force_login(moderator)
    held = card(text_of(client.get("/moderation/")), f"comment-{comment.pk}")
    assert "Selling or sourcing LDN" in held and "(hold)" in held


@pytest.mark.django_db
def test_a_flagged_comment_is_published_and_waits_in_the_queue_until_reviewed(
    client, veteran, article, moderator
):
    client.force_login(veteran)

    post_comment(client, body="Details on www.ldn-research-notes.org for anyone curious.")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PUBLISHED
    hit = WatchedWordHit.objects.get()
    assert (hit.action, hit.object_id, hit.needs_review) == (Action.FLAG, comment.pk, True)
    client.force_login(moderator)
    queue = text_of(client.get("/moderation/"))
    flagged = card(queue, f"watched-hit-{hit.pk}")
    assert "A web link in a comment" in flagged and "ldn-research-notes.org" in flagged
    assert f'href="{comment.get_absolute_url()}"' in flagged

    response = client.post(f"/moderation/watched-words/matches/{hit.pk}/reviewed/")

    assert response.status_code == 302
    hit.refresh_from_db()
    assert hit.reviewed_by == moderator and hit.reviewed_at is not None
    assert f"watched-hit-{hit.pk}" not in text_of(client.get("/moderation/"))
    assert ModerationEvent.objects.filter(action="review_watched_word_match", object_id=hit.pk).count() == 1
    again = client.post(f"/moderation/watched-words/matches/{hit.pk}/reviewed/", follow=True)
    assert "already decided" in text_of(again)


@pytest.mark.django_db
def test_a_held_word_in_an_edit_of_a_shown_comment_makes_the_edit_wait(client, veteran, article, make_word):
    client.force_login(veteran)
    post_comment(client, body="LDN helped my sleep.")
    comment = Comment.objects.get()
    body = "LDN helped my sleep. Buy LDN from me."

    response = client.post(f"/comments/{comment.pk}/edit/", {"body": body})

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "LDN helped my sleep." and comment.status == Comment.Status.PUBLISHED
    assert CommentRevision.objects.get(comment=comment).body == body
    assert WatchedWordHit.objects.get().object_id == comment.pk


@pytest.mark.django_db
def test_a_blocked_word_refuses_a_comment_edit_and_keeps_it(client, veteran, article, make_word):
    make_word("zorblax")
    client.force_login(veteran)
    post_comment(client, body="Fine words.")
    comment = Comment.objects.get()

    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Now with Zorblax, kept in the box."})

    assert response.status_code == 400
    assert "Now with Zorblax, kept in the box." in text_of(response)
    comment.refresh_from_db()
    assert comment.body == "Fine words."
    assert WatchedWordHit.objects.get().action == Action.BLOCK


# Display names ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_blocked_word_refuses_a_display_name_and_keeps_it_in_the_form(client, veteran, make_word):
    make_word("ldn dealer", label="the words “LDN dealer”")
    client.force_login(veteran)

    response = client.post(NAME_PAGE, {"display_name": "Friendly LDN Dealer"})

    assert response.status_code == 400
    page = text_of(response)
    assert "A display name cannot contain the words “LDN dealer”" in page
    assert 'value="Friendly LDN Dealer"' in page
    veteran.refresh_from_db()
    assert veteran.display_name == "Long Time"
    assert WatchedWordHit.objects.get().where == "display name"


@pytest.mark.django_db
@pytest.mark.parametrize("action", [Action.HOLD, Action.FLAG])
def test_a_held_or_flagged_display_name_is_taken_and_goes_to_the_queue(
    client, veteran, moderator, make_word, action
):
    make_word("pharmacy", action=action, label="the word “pharmacy”")
    client.force_login(veteran)

    response = client.post(NAME_PAGE, {"display_name": "Pharmacy Pat"})

    assert response.status_code == 302
    veteran.refresh_from_db()
    assert veteran.display_name == "Pharmacy Pat"
    hit = WatchedWordHit.objects.get()
    assert hit.needs_review and hit.member == veteran
    client.force_login(moderator)
    flagged = card(text_of(client.get("/moderation/")), f"watched-hit-{hit.pk}")
    assert "The word “pharmacy” in a display name" in flagged and "Pharmacy Pat" in flagged


@pytest.mark.django_db
def test_a_blocked_word_refuses_a_name_at_sign_up_and_keeps_what_was_typed(client, make_word):
    make_word("ldn dealer", label="the words “LDN dealer”")

    response = client.post(SIGNUP, signup_data(display_name="LDN Dealer"))

    page = text_of(response)
    assert "A display name cannot contain the words “LDN dealer”" in page
    assert 'value="LDN Dealer"' in page and 'value="newcomer@example.org"' in page
    hit = WatchedWordHit.objects.get()
    assert (hit.where, hit.member, hit.action) == ("display name", None, Action.BLOCK)


@pytest.mark.django_db
def test_a_flagged_name_at_sign_up_is_taken_and_goes_to_the_queue(client, make_word):
    make_word("pharmacy", action=Action.FLAG)

    response = client.post(SIGNUP, signup_data(display_name="Pharmacy Pat"))

    assert response.status_code == 302
    hit = WatchedWordHit.objects.get()
    assert hit.member.display_name == "Pharmacy Pat" and hit.needs_review


@pytest.mark.django_db
def test_a_blocked_text_sent_again_and_again_does_not_fill_the_log(client, veteran, article, make_word):
    from ldnsite.watchwords.matching import ATTEMPTS_LOGGED_PER_HOUR

    make_word("zorblax")
    client.force_login(veteran)

    for _ in range(ATTEMPTS_LOGGED_PER_HOUR + 5):
        response = post_comment(client, body="Zorblax, again and again.")
        assert response.status_code == 400 and "Zorblax, again and again." in text_of(response)

    assert WatchedWordHit.objects.count() == ATTEMPTS_LOGGED_PER_HOUR
