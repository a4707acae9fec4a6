"""What can be discussed comes from the subject registry (ldnsite.comments.subjects), not from the comments
app: every registered kind is posted to, read, reported and moderated the same way; a subject that leaves
its public door takes its discussion with it; a kind registered in a test works with no change to the app."""

import dataclasses
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, PublicationStatus, Study
from ldnsite.comments import subjects
from ldnsite.comments.models import Comment, Report, Thread
from testimonials import moderation as testimonial_moderation
from tests.factories import story

KINDS = ["article", "study", "testimonial"]


@pytest.fixture
def make_subject(make_article, make_study, make_user, moderator):
    """make_subject(kind, title) -> (a public subject of that kind, the key its comment URLs use)."""

    def make(kind: str, title: str):
        if kind == "article":
            article = make_article(title=title)
            return article, article.slug
        if kind == "study":
            study = make_study(title=title)
            return study, study.slug
        testimonial = testimonial_moderation.submit(
            author=make_user(), content=story(title=title), is_carer=False
        )
        testimonial_moderation.approve(testimonial, by=moderator)
        testimonial.refresh_from_db()
        return testimonial, str(testimonial.pk)

    return make


def published(subject, author, body: str) -> Comment:
    return Comment.objects.create(
        thread=Thread.objects.for_subject(subject), author=author, body=body, status=Comment.Status.PUBLISHED
    )


def hide(subject) -> None:
    """Take `subject` out of its public door, each kind the way its app does."""
    if isinstance(subject, Article | Study):
        type(subject).objects.filter(pk=subject.pk).update(status=PublicationStatus.DRAFT)
    else:
        testimonial_moderation.withdraw(subject, by=subject.author)


# -- every kind, the same way -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_a_comment_on_each_kind_is_posted_read_reported_and_moderated(
    client, kind, make_subject, make_user, make_established, moderator, django_capture_on_commit_callbacks
):
    subject, key = make_subject(kind, f"Subject of kind {kind}")
    client.force_login(make_user())

    response = client.post(
        f"/comments/{kind}/{key}/new/", {"body": f"POSTED-ON-{kind}", "token": str(uuid.uuid4())}
    )

    comment = Comment.objects.get(body=f"POSTED-ON-{kind}")
    assert response.status_code == 302 and comment.status == Comment.Status.HELD  # a first comment waits
    assert comment.thread.subject == subject and comment.thread.subject_kind == kind

    client.force_login(moderator)
    queue = client.get("/moderation/").content.decode()
    assert f"POSTED-ON-{kind}" in queue and f"Subject of kind {kind}" in queue
    with django_capture_on_commit_callbacks(execute=True):  # the subject's page is refreshed after commit
        client.post(f"/moderation/comments/{comment.pk}/publish/", {"seen": comment.version})
    client.logout()
    assert f"POSTED-ON-{kind}" in client.get(subject.get_absolute_url()).content.decode()

    client.force_login(make_established())
    response = client.post(f"/comments/{comment.pk}/report/", {"reason": "spam", "note": ""})
    assert response.status_code == 302 and Report.objects.filter(comment=comment).count() == 1

    comment.refresh_from_db()
    client.force_login(moderator)
    assert f"POSTED-ON-{kind}" in client.get("/moderation/").content.decode()  # now among the reported
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/moderation/comments/{comment.pk}/remove/", {"reason": "Spam", "seen": comment.version})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    client.logout()
    assert f"POSTED-ON-{kind}" not in client.get(subject.get_absolute_url()).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_a_hidden_subjects_discussion_is_shown_nowhere_and_closed(client, kind, make_subject, make_user):
    subject, key = make_subject(kind, f"Soon hidden {kind}")
    writer = make_user()
    hidden = published(subject, writer, f"UNDER-HIDDEN-{kind}")
    published(make_subject("article", "Still public")[0], writer, "UNDER-PUBLIC")

    hide(subject)

    profile = client.get(f"/members/{writer.pk}/").content.decode()
    assert "UNDER-PUBLIC" in profile and f"UNDER-HIDDEN-{kind}" not in profile
    client.force_login(make_user())
    data = {"body": "Anyone here?", "token": str(uuid.uuid4())}
    assert client.post(f"/comments/{kind}/{key}/new/", data).status_code == 404
    assert client.post(f"/comments/{kind}/{key}/reply/{hidden.pk}/", data).status_code == 404
    assert client.post(f"/comments/{kind}/{key}/follow/", {"follow": "1"}).status_code == 404
    assert client.get(f"/comments/{hidden.pk}/report/").status_code == 404
    assert not Comment.objects.filter(body="Anyone here?").exists()


