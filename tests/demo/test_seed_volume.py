import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles.models import Article, Study
from discussions.models import Topic
from ldnsite.comments.models import MAX_DEPTH, Comment, Thread
from testimonials.models import CONSENT_VERSION
from testimonials.models import Testimonial as MemberTestimonial

SMALL = {"articles": 6, "studies": 4, "testimonials": 60, "topics": 30, "comments": 900, "members": 25}


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_volume", stdout=out, **{**SMALL, "yes": True, **options})
    return out.getvalue()


@pytest.mark.django_db
def test_creates_the_counts_asked():
    output = seed()

    assert Article.objects.filter(title__startswith="Volume test article").count() == 6
    assert Study.objects.filter(title__startswith="Volume test study").count() == 4
    assert MemberTestimonial.objects.filter(title__startswith="Volume test experience").count() == 60
    assert Topic.objects.filter(title__startswith="Volume test topic").count() == 30
    assert Comment.objects.count() == 900
    members = get_user_model().objects.filter(email__endswith="@volume.invalid", is_staff=False)
    assert members.count() == 25
    assert EmailAddress.objects.filter(user__in=members, verified=True).count() == 25
    assert "900 comments" in output


@pytest.mark.django_db
def test_one_article_has_exactly_200_comments_and_the_most():
    output = seed()

    counts = Thread.objects.annotate(n=Count("comments")).order_by("-n")
    hot, runner_up = counts[0], counts[1]
    assert hot.subject_kind == "article" and hot.subject.is_published
    assert hot.n == 200
    assert runner_up.n < 200
    assert hot.subject.get_absolute_url() in output
    roots = Comment.objects.filter(thread=hot, depth=0)
    assert roots.count() == 20  # one page of roots, every reply on it
    assert Comment.objects.filter(thread=hot, depth=MAX_DEPTH).exists()


@pytest.mark.django_db
def test_comment_trees_are_consistent():
    seed()

    assert Comment.objects.filter(depth__gt=MAX_DEPTH).count() == 0
    for comment in Comment.objects.filter(depth__gt=0).select_related("parent", "root")[:300]:
        assert comment.depth == comment.parent.depth + 1
        assert comment.root == (comment.parent.root or comment.parent)
        assert comment.root.depth == 0
        assert comment.thread_id == comment.parent.thread_id == comment.root.thread_id
        assert comment.created_at >= comment.parent.created_at
    assert Comment.objects.filter(status=Comment.Status.DELETED).exclude(body="").count() == 0
    assert Comment.objects.public().count() > 0.9 * 900 - 200  # nearly all published (drafts' threads none)


@pytest.mark.django_db
def test_testimonials_are_mostly_approved_with_consistent_moderation():
    seed(testimonials=200)

    testimonials = MemberTestimonial.objects.all()
    approved = testimonials.filter(status=MemberTestimonial.Status.APPROVED)
    assert approved.count() > 150
    assert not approved.filter(moderated_by=None).exists()
    assert not approved.filter(approved_at=None).exists()
    pending = testimonials.filter(status=MemberTestimonial.Status.PENDING)
    assert not pending.exclude(moderated_by=None).exists()
    assert not testimonials.filter(status=MemberTestimonial.Status.REJECTED, rejection_reason="").exists()
    assert set(testimonials.values_list("consent_version", flat=True)) == {CONSENT_VERSION}
    for testimonial in testimonials.exclude(moderated_at=None):
        assert testimonial.moderated_at >= testimonial.submitted_at >= testimonial.consented_at
    # Every public testimonial has a discussion; none that is not public does.
    assert Thread.objects.filter(subject_kind="testimonial").count() == approved.count()


@pytest.mark.django_db
def test_running_again_adds_more_with_new_numbers():
    seed()
    seed()

    assert Article.objects.filter(title__startswith="Volume test article").count() == 12
    assert Article.objects.filter(title="Volume test article 12").exists()
    assert get_user_model().objects.filter(email__startswith="volume-member-").count() == 50


@pytest.mark.django_db
def test_seeded_pages_render(client):
    seed()
    hot = Thread.objects.annotate(n=Count("comments")).order_by("-n").first().subject

    busy = Thread.objects.filter(subject_kind="topic").annotate(n=Count("comments")).order_by("-n").first()
    assert busy.n >= 100  # the busy topic the benchmark reads

    for url in [
        hot.get_absolute_url(), busy.subject.get_absolute_url(), "/", "/articles/", "/studies/",
        "/testimonials/", "/discussions/",
    ]:  # fmt: skip
        assert client.get(url).status_code == 200


def test_refuses_without_debug_or_yes(settings, db):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--yes"):
        call_command("seed_volume", stdout=io.StringIO(), **SMALL)

    assert not Article.objects.exists()


def test_refuses_more_comments_than_discussions_can_hold(db):
    with pytest.raises(CommandError, match="do not fit"):
        seed(articles=1, studies=0, testimonials=0, topics=0, comments=1_000)
