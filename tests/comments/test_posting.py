import uuid

import pytest
from django.utils import timezone

from ldnsite.comments import moderation
from ldnsite.comments.models import MAX_COMMENT_LENGTH, Comment, Thread
from ldnsite.comments.threads import ROOTS_PER_PAGE


@pytest.fixture(autouse=True)
def _post_moderation(settings):
    """Most tests here are about posting; the first-comment hold is tested on its own."""
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    settings.COMMENTS_RATE_NEW_MEMBER = (100, 600)


@pytest.fixture
def article(make_article):
    return make_article(slug="ldn-basics", title="LDN basics")


def post(client, subject_slug="ldn-basics", *, body="A thoughtful comment.", kind="article", parent=None,
         token=None, **extra):  # fmt: skip
    data = {"body": body, "token": str(token or uuid.uuid4()), **extra}
    if parent is not None:
        data["parent"] = parent.pk
        return client.post(f"/comments/{kind}/{subject_slug}/reply/{parent.pk}/", data)
    return client.post(f"/comments/{kind}/{subject_slug}/new/", data)


@pytest.mark.django_db
def test_verified_member_comments_on_article(client, article, member):
    client.force_login(member)

    response = post(client, body="LDN helped my *sleep*.")

    comment = Comment.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#comment-{comment.pk}")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "LDN helped my <em>sleep</em>." in html
    assert member.display_name in html
    assert client.logout() is None
    assert "LDN helped my" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_member_comments_on_study_summary(client, make_study, member):
    study = make_study(slug="cree-2010")
    client.force_login(member)

    post(client, "cree-2010", kind="study", body="Interesting crossover design.")

    assert "Interesting crossover design." in client.get(study.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_unverified_member_cannot_comment(client, article, make_user):
    client.force_login(make_user(verified=False))

    response = post(client)

    assert response.status_code == 302 and "/accounts/email/" in response.url
    assert not Comment.objects.exists()
    assert "confirm your e-mail address" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_anonymous_reader_is_shown_how_to_join(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "to take part in the discussion" in html and 'name="body"' not in html

    response = post(client, body="A reply typed while logged out, kept for later.")
    assert response.status_code == 401
    assert "A reply typed while logged out, kept for later." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_comment_on_draft_article_is_404(client, make_article, member):
    make_article(slug="secret-draft", published=False)
    client.force_login(member)

    assert post(client, "secret-draft").status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Your comment is empty"),
        ("x" * (MAX_COMMENT_LENGTH + 1), "Your comment is too long"),
    ],
)
def test_bad_comment_gets_clear_message_and_keeps_text(client, article, member, body, message):
    client.force_login(member)

    response = post(client, body=body)

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert body.strip()[:100] in html
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_double_submit_makes_one_comment(client, article, member):
    client.force_login(member)
    token = uuid.uuid4()

    first = post(client, token=token)
    second = post(client, token=token)

    assert Comment.objects.count() == 1
    assert first.url == second.url


@pytest.mark.django_db
def test_replies_nest_to_depth_three_then_attach_at_three(client, article, member, make_user):
    client.force_login(member)
    post(client, body="root")
    root = Comment.objects.get(body="root")
    parent = root
    for depth in (1, 2, 3, 4):
        post(client, body=f"reply {depth}", parent=parent)
        parent = Comment.objects.get(body=f"reply {depth}")

    depths = {
        c.body: (c.depth, c.root_id, c.parent.body if c.parent else None) for c in Comment.objects.all()
    }
    assert depths["reply 1"] == (1, root.pk, "root")
    assert depths["reply 3"] == (3, root.pk, "reply 2")
    assert depths["reply 4"] == (3, root.pk, "reply 2")  # a reply to depth 3 sits beside it
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index("reply 1") < html.index("reply 2") < html.index("reply 3")


@pytest.mark.django_db
def test_reply_to_comment_in_other_thread_is_refused(client, article, make_article, member):
    make_article(slug="other")
    client.force_login(member)
    post(client, "other", body="elsewhere")
    elsewhere = Comment.objects.get()

    response = client.post(
        "/comments/article/ldn-basics/new/",
        {"body": "my reply text", "token": str(uuid.uuid4()), "parent": elsewhere.pk},
    )

    assert response.status_code == 400
    assert "only reply to a comment that is shown in this discussion" in response.content.decode()
    assert "my reply text" in response.content.decode()
    assert Comment.objects.count() == 1
    assert post(client, parent=elsewhere).status_code == 404  # the reply URL for the wrong thread


@pytest.mark.django_db
def test_reply_page_works_without_javascript(client, article, member, make_user):
    client.force_login(member)
    post(client, body="Has anyone tried 3 mg?")
    comment = Comment.objects.get()

    page = client.get(f"/comments/article/ldn-basics/reply/{comment.pk}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Has anyone tried 3 mg?" in html and f'name="parent" value="{comment.pk}"' in html


@pytest.mark.django_db
def test_author_edits_within_fifteen_minutes_and_edit_is_shown(client, article, member):
    client.force_login(member)
    post(client, body="Frist")
    comment = Comment.objects.get()

    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "First"})

    assert response.status_code == 302
    html = client.get(article.get_absolute_url()).content.decode()
    assert "First" in html and "Frist" not in html and "(edited)" in html


