"""The moderators' page of watched words: who may use it, adding, changing and deactivating words (each change
logged), the test mode on recent posts, bad patterns, the queue section's cost and the cache's failure."""

import html as html_lib
import re

import pytest
from django.core.cache import cache
from django.test import Client

from ldnsite.comments.models import Comment
from ldnsite.moderation.models import ModerationEvent
from ldnsite.watchwords.matching import record, scan
from ldnsite.watchwords.models import Action, WatchedWord, WatchedWordHit

from .conftest import post_comment

LIST = "/moderation/watched-words/"
ADD = "/moderation/watched-words/new/"
HIT_CARD = re.compile(r'id="watched-hit-\d+"')
DEFAULT_LABELS = [
    "a cure claim",
    "a phone number",
    "a web link",
    "an e-mail address",
    "selling or sourcing LDN",
]


def text_of(response) -> str:
    return html_lib.unescape(response.content.decode())


def word_data(**overrides) -> dict:
    data = {"label": "the brand Zorblax", "match_type": "phrases", "pattern": "zorblax", "action": "block",
            "is_active": "on"}  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _no_first_comment_hold(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False


@pytest.mark.django_db
def test_moderators_see_the_default_words(client, moderator):
    client.force_login(moderator)

    page = text_of(client.get(LIST))

    for label in DEFAULT_LABELS:
        assert label in page
    assert sorted(WatchedWord.objects.values_list("label", flat=True)) == DEFAULT_LABELS


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LIST, ADD])
def test_a_moderator_without_two_factor_and_a_member_are_refused(moderator, member, url):
    no_two_factor = Client()
    no_two_factor.force_login(moderator)
    refused = no_two_factor.get(url)
    assert refused.status_code in (302, 403) and "selling or sourcing LDN" not in text_of(refused)
    assert no_two_factor.post(url, word_data()).status_code in (302, 403)

    member_client = Client()
    member_client.force_login(member)
    assert member_client.get(url).status_code == 403
    assert member_client.post(url, word_data()).status_code == 403
    assert not WatchedWord.objects.filter(label="the brand Zorblax").exists()


@pytest.mark.django_db
def test_a_word_a_moderator_adds_applies_at_once_and_is_logged(client, moderator, make_user, make_article):
    make_article(slug="ldn-basics")
    writer = make_user()
    client.force_login(writer)
    assert post_comment(client, body="Zorblax is fine").status_code == 302  # the list is read and kept
    client.force_login(moderator)

    response = client.post(ADD, word_data())

    assert response.status_code == 302
    word = WatchedWord.objects.get(label="the brand Zorblax")
    assert word.created_by == moderator and word.action == Action.BLOCK
    event = ModerationEvent.objects.get(action="add_watched_word", object_id=word.pk)
    assert event.actor == moderator and "zorblax" in event.reason
    client.force_login(writer)
    assert post_comment(client, body="Zorblax again").status_code == 400


@pytest.mark.django_db
def test_a_deactivated_word_stops_matching_and_the_change_is_logged(client, moderator, make_word):
    word = make_word("zorblax")
    assert scan("zorblax").blocked
    client.force_login(moderator)

    response = client.post(f"/moderation/watched-words/{word.pk}/", word_data(is_active=""))

    assert response.status_code == 302
    word.refresh_from_db()
    assert not word.is_active and word.changed_by == moderator
    assert not scan("zorblax")
    event = ModerationEvent.objects.get(action="change_watched_word", object_id=word.pk)
    assert (event.from_state, event.to_state) == ("block", "block, inactive")


@pytest.mark.django_db
def test_a_bad_regular_expression_is_a_form_error_and_nothing_is_saved(client, moderator):
    client.force_login(moderator)

    response = client.post(ADD, word_data(match_type="regex", pattern="(unclosed"))

    assert response.status_code == 400
    page = text_of(response)
    assert "This is not a valid regular expression" in page and "(unclosed" in page
    assert not WatchedWord.objects.filter(label="the brand Zorblax").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pattern, problem",
    [
        ("(a+)+$", "a repeat (*, + or {n,}) inside another repeat"),
        ("(ldn|naltrexone)*x", "alternatives (|) inside a repeat"),
        (r"(\w)\1", "a back-reference"),
        ("x*", "matches an empty text"),
        ("a" * 301, "Keep it to 300 characters"),
    ],
)
def test_patterns_that_could_hang_or_match_everything_are_refused(client, moderator, pattern, problem):
    client.force_login(moderator)

    response = client.post(ADD, word_data(match_type="regex", pattern=pattern))

    assert response.status_code == 400 and problem in text_of(response)
    assert not WatchedWord.objects.filter(label="the brand Zorblax").exists()