@pytest.mark.django_db
def test_an_unknown_kind_or_key_is_404(client, member, make_subject):
    make_subject("testimonial", "A story")
    client.force_login(member)
    data = {"body": "Hello", "token": str(uuid.uuid4())}

    assert client.post("/comments/recipe/anything/new/", data).status_code == 404
    assert client.post("/comments/testimonial/not-a-number/new/", data).status_code == 404
    assert not Comment.objects.exists()


# -- a kind the comments app has never heard of -------------------------------------------------------


@pytest.fixture
def essays():
    """Articles discussed under a test-only kind, "essay", whose door lets only "Open" ones through and
    whose app closes the discussion to members named "Silent"; the usual registration comes back after."""
    usual = subjects.by_kind("article")
    subjects.unregister("article")
    subjects.register(
        Article,
        kind="essay",
        lookup="slug",
        public=lambda: Article.objects.public().filter(title__startswith="Open"),
        may_comment=lambda user, subject: not user.display_name.startswith("Silent"),
    )
    yield
    subjects.unregister("essay")
    registration = {field.name: getattr(usual, field.name) for field in dataclasses.fields(usual)}
    subjects.register(registration.pop("model"), **registration)


@pytest.mark.django_db
def test_a_kind_registered_elsewhere_works_without_changing_the_comments_app(
    essays, client, make_article, make_user
):
    essay = make_article(slug="open-essay", title="Open essay")
    closed = make_article(slug="closed-essay", title="Closed essay")
    client.force_login(make_user())

    page = client.get(essay.get_absolute_url()).content.decode()
    assert 'action="/comments/essay/open-essay/new/"' in page
    data = {"body": "ESSAY-COMMENT", "token": str(uuid.uuid4())}
    assert client.post("/comments/essay/open-essay/new/", data).status_code == 302
    assert Comment.objects.get(body="ESSAY-COMMENT").thread.subject_kind == "essay"
    data = {"body": "Elsewhere", "token": str(uuid.uuid4())}
    assert client.post("/comments/article/open-essay/new/", data).status_code == 404  # no such kind now
    assert client.post("/comments/essay/closed-essay/new/", data).status_code == 404  # not through its door
    assert closed.is_published

    client.force_login(make_user(display_name="Silent Sam"))
    assert "/comments/essay/open-essay/new/" not in client.get(essay.get_absolute_url()).content.decode()
    data = {"body": "Let me in", "token": str(uuid.uuid4())}
    assert client.post("/comments/essay/open-essay/new/", data).status_code == 403
    assert not Comment.objects.filter(body="Let me in").exists()


@pytest.mark.django_db
def test_deleting_a_subject_deletes_its_discussion(make_subject, make_user):
    subject, _ = make_subject("article", "Soon deleted")
    published(subject, make_user(), "GOES-WITH-IT")
    kept = published(make_subject("study", "Stays")[0], make_user(), "STAYS")

    subject.delete()

    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert Thread.objects.count() == 1


# -- lists that say "On <subject>" cost the same for 1 and 20 rows ---------------------------------------


def queries_for(client, url: str) -> tuple[int, str]:
    cache.clear()  # a page kept by the page cache would cost nothing
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.django_db
def test_member_page_with_comments_on_every_kind_costs_the_same_for_1_and_20(client, make_subject, make_user):
    writer = make_user()
    for kind in KINDS:
        published(make_subject(kind, f"First {kind}")[0], writer, f"FIRST-ON-{kind}")
    queries_for(client, f"/members/{writer.pk}/")  # content types and the like, cached once per process
    few, html = queries_for(client, f"/members/{writer.pk}/")
    assert all(f"First {kind}" in html for kind in KINDS)

    for n in range(6):
        for kind in KINDS:
            published(make_subject(kind, f"More {kind} {n}")[0], writer, f"MORE-ON-{kind}-{n}")
    many, html = queries_for(client, f"/members/{writer.pk}/")

    assert html.count("On <a href=") == 20
    assert all(f"More {kind} 5" in html for kind in KINDS)
    assert many <= few


@pytest.mark.django_db
def test_moderator_queue_with_held_comments_on_every_kind_costs_the_same_for_1_and_20(
    client, make_subject, make_user, moderator
):
    def hold(n: int) -> None:
        for kind in KINDS:
            subject, _ = make_subject(kind, f"Held {kind} {n}")
            Comment.objects.create(
                thread=Thread.objects.for_subject(subject), author=make_user(), body=f"HELD-{kind}-{n}"
            )

    hold(0)
    client.force_login(moderator)
    queries_for(client, "/moderation/")
    few, html = queries_for(client, "/moderation/")
    assert all(f"Held {kind} 0" in html for kind in KINDS)

    for n in range(1, 7):
        hold(n)
    many, html = queries_for(client, "/moderation/")

    assert all(f"HELD-{kind}-6" in html and f"Held {kind} 6" in html for kind in KINDS)
    assert many <= few
