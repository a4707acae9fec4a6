"""Who counts as an editor or a moderator is what the apps register with ldnsite.privileges: the articles app
registers its editor's permission, the queue sections their moderators'. Checked through HTTP."""

import pytest

from tests.clients import PassedTwoFactorClient as Client

DRAFT_MARKER = "zqregistrydraftzq"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_articles_editor_permission_alone_shows_drafts(make_user, make_article):
    draft = make_article(published=False, title=f"Draft {DRAFT_MARKER}")
    writer = make_user(permissions=["articles.change_article"])  # no group, not staff

    response = _signed_in(writer).get(f"/articles/{draft.slug}/")

    assert response.status_code == 200
    assert DRAFT_MARKER in response.content.decode()


@pytest.mark.django_db
def test_another_permission_of_articles_does_not_make_an_editor(make_user, make_article):
    draft = make_article(published=False, title=f"Draft {DRAFT_MARKER}")
    reader = make_user(permissions=["articles.view_article"])

    assert _signed_in(reader).get(f"/articles/{draft.slug}/").status_code == 404


@pytest.fixture
def empty_queue():
    """The moderator queue with no section, as a test that builds its own would have it; put back after."""
    from ldnsite.moderation import queue

    registered, urls = queue.sections(), queue.urlpatterns()
    queue.clear()
    yield
    queue.register(*registered, urls=urls)


@pytest.mark.django_db
def test_with_no_queue_section_registered_nobody_is_a_moderator(moderator, empty_queue):
    client = _signed_in(moderator)

    assert client.get("/moderation/").status_code == 403
    assert 'href="/moderation/"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_queue_sections_make_moderators_again_once_registered(moderator):
    client = _signed_in(moderator)

    assert client.get("/moderation/").status_code == 200
    assert 'href="/moderation/"' in client.get("/").content.decode()