@pytest.mark.django_db
def test_the_default_patterns_pass_the_checks_a_moderator_s_pattern_must(client, moderator):
    client.force_login(moderator)
    for word in WatchedWord.objects.all():
        data = word_data(
            label=word.label, match_type=word.match_type, pattern=word.pattern, action=word.action
        )
        response = client.post(f"/moderation/watched-words/{word.pk}/", data)
        assert response.status_code == 302, word.label


@pytest.mark.django_db
def test_the_test_mode_shows_what_a_pattern_would_have_caught_without_saving_it(
    client, moderator, make_user, make_article, make_testimonial
):
    make_article(slug="ldn-basics")
    client.force_login(make_user())
    post_comment(client, body="I found ZORBLAX-COMMENT helpful for sleep.")
    post_comment(client, body="Nothing to see here.")
    make_testimonial(state="pending", narrative="My story mentions zorblax-story once.")
    make_user(display_name="Zorblax Fan")
    client.force_login(moderator)

    response = client.post(ADD, {**word_data(), "test": "1"})

    assert response.status_code == 200
    page = text_of(response)
    assert "What it would have caught" in page
    assert "Comments: 1 of 2" in page and "ZORBLAX-COMMENT helpful" in page
    assert "zorblax-story" in page and "Display names: 1 of" in page and "Zorblax Fan" in page
    assert "Nothing to see here" not in page
    comment = Comment.objects.get(body__contains="ZORBLAX")
    assert f'href="{comment.get_absolute_url()}"' in page
    assert not WatchedWord.objects.filter(label="the brand Zorblax").exists()
    assert not ModerationEvent.objects.filter(action="add_watched_word").exists()


@pytest.mark.django_db
def test_the_test_mode_refuses_a_bad_pattern_too(client, moderator):
    client.force_login(moderator)

    response = client.post(ADD, {**word_data(match_type="regex", pattern="(a+)+"), "test": "1"})

    assert response.status_code == 400 and "What it would have caught" not in text_of(response)


def _flag_hits(member, n: int) -> None:
    result = scan("Call 0123 456 7890")
    for _ in range(n):
        record(result, where="comment", member=member, url="/somewhere/", shown=True)


@pytest.mark.django_db
def test_the_queue_section_costs_the_same_for_2_and_200_matches(
    client, moderator, make_user, django_assert_max_num_queries
):
    member = make_user()
    _flag_hits(member, 2)
    client.force_login(moderator)
    client.get("/moderation/")  # sessions, permissions and the word list are read once

    with django_assert_max_num_queries(30) as few:
        html = client.get("/moderation/").content.decode()
    assert len(HIT_CARD.findall(html)) == 2

    _flag_hits(make_user(), 198)
    # One query more: the COUNT of all that wait, asked only when the list is full (queue.first_and_total).
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        html = client.get("/moderation/").content.decode()
    assert len(HIT_CARD.findall(html)) == 100 and "Watched words: matches to look at (200)" in html


@pytest.mark.django_db
def test_scanning_reads_the_database_when_the_cache_fails(make_word, monkeypatch):
    make_word("zorblax")

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)

    assert scan("Zorblax").labels() == ["the word “zorblax”"]


@pytest.mark.django_db
def test_matches_are_erased_with_the_account(client, make_user):
    from ldnsite.accounts import personal_data

    member = make_user()
    _flag_hits(member, 2)
    for kind in personal_data.kinds():
        if kind.key == "watched_word_matches":
            assert len(kind.export(member)) == 2
            kind.erase(member, anonymise=False)
    assert not WatchedWordHit.objects.exists()
