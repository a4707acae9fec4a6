"""Nothing lost: a portable JSON copy (dumpdata with natural keys) restores every row of every model, and a
request that rolls back sends no e-mail.

The restore test runs on SQLite and on PostgreSQL
(DATABASE_URL=postgres://... pytest tests/test_backup_restore.py --create-db).
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core import serializers
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone
from post_office.models import Email

from articles import moderation as article_moderation
from articles.models import Article, PublicationStatus, Resource, Study
from ldnsite.accounts.names import change_display_name
from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Comment, Report, Subscription, Thread
from ldnsite.moderation.models import ModerationEvent
from testimonials import moderation as testimonial_moderation
from testimonials.models import ReportCount, Testimonial, TestimonialRevision
from tests.clients import PassedTwoFactorClient as Client
from tests.factories import own_callbacks

Testimonial.__test__ = TestimonialRevision.__test__ = False

OUR_APPS = ["accounts", "moderation", "comments", "articles", "testimonials"]
# What the README's JSON copy leaves out: rebuilt by migrate (content types, permissions) or not kept.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def backed_up_models() -> list:
    models = [model for label in OUR_APPS for model in apps.get_app_config(label).get_models()]
    return [*models, Group, EmailAddress]


def ms(value):
    """Django's JSON encoder writes times to the millisecond: a JSON copy keeps no more than that."""
    if isinstance(value, datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def snapshot() -> dict:
    """model label -> {natural key or pk: field values}, foreign keys and M2M named by natural key."""
    data = {}
    for model in backed_up_models():
        m2m = {field.name for field in model._meta.many_to_many}
        rows = {}
        for row in serializers.serialize(
            "python",
            model._default_manager.order_by("pk"),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        ):
            fields = {
                name: sorted(map(repr, value)) if name in m2m else ms(value)
                for name, value in row["fields"].items()
            }
            # Users and groups are keyed by e-mail and name: their ids may differ after a restore.
            if "pk" in row:
                key = ("pk", row["pk"])
            else:
                key = ("natural", fields["email"] if model._meta.label == "accounts.User" else fields["name"])
            rows[key] = fields
        data[model._meta.label] = rows
    return data


def empty_the_site() -> None:
    """Delete every backed-up row, children first (comment parents and article authors are PROTECTed)."""
    ModerationEvent.objects.all().delete()
    Report.objects.all().delete()
    Subscription.objects.all().delete()
    for depth in sorted(set(Comment.objects.values_list("depth", flat=True)), reverse=True):
        Comment.objects.filter(depth=depth).delete()
    Thread.objects.all().delete()
    TestimonialRevision.objects.all().delete()
    ReportCount.objects.all().delete()
    Testimonial.objects.all().delete()
    Resource.objects.all().delete()
    Article.objects.all().delete()
    Study.objects.all().delete()
    EmailAddress.objects.all().delete()
    apps.get_model("accounts", "User").objects.all().delete()
    Group.objects.all().delete()


def story(**overrides) -> dict:
    content = {
        "title": "Evenings are calmer",
        "ms_type": "rrms",
        "dose_mg": Decimal("4.50"),
        "time_on_ldn": "6-12m",
        "change": "better",
        "side_effects": ["vivid_dreams", "headache"],
        "side_effects_other": "Dry mouth — a little",
        "other_treatments": "Vitamin D",
        "narrative": "I started on **1.5 mg** and went up slowly. Émile helped. 😊",
        "display_as": "display_name",
    }
    content.update(overrides)
    return content


@pytest.fixture
def populated_site(make_user, make_moderator, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    translators = Group.objects.create(name="Translators")
    translators.permissions.set(Permission.objects.filter(codename__in=["view_article", "view_study"]))
    editor = make_user(display_name="Editor Eve", is_staff=True, groups=["Editors", "Translators"])
    moderator = make_moderator(display_name="Mod Mo")
    make_user(display_name="Admin Al", email="Admin@Example.org", is_staff=True, is_superuser=True)
    ada = make_user(display_name="Ada", last_login=timezone.now() - timezone.timedelta(hours=3))
    bo = make_user(display_name="Bo Umlaut")
    cy = make_user(display_name="Cy", verified=False, is_active=False)
    EmailAddress.objects.create(user=ada, email="ada.old@example.org", verified=True, primary=False)
    change_display_name(bo, "Bo Ümlaut", by=bo)
    bo.refresh_from_db()

    study = Study.objects.create(
        slug="cree-2010",
        title="Pilot trial of low dose naltrexone and quality of life in MS",
        authors="Cree BAC, Kornyeyeva E, Goodin DS",
        journal="Ann Neurol",
        year=2010,
        citation_details="68(2):145-50",
        doi="10.1002/ana.22006",
        pmid="20695007",
        registry_id="NCT00501696",
        design=Study.Design.RCT_CROSSOVER,
        populations=["rrms", "spms"],
        participants_enrolled=80,
        participants_completed=60,
        main_result="Better mental health scores.",
        plain_summary="People felt **better**.",
        checked_facts=["citation", "design", "doi"],
    )
    article_moderation.publish(study, by=editor)
    draft_study = Study.objects.create(
        slug="case-1", title="A case", authors="Doe J", journal="J Case", year=2020,
        design=Study.Design.CASE_REPORT, participants_enrolled=1, main_result="One case.",
        plain_summary="One.",
    )  # fmt: skip
    article = Article.objects.create(
        slug="what-is-ldn",
        title="What is LDN?",
        summary="A short introduction.",
        body="# LDN\n\nLow dose naltrexone…",
        author=editor,
        last_reviewed_on=date(2026, 1, 15),
    )
    article.studies.set([study, draft_study])
    Resource.objects.create(
        article=article, kind=Resource.Kind.VIDEO, title="A talk", url="https://example.org/talk",
        published_on=date(2024, 5, 1), note="45 minutes", position=2,
    )  # fmt: skip
    article_moderation.publish(article, by=editor)
    article_moderation.unpublish(article, by=editor, reason="Needs an update")
    article_moderation.publish(article, by=editor)

    approved = testimonial_moderation.submit(author=ada, content=story(), is_carer=False, token=uuid.uuid4())
    approved = testimonial_moderation.approve(approved, by=moderator)
    testimonial_moderation.edit(approved, by=ada, content=story(title="Evenings are much calmer"))
    rejected = testimonial_moderation.submit(author=bo, content=story(dose_mg=Decimal("0.1")), is_carer=True)
    testimonial_moderation.reject(rejected, by=moderator, reason="Please remove the phone number.")
    withdrawn = testimonial_moderation.submit(author=bo, content=story(side_effects=[]), is_carer=False)
    testimonial_moderation.withdraw(withdrawn, by=bo)
    testimonial_moderation.submit(author=cy, content=story(dose_mg=Decimal("20")), is_carer=False)

    article_thread = Thread.objects.for_subject(article)
    Thread.objects.for_subject(study)
    testimonial_thread = Thread.objects.for_subject(approved)
    root = comment_moderation.submit(article_thread, author=ada, body="First!", token=uuid.uuid4())
    comment_moderation.publish(root, by=moderator)
    comment_moderation.edit(root, by=ada, body="First! (edited, waiting for review)")
    reply = comment_moderation.submit(article_thread, author=moderator, body="Welcome.", parent=root)
    deeper = comment_moderation.submit(article_thread, author=ada, body="Thanks", parent=reply)
    comment_moderation.edit(deeper, by=ada, body="Thanks a lot")
    held = comment_moderation.submit(testimonial_thread, author=bo, body="Held for now")
    removed = comment_moderation.submit(testimonial_thread, author=moderator, body="Spam?")
    comment_moderation.report(removed, by=ada, reason="spam", note="Looks like an advert")
    comment_moderation.remove(removed, by=moderator, reason="Advert")
    comment_moderation.report(reply, by=bo, reason="misinformation")
    comment_moderation.subscribe(article_thread, member=ada)
    comment_moderation.subscribe(testimonial_thread, member=bo)
    assert held.status == Comment.Status.HELD and deeper.depth == 2
    return SimpleNamespace(editor=editor, ada=ada, approved=approved, study=study, article=article)


@pytest.mark.django_db
def test_a_json_copy_restores_every_row_of_every_model(
    populated_site, tmp_path, django_capture_on_commit_callbacks
):
    before, mail_before = snapshot(), Email.objects.count()
    empty = [label for label, rows in before.items() if not rows]
    assert not empty, f"the test site has no rows of {empty}: add some"
    assert len(before["comments.Comment"]) >= 3 and len(before["testimonials.Testimonial"]) == 4
    assert {"Editors", "Moderators", "Translators"} <= {key[1] for key in before["auth.Group"]}

    backup = tmp_path / "ldnsite.json"
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=EXCLUDE,
        output=str(backup),
        verbosity=0,
    )
    empty_the_site()
    assert all(not model._default_manager.exists() for model in backed_up_models())

    call_command("loaddata", str(backup), verbosity=0)

    after = snapshot()
    assert {label: len(rows) for label, rows in after.items()} == {
        label: len(rows) for label, rows in before.items()
    }
    for label, rows in before.items():
        changed = {
            (key, name): (value, after[label].get(key, {}).get(name))
            for key, fields in rows.items()
            for name, value in fields.items()
            if after[label].get(key, {}).get(name) != value
        }
        assert not changed, f"{label} changed in the restore: {changed}"

    # Spot checks of what breaks first in a careless copy: decimals, JSON, times, M2M, hashes, links.
    User = apps.get_model("accounts", "User")
    ada = User.objects.get(email=populated_site.ada.email)
    assert ada.check_password("correct-horse-9")
    assert ada.last_login == ms(populated_site.ada.last_login)
    assert set(User.objects.get(email=populated_site.editor.email).groups.values_list("name", flat=True)) == {
        "Editors", "Translators",
    }  # fmt: skip
    assert set(Group.objects.get(name="Translators").permissions.values_list("codename", flat=True)) == {
        "view_article", "view_study",
    }  # fmt: skip
    assert User.objects.get(email=populated_site.editor.email).has_perm("articles.change_article")
    testimonial = Testimonial.objects.get(pk=populated_site.approved.pk)
    assert testimonial.author == ada and testimonial.dose_mg == Decimal("4.50")
    assert testimonial.side_effects == ["vivid_dreams", "headache"]
    assert testimonial.approved_at == ms(populated_site.approved.approved_at)
    assert testimonial.revisions.get().title == "Evenings are much calmer"
    assert Comment.objects.on(testimonial).filter(status=Comment.Status.REMOVED).get().reports.count() == 1
    assert Study.objects.get(slug="cree-2010").populations == ["rrms", "spms"]
    article = Article.objects.get(slug="what-is-ldn")
    assert article.status == PublicationStatus.PUBLISHED and article.published_at is not None
    assert article.updated_at == ms(populated_site.article.updated_at)
    assert set(article.studies.values_list("slug", flat=True)) == {"cree-2010", "case-1"}
    events = ModerationEvent.objects.filter(action="approve").get()
    assert events.target == testimonial and events.actor.display_name == "Mod Mo"
    assert EmailAddress.objects.filter(user=ada).count() == 2

    # The restored site works: new rows get fresh ids and nobody is e-mailed by the restore.
    assert Email.objects.count() == mail_before
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_moderation.submit(
            Thread.objects.for_subject(article), author=ada, body="After the restore"
        )
    assert ("pk", comment.pk) not in before["comments.Comment"]


# --- A request that fails after queueing its e-mail sends nothing -------------------------------------------


def _approve_that_fails_after_queueing_the_email(monkeypatch):
    """testimonial_moderation.approve as it is, except that the database fails right after the decision's
    e-mail was queued, inside the decision's atomic block."""
    queue_the_email = testimonial_moderation.notifications.send_decision

    def queue_then_fail(*args, **kwargs):
        queue_the_email(*args, **kwargs)
        raise DatabaseError("simulated failure after the e-mail was queued")

    monkeypatch.setattr(testimonial_moderation.notifications, "send_decision", queue_then_fail)


@pytest.mark.django_db
def test_a_rolled_back_decision_sends_no_email(
    make_user, make_moderator, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    moderator = make_moderator()
    testimonial = testimonial_moderation.submit(author=make_user(), content=story(), is_carer=False)
    _approve_that_fails_after_queueing_the_email(monkeypatch)
    client = Client(raise_request_exception=False)
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/moderation/testimonials/{testimonial.pk}/approve/", {"seen": testimonial.fingerprint}
        )

    assert response.status_code == 500
    assert own_callbacks(callbacks) == [] and mailoutbox == []
    assert not Email.objects.exists()  # the queued row went with the rollback
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.PENDING and testimonial.moderated_by is None
    assert not ModerationEvent.objects.filter(action="approve").exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_decision_sends_no_email_with_real_commits(
    make_user, make_moderator, mailoutbox, monkeypatch
):
    """The same with real transactions: the view's atomic block is the outermost one, as in production.
    (An earlier transactional test may have flushed the migrations' groups: the permission is given here.)"""
    moderator = make_moderator(permissions=["testimonials.moderate_testimonial"])
    testimonial = testimonial_moderation.submit(author=make_user(), content=story(), is_carer=False)
    client = Client(raise_request_exception=False)
    client.force_login(moderator)
    url = f"/moderation/testimonials/{testimonial.pk}/approve/"

    with monkeypatch.context() as patch:
        _approve_that_fails_after_queueing_the_email(patch)
        assert client.post(url, {"seen": testimonial.fingerprint}).status_code == 500
    assert mailoutbox == [] and not Email.objects.exists()
    testimonial.refresh_from_db()
    assert testimonial.status == Testimonial.Status.PENDING

    # Without the failure the same request commits and sends exactly one e-mail.
    assert client.post(url, {"seen": testimonial.fingerprint}).status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [testimonial.author.email]
