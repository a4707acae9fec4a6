"""The names offered while a member types "@" (/members/mentionable/?q=): members who may write only, names
only, only of members whose name is public already (they have a member page), rate-limited."""

import pytest

from ldnsite.comments import moderation
from ldnsite.comments.models import Comment, Thread
from ldnsite.mentions import views

URL = "/members/mentionable/"


@pytest.fixture(autouse=True)
def _no_hold(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False


@pytest.fixture
def with_page(make_user, make_article):
    def make(display_name: str, **fields):
        member = make_user(display_name=display_name, **fields)
        moderation.submit(Thread.objects.for_subject(make_article()), author=member, body="Hello all.")
        return member

    return make


def offered(client, member, query: str) -> list[str]:
    client.force_login(member)
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [entry["name"] for entry in response.json()["members"]]


def test_names_that_begin_with_the_query_ignoring_case_and_nothing_else(client, make_user, with_page):
    with_page("Ada Lovelace", email="ada.secret@example.org")
    with_page("adam smith")
    with_page("Ben Ada")
    response_names = offered(client, make_user(), "ADA")

    assert response_names == ["Ada Lovelace", "adam smith"]
    assert offered(client, make_user(), "ada  l") == ["Ada Lovelace"]
    assert offered(client, make_user(), "ada ") == ["Ada Lovelace"]
    client.force_login(make_user())
    content = client.get(URL, {"q": "ada"}).content.decode()
    assert "example.org" not in content and "secret" not in content
    assert set(client.get(URL, {"q": "ada"}).json()["members"][0]) == {"name"}


def test_only_members_with_a_public_page_are_offered(client, make_user, make_article, with_page):
    with_page("Pat Public")
    make_user(display_name="Pat Private")  # no public contribution
    held = make_user(display_name="Pat Held")
    moderation.submit(Thread.objects.for_subject(make_article()), author=held, body="x")
    Comment.objects.filter(author=held).update(status=Comment.Status.HELD)
    with_page("Pat Inactive", is_active=False)
    with_page("Pat Unverified", verified=False)

    assert offered(client, make_user(), "pat") == ["Pat Public"]


def test_the_member_asking_is_not_offered_and_at_most_eight_are(client, with_page):
    for n in range(10):
        with_page(f"Sam {n}")
    asking = with_page("Sam Self")

    names = offered(client, asking, "sam")
    assert len(names) == views.OFFERED == 8 and "Sam Self" not in names
    assert offered(client, asking, "") == []


def test_visitors_and_unconfirmed_members_are_refused(client, make_user, with_page):
    with_page("Ada Lovelace")

    response = client.get(URL, {"q": "ada"})
    assert response.status_code == 401 and "Ada" not in response.content.decode()

    client.force_login(make_user(verified=False))
    response = client.get(URL, {"q": "ada"})
    assert response.status_code == 403 and "Ada" not in response.content.decode()


def test_asking_too_often_is_refused_for_a_while(client, make_user, with_page, monkeypatch):
    monkeypatch.setattr(views, "RATE", (3, 60))
    with_page("Ada Lovelace")
    client.force_login(make_user())

    statuses = [client.get(URL, {"q": "ada"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_answer_is_never_kept_by_a_cache(client, make_user):
    client.force_login(make_user())
    response = client.get(URL, {"q": "a"})
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_every_comment_box_points_the_script_at_the_names(client, make_article, make_user, make_comment):
    article = make_article()
    author = make_user()
    comment = make_comment(article, author, "Mine.")
    client.force_login(author)
    for url in (article.get_absolute_url(), f"/comments/article/{article.slug}/new/",
                f"/comments/{comment.pk}/edit/"):  # fmt: skip
        html = client.get(url).content.decode()
        assert f'data-mention-source="{URL}"' in html, url
        assert html.count('<script src="/static/js/mentions.js" defer></script>') == 1, url
        assert "To mention a member, type @ and their display name." in html, url
