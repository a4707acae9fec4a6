"""Marking stories and comments helpful through HTTP: one mark per member, undo, never one's own, only on
what is public, only for members with a confirmed address, rate-limited."""

import json

import pytest
from django.db import IntegrityError, transaction

from ldnsite.comments.models import Comment
from ldnsite.helpful import marks, registry
from ldnsite.helpful.models import HelpfulCount, HelpfulMark
from testimonials import moderation as story_moderation
from testimonials.models import Testimonial

Testimonial.__test__ = False


def toggle_url(kind: str, pk: int) -> str:
    return f"/helpful/{kind}/{pk}/"


def kept_count(item) -> int:
    row = HelpfulCount.objects.filter(kind=registry.of(item).kind, object_id=item.pk).first()
    return row.count if row else 0


def test_a_member_marks_a_story_once_however_often_they_send_it(browser_of, make_user, story):
    reader = browser_of(make_user())
    url = story.get_absolute_url()

    first = reader.post(toggle_url("testimonial", story.pk), {"action": "mark", "next": f"{url}#helpful"})
    second = reader.post(toggle_url("testimonial", story.pk), {"action": "mark", "next": f"{url}#helpful"})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == f"{url}#helpful"
    assert HelpfulMark.objects.filter(kind="testimonial", object_id=story.pk).count() == 1
    assert kept_count(story) == 1
    html = reader.get(url).content.decode()
    assert 'aria-pressed="true"' in html and "Undo helpful" in html and "Helpful (1)" in html


