"""The rendered list of comments is shared between readers of the same kind, and never across kinds."""

import pytest

from ldnsite.comments import moderation, texts
from ldnsite.comments.models import Comment, Thread
from tests.clients import PassedTwoFactorClient as Client


@pytest.fixture(autouse=True)
def _post_moderation(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def discussion(make_article, make_user):
    """An article with one published comment by its own author, Ada."""
    article = make_article(slug="shared-list", title="Shared list")
    ada = make_user(display_name="Ada")
    comment = moderation.submit(Thread.objects.for_subject(article), author=ada, body="Ada's first words.")
    return article, ada, comment


def page_as(user, article) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_members_share_the_rendered_list_until_a_comment_changes(
    discussion, make_user, django_capture_on_commit_callbacks
):
    article, ada, comment = discussion
    ben = make_user()
    assert "Ada's first words." in page_as(ben, article)

    # A change that sends no signal is invisible while the rendered list is reused, and a new member is
    # no change at all ...
    Comment.objects.filter(pk=comment.pk).update(body="Changed behind the cache's back.")
    assert "Ada's first words." in page_as(make_user(), article)

    # ... and a real edit, through its transition, shows as soon as it commits.
    with django_capture_on_commit_callbacks(execute=True):
        moderation.edit(Comment.objects.get(pk=comment.pk), by=ada, body="Ada, edited.")
    assert "Ada, edited." in page_as(make_user(), article)


def test_a_comment_elsewhere_leaves_the_kept_list_alone(
    discussion, make_article, make_user, django_capture_on_commit_callbacks
):
    article, ada, comment = discussion
    elsewhere = Thread.objects.for_subject(make_article(title="Another article"))
    page_as(make_user(), article)

    Comment.objects.filter(pk=comment.pk).update(body="Changed behind the cache's back.")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.submit(elsewhere, author=ada, body="Words on another article.")

    assert "Ada's first words." in page_as(make_user(), article)  # still the kept list


def test_the_author_gets_their_own_links_after_others_filled_the_cache(discussion, make_user):
    article, ada, comment = discussion
    other = page_as(make_user(), article)
    assert f'href="/comments/{comment.pk}/edit/"' not in other
    assert f'href="/comments/{comment.pk}/report/"' in other

    own = page_as(ada, article)

    assert f'href="/comments/{comment.pk}/edit/"' in own
    assert f'href="/comments/{comment.pk}/delete/"' in own
    assert f'href="/comments/{comment.pk}/report/"' not in own


def test_unverified_and_verified_members_get_their_own_versions(discussion, make_user):
    article, _ada, comment = discussion
    reply_link = f"/reply/{comment.pk}/"

    assert reply_link in page_as(make_user(), article)
    assert reply_link not in page_as(make_user(verified=False), article)
    assert reply_link in page_as(make_user(), article)


def test_anonymous_readers_never_get_members_links(discussion, make_user):
    article, _ada, comment = discussion
    page_as(make_user(), article)

    anonymous = page_as(None, article)

    assert f'href="/comments/{comment.pk}/report/"' not in anonymous
    assert "Ada's first words." in anonymous


def test_moderators_never_get_the_members_version(discussion, make_user, moderator):
    article, _ada, comment = discussion
    held = moderation.submit(comment.thread, author=make_user(), body="Waiting words.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.HELD)
    assert "Waiting words." not in page_as(make_user(), article)

    assert "Waiting words." in page_as(moderator, article)


def test_nothing_is_shared_when_fragments_are_off(discussion, make_user, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    article, _ada, comment = discussion
    page_as(make_user(), article)

    Comment.objects.filter(pk=comment.pk).update(**texts.text_fields("Changed without a signal."))

    assert "Changed without a signal." in page_as(make_user(), article)
