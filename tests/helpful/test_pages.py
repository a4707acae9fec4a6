"""Helpful counts on pages: the story list sorted by most helpful, pages that cost the same queries however
many items and marks they show, the page cache kept right, the member's export and erasure, the recount."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ldnsite.comments.models import Comment
from ldnsite.helpful import marks
from ldnsite.helpful.models import HelpfulCount, HelpfulMark
from ldnsite.helpful.tasks import check_helpful_counts
from testimonials.models import Testimonial

Testimonial.__test__ = False
LIST = "/testimonials/"


def titles(html: str) -> list[str]:
    return re.findall(r'class="card-title" id="experience-\d+-title"><a href="[^"]+">([^<]+)</a>', html)


def mark_by_many(item, how_many: int, make_user) -> None:
    for _ in range(how_many):
        marks.mark(item, by=make_user())


def test_the_list_sorts_by_most_helpful_and_shows_the_counts(browser_of, make_testimonial, make_user):
    quiet = make_testimonial(title="Quiet")
    loved = make_testimonial(title="Loved")
    liked = make_testimonial(title="Liked")
    newest = make_testimonial(title="Newest")
    mark_by_many(loved, 3, make_user)
    mark_by_many(liked, 1, make_user)
    reader = browser_of(None)

    by_default = reader.get(LIST).content.decode()
    most_helpful = reader.get(LIST, {"sort": "helpful"}).content.decode()

    assert titles(by_default) == ["Newest", "Liked", "Loved", "Quiet"]
    assert titles(most_helpful) == ["Loved", "Liked", "Newest", "Quiet"]
    assert "Helpful (3)" in most_helpful and "Helpful (1)" in most_helpful
    assert '<option value="helpful" selected>Most helpful first</option>' in most_helpful
    assert titles(reader.get(LIST, {"sort": "nonsense"}).content.decode()) == titles(by_default)
    assert quiet.pk and newest.pk


def test_the_sorted_list_keeps_its_order_across_pages_and_filters(browser_of, make_testimonial, make_user):
    stories = [make_testimonial(title=f"Story {n}", ms_type="ppms" if n % 2 else "rrms") for n in range(22)]
    mark_by_many(stories[0], 2, make_user)
    reader = browser_of(None)

    first = reader.get(LIST, {"sort": "helpful"}).content.decode()
    filtered = reader.get(LIST, {"sort": "helpful", "ms_type": "rrms"}).content.decode()

    assert titles(first)[0] == "Story 0" and "sort=helpful" in first  # the next page keeps the order
    assert titles(filtered)[0] == "Story 0" and all(int(t.split()[1]) % 2 == 0 for t in titles(filtered))


def queries_for(client, url: str, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


@pytest.mark.parametrize("sort", ["newest", "helpful"])
def test_the_story_list_costs_the_same_queries_with_2_or_30_marked_stories(
    browser_of, make_testimonial, make_user, django_assert_max_num_queries, sort
):
    reader = browser_of(make_user())
    marker = make_user()
    for _ in range(2):
        marks.mark(make_testimonial(), by=marker)
    few = queries_for(reader, LIST, {"sort": sort})
    for _ in range(28):
        marks.mark(make_testimonial(), by=marker)
    with django_assert_max_num_queries(few):
        assert reader.get(LIST, {"sort": sort}).status_code == 200


def many_comments(subject, how_many: int, make_user, marker) -> list[Comment]:
    """how_many published comments (a root and its replies, in turn), each marked by `marker`."""
    author = make_user()
    thread_comments = []
    from ldnsite.comments.models import Thread
    from ldnsite.comments.texts import text_fields

    thread = Thread.objects.for_subject(subject)
    for n in range(how_many):
        parent = thread_comments[-1] if n % 2 else None
        thread_comments.append(
            Comment.objects.create(
                thread=thread,
                author=author,
                status=Comment.Status.PUBLISHED,
                parent=parent,
                root=parent,
                depth=1 if parent else 0,
                **text_fields(f"Comment {n}"),
            )
        )
    HelpfulMark.objects.bulk_create(
        [HelpfulMark(member=marker, kind="comment", object_id=c.pk) for c in thread_comments]
    )
    HelpfulCount.objects.bulk_create(
        [HelpfulCount(kind="comment", object_id=c.pk, count=1) for c in thread_comments]
    )
    return thread_comments


@pytest.mark.parametrize("who", ["anonymous", "marker", "member"])
def test_a_page_of_200_marked_comments_costs_the_same_queries_as_one_of_2(
    browser_of, make_article, make_user, django_assert_max_num_queries, who
):
    marker = make_user()
    readers = {"anonymous": None, "marker": marker, "member": make_user()}
    small, big = make_article(slug="two"), make_article(slug="two-hundred")
    many_comments(small, 2, make_user, marker)
    many_comments(big, 200, make_user, marker)
    client = browser_of(readers[who])

    few = queries_for(client, small.get_absolute_url())
    with django_assert_max_num_queries(few):
        html = client.get(big.get_absolute_url()).content.decode()

    assert html.count("Helpful (1)") == 40  # 20 roots on the page, each with its reply
    assert html.count('aria-pressed="true"') == (40 if who == "marker" else 0)


def test_marking_refreshes_the_cached_pages_that_show_the_count(
    browser_of,
    make_user,
    make_testimonial,
    make_article,
    make_comment,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.PAGE_CACHE_SECONDS = 600
    settings.FRAGMENT_CACHE_SECONDS = 600
    story = make_testimonial(title="Cached story")
    article = make_article(slug="cached-article")
    comment = make_comment(article, body="A cached comment.")
    anonymous = browser_of(None)
    for url in (LIST, story.get_absolute_url(), article.get_absolute_url()):
        anonymous.get(url)
        assert anonymous.get(url)["X-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        marks.mark(story, by=make_user())
        marks.mark(comment, by=make_user())

    assert "Helpful (1)" in anonymous.get(LIST).content.decode()
    assert "Helpful (1)" in anonymous.get(story.get_absolute_url()).content.decode()
    assert "Helpful (1)" in anonymous.get(article.get_absolute_url()).content.decode()


def test_members_share_the_kept_comment_list_but_each_gets_their_own_state_and_token(
    make_user, make_article, make_comment, settings, django_capture_on_commit_callbacks
):
    from tests.clients import PassedTwoFactorClient

    settings.FRAGMENT_CACHE_SECONDS = 600
    article = make_article(slug="shared-marks")
    comment = make_comment(article, body="Worth marking.")
    url = article.get_absolute_url()
    marker_client = PassedTwoFactorClient(enforce_csrf_checks=True)
    marker_client.force_login(make_user())
    other = PassedTwoFactorClient(enforce_csrf_checks=True)
    other.force_login(make_user())
    other.get(url)  # fills the members' kept list

    page = marker_client.get(url).content.decode()  # served from it, with this member's own token
    assert "helpful-csrf-slot" not in page
    token = re.search(
        rf'id="helpful-comment-{comment.pk}" data-helpful><input type="hidden" name="csrfmiddlewaretoken" '
        r'value="([^"]+)"',
        page,
    ).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        answer = marker_client.post(
            f"/helpful/comment/{comment.pk}/", {"action": "mark", "csrfmiddlewaretoken": token}
        )
    assert answer.status_code == 302

    assert 'aria-pressed="true"' in marker_client.get(url).content.decode()
    others_page = other.get(url).content.decode()
    assert "Helpful (1)" in others_page and 'aria-pressed="false"' in others_page


def test_the_export_lists_what_a_member_marked_and_erasure_takes_the_marks_back(
    client, make_user, make_testimonial, make_article, make_comment
):
    from tests.accounts.test_member_data import DELETE, download, log_in_with_password

    leaver = make_user(display_name="Leaving Lou")
    story = make_testimonial()
    comment = make_comment(make_article())
    for item in (story, comment):
        marks.mark(item, by=leaver)
        marks.mark(item, by=make_user())

    _, data = download(client, leaver)
    assert {(m["kind"], m["id"], m["still_published"]) for m in data["helpful_marks"]} == {
        ("testimonial", story.pk, True),
        ("comment", comment.pk, True),
    }

    log_in_with_password(client, leaver)
    leaver_pk = leaver.pk
    client.post(DELETE, {"experiences": "delete", "confirm": leaver.display_name})
    assert not get_user_model().objects.filter(pk=leaver_pk).exists()

    assert not HelpfulMark.objects.filter(member_id=leaver_pk).exists()
    assert HelpfulMark.objects.count() == 2
    assert set(HelpfulCount.objects.values_list("count", flat=True)) == {1}


def test_a_deleted_members_own_story_takes_the_marks_others_gave_it(client, make_user, make_testimonial):
    from tests.accounts.test_member_data import DELETE, log_in_with_password

    leaver = make_user(display_name="Leaving Lou")
    story = make_testimonial(author=leaver)
    marks.mark(story, by=make_user())

    log_in_with_password(client, leaver)
    leaver_pk = leaver.pk
    client.post(DELETE, {"experiences": "delete", "confirm": leaver.display_name})
    assert not get_user_model().objects.filter(pk=leaver_pk).exists()

    assert not Testimonial.objects.filter(pk=story.pk).exists()
    assert not HelpfulMark.objects.exists() and not HelpfulCount.objects.exists()


def test_the_recount_corrects_counts_that_drifted(make_user, make_testimonial, caplog):
    story, other = make_testimonial(), make_testimonial()
    marks.mark(story, by=make_user())
    HelpfulCount.objects.filter(object_id=story.pk).update(count=7)
    HelpfulCount.objects.create(kind="testimonial", object_id=other.pk, count=2)

    check_helpful_counts.delay()

    assert dict(HelpfulCount.objects.values_list("object_id", "count")) == {story.pk: 1, other.pk: 0}
    assert "was 7, recounted as 1" in caplog.text
    assert marks.rebuild() == {}
    call_command("recount_helpful")
