import itertools

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
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
    """make_user(verified=True, groups=(), permissions=(), **fields) -> a member; the password is
    'correct-horse-9'. permissions ("app_label.codename") are granted to the member alone."""
    from django.contrib.auth import get_user_model

    def make(
        *, verified: bool = True, groups=(), permissions=(), password: str = "correct-horse-9", **fields
    ):
        n = next(_counter)
        fields.setdefault("email", f"member{n}@example.org")
        fields.setdefault("display_name", f"Member {n}")
        user = get_user_model().objects.create_user(password=password, **fields)
        if groups:
            user.groups.set(Group.objects.filter(name__in=groups))
        for permission in permissions:
            app_label, codename = permission.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def make_moderator(make_user):
    """make_moderator(permissions=None, **fields) -> a staff member in the Moderators group; with
    permissions (for example ["testimonials.moderate_testimonial"]) a staff member who holds exactly those,
    in no group. The client fixture logs them in with two-factor passed (tests/clients.py)."""

    def make(*, permissions=None, **fields):
        fields.setdefault("is_staff", True)
        if permissions is None:
            return make_user(groups=["Moderators"], **fields)
        return make_user(permissions=permissions, **fields)

    return make


@pytest.fixture
def moderator(make_moderator):
    return make_moderator(display_name="Moderator Mira", email="mira.mod@example.org")


@pytest.fixture
def other_moderator(make_moderator):
    return make_moderator(display_name="Moderator Otto")


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
def make_comment(make_user):
    """make_comment(subject, author=None, body="A comment.", *, parent=None, follow=False, status=None,
    posted=False) -> a comment (or a reply to parent) in subject's discussion, by author (else a new member).

    By default it goes through ldnsite.comments.moderation.submit: held or published by the site's own rule
    (a first comment waits unless COMMENTS_HOLD_FIRST_COMMENT is off), logged, replies mailed; follow=True
    follows the discussion too. posted=True sends it through the comment form over HTTP instead, as the
    author's browser does. status= writes the row straight in that state, with no log line and no mail: for
    tests about reading a state, or about the moves out of it."""
    import uuid

    from ldnsite.comments import moderation, subjects
    from ldnsite.comments.models import Comment, Thread
    from ldnsite.comments.texts import text_fields

    def make(
        subject, author=None, body="A comment.", *, parent=None, follow=False, status=None, posted=False
    ):
        author = author or make_user()
        thread = Thread.objects.for_subject(subject)
        if status is not None:
            return Comment.objects.create(
                thread=thread,
                author=author,
                **text_fields(body),
                status=status,
                parent=parent,
                root=(parent.root or parent) if parent else None,
                depth=parent.depth + 1 if parent else 0,
            )
        if not posted:
            return moderation.submit(thread, author=author, body=body, parent=parent, follow=follow)
        registration = subjects.of(subject)
        url = f"/comments/{registration.kind}/{registration.key_of(subject)}/"
        token = str(uuid.uuid4())
        data = {"body": body, "token": token}
        if follow:
            data["subscribe"] = "on"
        if parent is None:
            url += "new/"
        else:
            url += f"reply/{parent.pk}/"
            data["parent"] = str(parent.pk)
        browser = PassedTwoFactorClient()
        browser.force_login(author)
        response = browser.post(url, data)
        assert response.status_code == 302, response.content.decode()
        return Comment.objects.get(submission_token=token)

    return make


@pytest.fixture
def make_established(make_user, make_article, make_comment):
    """make_established(**fields) -> a member whose reports count toward hiding a comment: an account older
    than COMMENTS_REPORTER_MIN_DAYS with a published comment (under a draft article, so no public page
    changes because of it)."""
    from ldnsite.comments.models import Comment

    def make(**fields):
        fields.setdefault("date_joined", timezone.now() - timezone.timedelta(days=30))
        member = make_user(**fields)
        make_comment(
            make_article(published=False), member, "An earlier comment.", status=Comment.Status.PUBLISHED
        )
        return member

    return make


@pytest.fixture
def make_testimonial(request, make_user):
    """make_testimonial(state="approved", author=None, decided_by=None, is_carer=False, days_ago=None,
    content=None, **fields) -> a member experience taken where it is through the site's own transitions:
    submitted by author (else a new member), then "approved" or "rejected" by decided_by (else the
    moderator fixture), "withdrawn" by its author, or left "pending". Its content is content (else
    tests.factories.story()) with fields over it; days_ago moves the submission back."""
    from testimonials import moderation
    from testimonials.models import Testimonial
    from tests.factories import story

    def make(
        *,
        state="approved",
        author=None,
        decided_by=None,
        is_carer=False,
        days_ago=None,
        content=None,
        **fields,
    ):
        content = {**(story() if content is None else content), **fields}
        testimonial = moderation.submit(author=author or make_user(), content=content, is_carer=is_carer)
        if days_ago is not None:
            submitted_at = timezone.now() - timezone.timedelta(days=days_ago)
            Testimonial.objects.filter(pk=testimonial.pk).update(submitted_at=submitted_at)
        if state in ("approved", "rejected"):
            decided_by = decided_by or request.getfixturevalue("moderator")
        if state == "approved":
            moderation.approve(testimonial, by=decided_by)
        elif state == "rejected":
            moderation.reject(testimonial, by=decided_by, reason="Please leave out the pharmacy's name.")
        elif state == "withdrawn":
            moderation.withdraw(testimonial, by=testimonial.author)
        elif state != "pending":
            raise ValueError(f"no testimonial state {state!r}")
        testimonial.refresh_from_db()
        return testimonial

    return make


@pytest.fixture
def make_topic(request, make_user):
    """make_topic(state="published", author=None, title=..., body=..., category=None, minutes_ago=None) ->
    a topic taken where it is through discussions.moderation: submitted by author (else a new member whose
    topic would be held), then approved by the moderator fixture, or left "held", or "hidden" / "removed"
    after approval. minutes_ago moves its last activity back."""
    from discussions import moderation
    from discussions.models import Category, Topic

    def make(
        *, state="published", author=None, title="Vivid dreams in week one", body="Did anyone else get them?",
        category=None, minutes_ago=None,
    ):  # fmt: skip
        category = category or Category.objects.get(slug="side-effects")
        topic = moderation.submit(author=author or make_user(), title=title, category=category, body=body)
        moderator = request.getfixturevalue("moderator")
        if topic.status == Topic.Status.HELD and state != "held":
            moderation.approve(topic, by=moderator)
        if state == "hidden":
            moderation.hide(topic, by=moderator, reason="Checking a claim.")
        elif state == "removed":
            moderation.remove(topic, by=moderator, reason="Selling.")
        if minutes_ago is not None:
            Topic.objects.filter(pk=topic.pk).update(
                last_activity_at=timezone.now() - timezone.timedelta(minutes=minutes_ago)
            )
        topic.refresh_from_db()
        return topic

    return make