def test_the_database_refuses_a_second_mark_by_the_same_member(make_user, story):
    reader = make_user()
    HelpfulMark.objects.create(member=reader, kind="testimonial", object_id=story.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpfulMark.objects.create(member=reader, kind="testimonial", object_id=story.pk)


def test_undo_takes_the_mark_back_and_the_count_down(browser_of, make_user, story):
    reader = browser_of(make_user())
    other = make_user()
    marks.mark(story, by=other)
    reader.post(toggle_url("testimonial", story.pk), {"action": "mark"})
    assert kept_count(story) == 2

    reader.post(toggle_url("testimonial", story.pk), {"action": "undo"})
    reader.post(toggle_url("testimonial", story.pk), {"action": "undo"})  # sent twice: nothing more

    assert kept_count(story) == 1
    html = reader.get(story.get_absolute_url()).content.decode()
    assert 'aria-pressed="false"' in html and "Mark as helpful" in html and "Helpful (1)" in html


def test_without_an_action_the_button_toggles(browser_of, make_user, story):
    reader = browser_of(make_user())
    reader.post(toggle_url("testimonial", story.pk))
    assert kept_count(story) == 1
    reader.post(toggle_url("testimonial", story.pk))
    assert kept_count(story) == 0


@pytest.mark.parametrize("display_as", ["display_name", "ms_type"])
def test_nobody_marks_their_own_story_even_when_it_is_anonymous(
    browser_of, make_testimonial, make_user, display_as
):
    author = make_user()
    own = make_testimonial(author=author, display_as=display_as)
    client = browser_of(author)

    response = client.post(toggle_url("testimonial", own.pk), {"action": "mark"})

    assert response.status_code == 403
    assert "You cannot mark your own words as helpful." in response.content.decode()
    assert kept_count(own) == 0 and not HelpfulMark.objects.exists()
    page = client.get(own.get_absolute_url()).content.decode()
    assert "Mark as helpful" not in page and "Helpful (0)" in page


def test_nobody_marks_their_own_comment(browser_of, make_user, make_article, make_comment):
    author = make_user()
    comment = make_comment(make_article(), author, "My own words.")
    response = browser_of(author).post(toggle_url("comment", comment.pk), {"action": "mark"})
    assert response.status_code == 403 and not HelpfulMark.objects.exists()


@pytest.mark.parametrize("state", ["pending", "rejected", "withdrawn"])
def test_a_story_that_is_not_public_cannot_be_marked(browser_of, make_testimonial, make_user, state):
    hidden = make_testimonial(state=state)
    response = browser_of(make_user()).post(toggle_url("testimonial", hidden.pk), {"action": "mark"})
    assert response.status_code == 404 and not HelpfulMark.objects.exists()


@pytest.mark.parametrize("status", [Comment.Status.HELD, Comment.Status.HIDDEN, Comment.Status.REMOVED])
def test_a_comment_that_is_not_public_cannot_be_marked(
    browser_of, make_user, make_article, make_comment, status
):
    comment = make_comment(make_article(), status=status)
    response = browser_of(make_user()).post(toggle_url("comment", comment.pk), {"action": "mark"})
    assert response.status_code == 404 and not HelpfulMark.objects.exists()


def test_a_comment_under_a_draft_article_cannot_be_marked(browser_of, make_user, make_article, make_comment):
    comment = make_comment(make_article(published=False), status=Comment.Status.PUBLISHED)
    response = browser_of(make_user()).post(toggle_url("comment", comment.pk), {"action": "mark"})
    assert response.status_code == 404


def test_a_hidden_item_keeps_its_marks_but_is_neither_markable_nor_shown(
    browser_of, make_user, story, moderator
):
    reader = make_user()
    marks.mark(story, by=reader)
    story_moderation.withdraw(Testimonial.objects.get(pk=story.pk), by=story.author)

    undo = browser_of(reader).post(toggle_url("testimonial", story.pk), {"action": "undo"})

    assert undo.status_code == 404
    assert kept_count(story) == 1 and HelpfulMark.objects.count() == 1
    assert browser_of(reader).get(story.get_absolute_url()).status_code == 404


def test_unknown_kinds_and_items_are_not_found(browser_of, make_user):
    client = browser_of(make_user())
    assert client.post(toggle_url("nonsense", 1)).status_code == 404
    assert client.post(toggle_url("testimonial", 999_999)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(browser_of, story):
    response = browser_of(None).post(toggle_url("testimonial", story.pk), {"action": "mark"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not HelpfulMark.objects.exists()


def test_a_member_without_a_confirmed_address_is_asked_to_confirm_it(browser_of, make_user, story):
    unverified = make_user(verified=False)
    client = browser_of(unverified)
    response = client.post(toggle_url("testimonial", story.pk), {"action": "mark"}, follow=True)
    assert (
        "Please confirm your e-mail address before you mark anything as helpful." in response.content.decode()
    )
    assert not HelpfulMark.objects.exists()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Mark as helpful" not in page and "Confirm your e-mail address</a> to mark as helpful" in page


def test_a_get_changes_nothing(browser_of, make_user, story):
    response = browser_of(make_user()).get(toggle_url("testimonial", story.pk))
    assert response.status_code == 405 and not HelpfulMark.objects.exists()


def test_the_way_back_stays_on_this_site(browser_of, make_user, story):
    client = browser_of(make_user())
    response = client.post(
        toggle_url("testimonial", story.pk), {"action": "mark", "next": "https://evil.example/"}
    )
    assert response["Location"] == story.get_absolute_url()


def test_the_script_gets_the_new_state_as_json(browser_of, make_user, story):
    client = browser_of(make_user())
    response = client.post(
        toggle_url("testimonial", story.pk), {"action": "mark"}, headers={"accept": "application/json"}
    )
    assert response.status_code == 200
    assert json.loads(response.content) == {"marked": True, "count": 1}
    own = browser_of(story.author).post(
        toggle_url("testimonial", story.pk), {"action": "mark"}, headers={"accept": "application/json"}
    )
    assert own.status_code == 403 and "own words" in json.loads(own.content)["error"]


def test_marking_is_rate_limited_per_member(browser_of, make_user, make_testimonial, settings):
    settings.HELPFUL_RATE_MEMBER = (2, 600)
    stories = [make_testimonial() for _ in range(3)]
    client = browser_of(make_user())

    answers = [client.post(toggle_url("testimonial", s.pk), {"action": "mark"}) for s in stories]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "faster than we allow" in answers[2].content.decode()
    assert HelpfulMark.objects.count() == 2
    assert browser_of(make_user()).post(toggle_url("testimonial", stories[2].pk)).status_code == 302


def test_anonymous_readers_see_the_count_and_how_to_take_part(browser_of, make_user, story):
    for _ in range(2):
        marks.mark(story, by=make_user())
    html = browser_of(None).get(story.get_absolute_url()).content.decode()
    assert "Helpful (2)" in html and "Sign in to mark as helpful" in html
    assert "aria-pressed" not in html


def test_a_comment_is_marked_and_shown_with_its_count(browser_of, make_user, make_article, make_comment):
    article = make_article(slug="marked-comments")
    comment = make_comment(article, make_user(display_name="Ben"), "Ben's useful tip.")
    reader = browser_of(make_user())

    response = reader.post(
        toggle_url("comment", comment.pk),
        {"action": "mark", "next": f"/articles/marked-comments/#comment-{comment.pk}"},
    )

    assert response["Location"] == f"/articles/marked-comments/#comment-{comment.pk}"
    html = reader.get(article.get_absolute_url()).content.decode()
    assert f'id="helpful-comment-{comment.pk}"' in html
    assert 'aria-pressed="true"' in html and f'aria-describedby="comment-{comment.pk}-by"' in html
    assert "Helpful (1)" in browser_of(None).get(article.get_absolute_url()).content.decode()


def test_deleting_an_item_deletes_its_marks_and_count(browser_of, make_user, make_testimonial):
    doomed = make_testimonial()
    marks.mark(doomed, by=make_user())
    story_moderation.delete(Testimonial.objects.get(pk=doomed.pk), by=doomed.author)
    assert not HelpfulMark.objects.exists() and not HelpfulCount.objects.exists()


def test_a_kind_is_registered_once(story):
    with pytest.raises(ValueError):
        registry.register(
            Testimonial, kind="story", public=Testimonial.objects.public, author_id=lambda t: None
        )
