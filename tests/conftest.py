import itertools

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, PublicationStatus, Resource, Study
from tests.clients import PassedTwoFactorClient

_counter = itertools.count(1)


@pytest.fixture
def client():
    return PassedTwoFactorClient()


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _mail_through_the_queue(settings):
    """Django's test set-up swaps EMAIL_BACKEND for the local-memory outbox; put the site's queue back in
    front of it, so that mail is a row delivered after the commit (into mailoutbox) as in production."""
    settings.EMAIL_BACKEND = "ldnsite.mail.backends.QueueBackend"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in the cache: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db):
    """make_user(verified=True, groups=(), **fields) -> a member; the password is 'correct-horse-9'."""
    from django.contrib.auth import get_user_model

    def make(*, verified: bool = True, groups=(), password: str = "correct-horse-9", **fields):
        n = next(_counter)
        fields.setdefault("email", f"member{n}@example.org")
        fields.setdefault("display_name", f"Member {n}")
        user = get_user_model().objects.create_user(password=password, **fields)
        if groups:
            user.groups.set(Group.objects.filter(name__in=groups))
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def editor(make_user):
    return make_user(display_name="Editor Eve", is_staff=True, groups=["Editors"])


@pytest.fixture
def member(make_user):
    return make_user(display_name="Member Max")


@pytest.fixture
def make_study(db):
    def make(*, published: bool = True, **fields):
        n = next(_counter)
        defaults = {
            "slug": f"study-{n}",
            "title": f"Study number {n} of low dose naltrexone",
            "authors": f"Author{n} A, Other B",
            "journal": "Mult Scler",
            "year": 2010,
            "design": Study.Design.RCT_CROSSOVER,
            "participants_enrolled": 80,
            "main_result": f"Result of study {n}.",
            "plain_summary": f"Plain summary of study {n}.",
        }
        defaults.update(fields)
        if published:
            defaults.setdefault("status", PublicationStatus.PUBLISHED)
            defaults.setdefault("published_at", timezone.now() - timezone.timedelta(days=1))
        return Study.objects.create(**defaults)

    return make


@pytest.fixture
def make_article(db, make_user):
    def make(*, published: bool = True, studies=(), resources=(), author=None, **fields):
        n = next(_counter)
        defaults = {
            "slug": f"article-{n}",
            "title": f"Article number {n}",
            "summary": f"Summary of article {n}.",
            "body": f"Body of article {n}.",
            "author": author or make_user(display_name=f"Writer {n}"),
        }
        defaults.update(fields)
        if published:
            defaults.setdefault("status", PublicationStatus.PUBLISHED)
            defaults.setdefault("published_at", timezone.now() - timezone.timedelta(days=1))
        article = Article.objects.create(**defaults)
        article.studies.set(studies)
        for resource in resources:
            Resource.objects.create(article=article, **resource)
        return article

    return make


@pytest.fixture
def make_established(make_user, make_article):
    """make_established(**fields) -> a member whose reports count toward hiding a comment: an account older
    than COMMENTS_REPORTER_MIN_DAYS with a published comment (under a draft article, so no public page
    changes because of it)."""
    from ldnsite.comments.models import Comment, Thread

    def make(**fields):
        fields.setdefault("date_joined", timezone.now() - timezone.timedelta(days=30))
        member = make_user(**fields)
        thread = Thread.objects.for_subject(make_article(published=False))
        Comment.objects.create(
            thread=thread, author=member, body="An earlier comment.", status=Comment.Status.PUBLISHED
        )
        return member

    return make


@pytest.fixture
def moderator(make_user):
    return make_user(display_name="Moderator Mira", groups=["Moderators"], is_staff=True)


@pytest.fixture
def other_moderator(make_user):
    return make_user(display_name="Moderator Otto", groups=["Moderators"], is_staff=True)