@pytest.mark.django_db
def test_edit_after_window_is_refused(client, article, member):
    client.force_login(member)
    post(client, body="Original")
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=16))
    comment = Comment.objects.get()

    client.post(f"/comments/{comment.pk}/edit/", {"body": "Changed"})

    comment.refresh_from_db()
    assert comment.body == "Original" and comment.edited_at is None


@pytest.mark.django_db
def test_only_author_can_edit_or_delete(client, article, member, make_user):
    client.force_login(member)
    post(client, body="Mine")
    comment = Comment.objects.get()
    client.force_login(make_user())

    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "Yours"}).status_code == 404
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Mine" and comment.is_published


@pytest.mark.django_db
def test_deleted_comment_keeps_its_replies(client, article, member, make_user):
    client.force_login(member)
    post(client, body="DELETED-TEXT-MARKER")
    parent = Comment.objects.get()
    client.force_login(make_user(display_name="Replier"))
    post(client, body="A reply that stays", parent=parent)
    client.force_login(member)

    assert "Delete my comment" in client.get(f"/comments/{parent.pk}/delete/").content.decode()
    client.post(f"/comments/{parent.pk}/delete/")

    parent.refresh_from_db()
    assert parent.status == Comment.Status.DELETED and parent.body == ""
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "DELETED-TEXT-MARKER" not in html
    assert "This comment was deleted by its author." in html
    assert "A reply that stays" in html


@pytest.mark.django_db
def test_member_posting_too_fast_gets_friendly_429_with_text_kept(client, article, make_user, settings):
    settings.COMMENTS_RATE_NEW_MEMBER = (2, 600)
    client.force_login(make_user())

    assert post(client, body="one").status_code == 302
    assert post(client, body="two").status_code == 302
    response = post(client, body="three, carefully written")

    assert response.status_code == 429
    assert "posting faster than we allow" in response.content.decode()
    assert "three, carefully written" in response.content.decode()
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_established_member_has_a_looser_limit(client, article, make_user, settings):
    settings.COMMENTS_RATE_NEW_MEMBER = (1, 600)
    settings.COMMENTS_RATE_MEMBER = (3, 600)
    client.force_login(make_user(date_joined=timezone.now() - timezone.timedelta(days=365)))

    statuses = [post(client, body=f"comment {i}").status_code for i in range(4)]

    assert statuses == [302, 302, 302, 429]


@pytest.mark.django_db
def test_comment_text_is_sanitized(client, article, member):
    client.force_login(member)

    post(client, body="<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>alert(2)</script>")

    html = client.get(article.get_absolute_url()).content.decode()
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert 'href="javascript' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("root_count", [1, 40])
def test_thread_page_query_count_does_not_grow(
    client, article, make_user, django_assert_max_num_queries, root_count
):
    thread = Thread.objects.for_subject(article)
    author = make_user()
    for i in range(root_count):
        root = moderation.submit(thread, author=author, body=f"root {i}")
        reply = moderation.submit(thread, author=author, body=f"reply {i}", parent=root)
        moderation.submit(thread, author=author, body=f"deep {i}", parent=reply)
    reader = make_user()
    client.force_login(reader)

    # Session, the member with their permissions, article, its studies and resources, one statement for the
    # reader (e-mail confirmed, follows the thread, wrote in it), the page of roots with their number,
    # everything under them, and the header's unread notifications.
    with django_assert_max_num_queries(9):
        response = client.get(article.get_absolute_url())
    # The second view reuses the rendered article and comment list: neither the comments, their replies, their
    # count nor the article's studies are fetched. Left: session, member, article, the reader's statement and
    # the unread count.
    with django_assert_max_num_queries(5):
        again = client.get(article.get_absolute_url())

    for html in (response.content.decode(), again.content.decode()):
        assert html.count('class="comment depth-0"') == min(root_count, ROOTS_PER_PAGE)
        assert html.count('class="comment depth-2"') == min(root_count, ROOTS_PER_PAGE)


@pytest.mark.django_db
def test_root_comments_paginate(client, article, make_user):
    thread = Thread.objects.for_subject(article)
    author = make_user()
    for i in range(25):
        moderation.submit(thread, author=author, body=f"numbered comment {i:02d}")

    first = client.get(article.get_absolute_url()).content.decode()
    second = client.get(article.get_absolute_url() + "?comments=2").content.decode()

    assert "numbered comment 00" in first and "numbered comment 20" not in first
    assert "numbered comment 24" in second and "Later comments" in first


@pytest.mark.django_db
def test_public_profile_lists_public_comments_without_email(client, article, make_user):
    person = make_user(email="hidden.address@example.org", display_name="Skylark")
    client.force_login(person)
    post(client, body="Profile-visible comment")
    client.logout()

    response = client.get(f"/members/{person.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Skylark" in html and "Member since" in html and "Profile-visible comment" in html
    assert "hidden.address" not in html


@pytest.mark.django_db
def test_unverified_member_cannot_follow_a_discussion(client, article, make_user):
    from ldnsite.comments.models import Subscription

    client.force_login(make_user(verified=False))

    response = client.post("/comments/article/ldn-basics/follow/", {"follow": "1"})

    assert response.status_code == 302 and "/accounts/email/" in response.url
    assert not Subscription.objects.exists()
