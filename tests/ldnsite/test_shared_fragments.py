"""Parts of a logged-in reader's page that are rendered once and shared: the article or study itself (for
everyone but editors) and a page of comments (for readers of the same kind who did not write in the thread).
Each test checks that sharing never shows one reader what only another may see, and that a change shows at
once."""

import pytest

from articles import moderation as article_moderation
from articles.models import PublicationStatus
from ldnsite import pagecache
from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments import texts
from ldnsite.comments.models import Comment, Subscription, Thread
from ldnsite.comments.threads import ROOTS_PER_PAGE
from tests.clients import PassedTwoFactorClient as Client


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.COMMENTS_HOLD_FIRST_COMMENT = False


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def cited(make_article, make_study):
    """A published article citing a published study and a draft one, with a resource."""
    published = make_study(title="A published crossover trial")
    draft = make_study(title="A draft pilot study", published=False)
    return make_article(
        slug="ldn-basics",
        studies=[published, draft],
        resources=[{"kind": "video", "title": "A talk about LDN", "url": "https://example.org/talk"}],
    )


def fetches_studies(sql: str) -> bool:
    """A query that reads studies, other than the header's unread count (whose door to comments names every
    kind of subject, studies too, in a subquery)."""
    return "articles_study" in sql and "notifications_notification" not in sql


@pytest.mark.django_db
def test_a_members_second_view_reuses_the_article_without_fetching_its_studies(
    cited, member, django_assert_max_num_queries
):
    client = logged_in(member)
    first = page(client, cited.get_absolute_url())

    with django_assert_max_num_queries(6) as queries:  # 5, and the header's unread notifications
        again = page(client, cited.get_absolute_url())

    assert not any(fetches_studies(query["sql"]) for query in queries.captured_queries)
    for html in (first, again):
        assert "A published crossover trial" in html and "A talk about LDN" in html
        assert 'property="og:title"' in html  # the link-preview tags come from the same kept section
        assert "Signed in as" in html and member.display_name in html


@pytest.mark.django_db
@pytest.mark.parametrize("editor_first", [True, False])
def test_an_editors_view_of_drafts_is_never_shared(cited, member, editor, editor_first):
    readers = [logged_in(editor), logged_in(member), Client()]
    if not editor_first:
        readers.reverse()

    pages = {id(client): page(client, cited.get_absolute_url()) for client in readers}

    editor_page = pages[id(readers[0] if editor_first else readers[-1])]
    assert "A draft pilot study" in editor_page
    for client in readers:
        if client is not (readers[0] if editor_first else readers[-1]):
            assert "A draft pilot study" not in pages[id(client)]
            assert "A published crossover trial" in pages[id(client)]


@pytest.mark.django_db
def test_publishing_a_cited_study_shows_on_the_kept_article_at_once(
    cited, member, editor, django_capture_on_commit_callbacks
):
    client = logged_in(member)
    page(client, cited.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        article_moderation.publish(cited.studies.get(status=PublicationStatus.DRAFT), by=editor)

    assert "A draft pilot study" in page(client, cited.get_absolute_url())


@pytest.mark.django_db
def test_a_comment_on_another_article_keeps_this_one_kept(
    cited, member, make_article, make_user, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = logged_in(member)
    page(client, cited.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        thread = Thread.objects.for_subject(make_article(title="Another article"))
        comment_moderation.submit(thread, author=make_user(), body="Words elsewhere")

    with django_assert_max_num_queries(6) as queries:  # 5, and the header's unread notifications
        html = page(client, cited.get_absolute_url())
    assert not any(fetches_studies(query["sql"]) for query in queries.captured_queries)
    assert "A published crossover trial" in html


@pytest.mark.django_db
def test_a_study_page_never_shares_an_editors_draft_article(make_study, make_article, member, editor):
    study = make_study(title="A crossover trial")
    make_article(title="Published explainer", studies=[study])
    make_article(title="Unfinished explainer", studies=[study], published=False)

    assert "Unfinished explainer" in page(logged_in(editor), study.get_absolute_url())
    member_page = page(logged_in(member), study.get_absolute_url())

    assert "Published explainer" in member_page and "Unfinished explainer" not in member_page


@pytest.fixture
def discussed(cited, make_user):
    thread = Thread.objects.for_subject(cited)
    for n in range(3):
        comment_moderation.submit(thread, author=make_user(), body=f"Root comment {n}")
    return thread


@pytest.mark.django_db
def test_a_member_who_wrote_in_the_thread_sees_their_own_page(
    discussed, cited, member, make_user, django_assert_max_num_queries
):
    other = make_user()
    page(logged_in(other), cited.get_absolute_url())  # fills the shared page of comments
    Comment.objects.create(
        thread=discussed, author=member, body="My comment waiting for a moderator", status=Comment.Status.HELD
    )
    page(logged_in(other), cited.get_absolute_url())  # and again after the change

    mine = page(logged_in(member), cited.get_absolute_url())
    theirs = page(logged_in(other), cited.get_absolute_url())

    assert "My comment waiting for a moderator" in mine and "only you and moderators" in mine
    assert "My comment waiting for a moderator" not in theirs
    reader = logged_in(other)
    with django_assert_max_num_queries(5):  # the shared page again: no comment query at all
        assert "Root comment 2" in page(reader, cited.get_absolute_url())


@pytest.mark.django_db
def test_a_member_whose_comment_was_shared_gets_their_edit_links(discussed, cited, member, make_user):
    comment_moderation.submit(discussed, author=member, body="Published by the member")
    other = make_user()
    assert 'href="/comments/' in page(logged_in(other), cited.get_absolute_url())  # report links, kept

    mine = page(logged_in(member), cited.get_absolute_url())

    own = Comment.objects.get(author=member)
    assert f"/comments/{own.pk}/edit/" in mine and f"/comments/{own.pk}/delete/" in mine
    assert f"/comments/{own.pk}/edit/" not in page(logged_in(other), cited.get_absolute_url())


@pytest.mark.django_db
def test_kept_pages_of_comments_follow_the_page_asked_for(discussed, cited, make_user):
    author = make_user()
    for n in range(3, ROOTS_PER_PAGE + 3):
        comment_moderation.submit(discussed, author=author, body=f"Root comment {n}")
    reader = logged_in(make_user())
    url = cited.get_absolute_url()

    first, second = page(reader, url), page(reader, url + "?comments=2")
    beyond, nonsense = page(reader, url + "?comments=99"), page(reader, url + "?comments=two")

    assert "Root comment 0<" in first and "Root comment 0<" not in second
    assert f"Root comment {ROOTS_PER_PAGE + 2}<" in second
    assert "Page 2 of 2" in beyond and "Page 1 of 2" in nonsense
    assert "Page 2 of 2" in page(reader, url + "?comments=2")
    assert "Page 1 of 2" in page(reader, url)  # not what the out-of-range request fell back to


@pytest.mark.django_db
def test_a_moderator_never_gets_the_shared_page_of_comments(discussed, cited, make_user, make_moderator):
    held = comment_moderation.submit(discussed, author=make_user(), body="First comment of a newcomer")
    held.status = Comment.Status.HELD
    held.save()
    page(logged_in(make_user()), cited.get_absolute_url())
    moderator = make_moderator()

    assert "First comment of a newcomer" in page(logged_in(moderator), cited.get_absolute_url())


@pytest.mark.django_db
def test_what_another_version_of_the_code_kept_is_not_served(
    cited, member, monkeypatch, django_assert_max_num_queries
):
    client = logged_in(member)
    page(client, cited.get_absolute_url())

    monkeypatch.setattr(pagecache, "code_version", lambda: "after-a-deploy")

    with django_assert_max_num_queries(20) as queries:
        page(client, cited.get_absolute_url())
    assert any("articles_study" in query["sql"] for query in queries.captured_queries)  # rendered again


def test_the_code_version_changes_with_any_template(settings, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    template = folder / "page.html"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [folder]}]
    versions = []
    for text in ("<p>{{ text }}</p>", "<p class='new'>{{ text }}</p>"):
        template.write_text(text)
        pagecache.code_version.cache_clear()
        versions.append(pagecache.code_version())
    pagecache.code_version.cache_clear()

    assert versions[0] != versions[1]


@pytest.mark.django_db
def test_a_refresh_by_hand_after_a_bulk_change_is_seen_at_once(
    discussed, cited, make_user, django_capture_on_commit_callbacks
):
    reader = logged_in(make_user())
    page(reader, cited.get_absolute_url())
    Comment.objects.filter(thread=discussed).update(**texts.text_fields("Rewritten in bulk"))  # no signal

    assert "Rewritten in bulk" not in page(reader, cited.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.refresh(cited.get_absolute_url())  # what code that changes rows in bulk does
    assert "Rewritten in bulk" in page(reader, cited.get_absolute_url())


@pytest.mark.django_db
def test_what_the_comment_form_offers_depends_on_the_reader(discussed, cited, make_user, make_article):
    unverified, follower = make_user(verified=False), make_user()
    other_thread = Thread.objects.for_subject(make_article())
    Subscription.objects.create(thread=other_thread, member=unverified)
    Subscription.objects.create(thread=discussed, member=follower)

    unverified_page = page(logged_in(unverified), cited.get_absolute_url())
    follower_page = page(logged_in(follower), cited.get_absolute_url())
    reader_page = page(logged_in(make_user()), cited.get_absolute_url())

    assert "confirm your e-mail address" in unverified_page and 'name="body"' not in unverified_page
    assert "Stop e-mails about this discussion" in follower_page and 'name="body"' in follower_page
    assert "E-mail me about new replies" in reader_page and 'name="body"' in reader_page


@pytest.mark.django_db
def test_a_held_first_comment_shows_to_its_author_though_it_refreshes_nothing(
    discussed, cited, member, make_user, django_capture_on_commit_callbacks
):
    page(logged_in(make_user()), cited.get_absolute_url())  # the shared page of comments, kept
    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.create(
            thread=discussed, author=member, body="My very first comment", status=Comment.Status.HELD
        )
    assert "My very first comment" not in page(logged_in(make_user()), cited.get_absolute_url())

    mine = page(logged_in(member), cited.get_absolute_url())

    assert "My very first comment" in mine and "only you and moderators" in mine


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["0", "01", "-1", "1.0", "٣", "9" * 400])
def test_odd_comment_page_numbers_get_a_normal_page(discussed, cited, member, number):
    html = page(logged_in(member), f"{cited.get_absolute_url()}?comments={number}")

    assert "Root comment 0" in html


@pytest.mark.django_db
def test_a_member_may_start_the_discussion_of_an_article_without_one(cited, member):
    html = page(logged_in(member), cited.get_absolute_url())

    assert "No comments yet." in html and 'name="body"' in html
    assert "E-mail me about new replies" not in html  # nothing to follow yet
