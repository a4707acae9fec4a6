"""Member data: the export of everything a member gave, and account deletion (delete or keep experiences
anonymised). Both need a recent password entry; hidden and deleted text is swept for everywhere."""

import json
import pathlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import moderation as article_moderation
from ldnsite.accounts.data import collect
from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Comment, Report, Subscription, Thread
from ldnsite.moderation.models import ModerationEvent
from testimonials import moderation
from testimonials.models import Testimonial, TestimonialRevision
from tests.clients import PassedTwoFactorClient as Client
from tests.factories import story

Testimonial.__test__ = TestimonialRevision.__test__ = False

PASSWORD = "correct-horse-9"
EXPORT = "/accounts/export/"
DELETE = "/accounts/delete/"
PLACEHOLDER = "This comment was deleted by its author."


@pytest.fixture(autouse=True)
def _no_hold_and_generous_limits(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    settings.COMMENTS_RATE_NEW_MEMBER = (100, 600)
    settings.COMMENTS_RATE_MEMBER = (100, 600)


@pytest.fixture
def superuser(make_user):
    return make_user(display_name="Root Rita", is_staff=True, is_superuser=True)


@pytest.fixture
def leaver(make_user):
    return make_user(display_name="Leaving Lou", email="lou.private@example.org")


@pytest.fixture
def other(make_user):
    return make_user(display_name="Staying Sam", email="sam.private@example.org")


@pytest.fixture
def article(make_article):
    return make_article(slug="ldn-and-fatigue", title="LDN and fatigue")


def log_in_with_password(client, user, password: str = PASSWORD) -> None:
    """Log in through the login form, then enter the password again on allauth's reauthentication page.

    allauth 65.21 counts only an explicit reauthentication as "recent" (its records carry
    `reauthenticated=True`); neither `client.force_login` nor a fresh login through the form does."""
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()


def thread_of(subject) -> Thread:
    return Thread.objects.for_subject(subject)


def page(url: str, user=None) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# -- who may use the pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [EXPORT, DELETE])
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("url", [EXPORT, DELETE])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_session_without_a_recent_password_entry_is_asked_for_the_password(client, member, url, method):
    client.force_login(member)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")
    assert Testimonial.objects.count() == 0 and get_user_model().objects.filter(pk=member.pk).exists()


def test_after_logging_in_the_password_is_asked_again_and_then_the_page_opens(client, member):
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    response = client.get(EXPORT)
    assert response.url == "/accounts/reauthenticate/?next=%2Faccounts%2Fexport%2F"
    response = client.post(response.url, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == EXPORT
    assert "Download my data" in response.content.decode()


def test_account_menu_links_to_export_and_delete(client, member):
    log_in_with_password(client, member)
    html = client.get(EXPORT).content.decode()
    assert f'href="{EXPORT}" aria-current="page"' in html
    assert f'href="{DELETE}"' in html


def test_readme_tells_members_about_their_data():
    from django.conf import settings

    readme = (settings.BASE_DIR / "README.md").read_text()
    assert EXPORT in readme and DELETE in readme


# -- export -------------------------------------------------------------------------------------------


@pytest.fixture
def leavers_world(leaver, other, moderator, article, make_testimonial, make_comment):
    """The leaving member's content in every state, plus another member's, with unique markers."""
    world = {
        state: make_testimonial(
            state=state,
            author=leaver,
            decided_by=moderator,
            is_carer=state == "pending",
            title=f"LOU-{state.upper()}-TITLE",
            narrative=f"LOU-{state.upper()}-MARKER narrative.",
        )  # fmt: skip
        for state in ("pending", "approved", "rejected", "withdrawn")
    }
    world["revision"] = moderation.edit(
        world["approved"], by=leaver, content=story(title="LOU-REVISION", narrative="LOU-REVISION-MARKER")
    )
    world["others_story"] = make_testimonial(author=other, decided_by=moderator, title="SAM-TITLE",
                                             narrative="SAM-STORY-MARKER")  # fmt: skip
    world["comment"] = make_comment(article, leaver, "LOU-COMMENT-MARKER")
    world["removed"] = make_comment(article, leaver, "LOU-REMOVED-MARKER")
    comment_moderation.remove(world["removed"], by=moderator, reason="LOU-REMOVAL-REASON")
    world["reply"] = make_comment(article, other, "SAM-REPLY-SURVIVES", parent=world["comment"])
    world["others_comment"] = make_comment(article, other, "SAM-COMMENT")
    world["on_others_story"] = make_comment(world["others_story"], leaver, "LOU-ON-SAMS-STORY-MARKER")
    comment_moderation.report(
        world["others_comment"], by=leaver, reason="misinformation", note="LOU-REPORT-NOTE"
    )
    comment_moderation.report(world["comment"], by=other, reason="spam", note="SAM-REPORT-NOTE")
    comment_moderation.subscribe(thread_of(article), member=leaver)
    comment_moderation.subscribe(thread_of(article), member=other)
    return world


def download(client, user) -> tuple:
    log_in_with_password(client, user)
    response = client.post(EXPORT)
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_export_page_explains_the_download_and_has_a_post_button(client, member):
    log_in_with_password(client, member)
    html = client.get(EXPORT).content.decode()
    assert '<form method="post" action="/accounts/export/">' in html
    assert "consent" in html and "e-mail addresses" in html


def test_export_is_a_dated_attachment_that_is_never_cached(client, member):
    response, _ = download(client, member)
    assert response["Content-Type"].startswith("application/json")
    filename = f"ldnsite-my-data-{timezone.localdate():%Y-%m-%d}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "no-store" in response["Cache-Control"]


def test_export_holds_everything_the_member_gave(client, leaver, leavers_world):
    _, data = download(client, leaver)

    assert data["profile"]["display_name"] == "Leaving Lou"
    assert data["profile"]["email_addresses"] == [
        {"email": "lou.private@example.org", "verified": True, "primary": True}
    ]
    assert data["profile"]["joined"] and data["profile"]["last_login"]

    by_status = {t["status"]: t for t in data["testimonials"]}
    assert set(by_status) == {"pending", "approved", "rejected", "withdrawn"}
    approved = by_status["approved"]
    assert approved["narrative"] == "LOU-APPROVED-MARKER narrative."
    assert approved["dose_mg"] == "4.50"  # Decimal as a string
    assert approved["consent"]["version"] and approved["consent"]["given_at"]
    assert approved["written_as_carer"] is False and by_status["pending"]["written_as_carer"] is True
    assert [r["narrative"] for r in approved["revisions"]] == ["LOU-REVISION-MARKER"]
    assert by_status["rejected"]["rejection_reason"] == "Please leave out the pharmacy's name."

    bodies = {c["body"]: c for c in data["comments"]}
    assert bodies["LOU-COMMENT-MARKER"]["status"] == "published"
    assert bodies["LOU-COMMENT-MARKER"]["thread"] == {
        "kind": "article", "title": "LDN and fatigue", "url": "/articles/ldn-and-fatigue/"
    }  # fmt: skip
    assert bodies["LOU-REMOVED-MARKER"]["status"] == "removed"
    assert bodies["LOU-ON-SAMS-STORY-MARKER"]["thread"]["title"] == "SAM-TITLE"

    assert [(r["reason"], r["note"]) for r in data["reports"]] == [("misinformation", "LOU-REPORT-NOTE")]
    assert [s["thread"]["url"] for s in data["subscriptions"]] == ["/articles/ldn-and-fatigue/"]

    decisions = {(d["about"], d["action"]): d for d in data["moderation_decisions"]}
    assert decisions[("testimonial", "approve")]["by"] == "a moderator"
    assert decisions[("testimonial", "reject")]["reason"] == "Please leave out the pharmacy's name."
    removal = decisions[("comment", "remove")]
    assert (removal["from"], removal["to"]) == ("published", "removed")
    assert removal["reason"] == "LOU-REMOVAL-REASON"
    assert removal["at"]


def test_export_holds_no_other_members_data_nor_the_moderators_identity(client, leaver, leavers_world):
    response, _ = download(client, leaver)
    text = response.content.decode()
    foreign_text = [
        "SAM-STORY-MARKER", "SAM-REPLY-SURVIVES", "SAM-COMMENT", "SAM-REPORT-NOTE",
        "sam.private@example.org", "Staying Sam", "mira.mod@example.org", "Moderator Mira",
    ]  # fmt: skip
    for foreign in foreign_text:
        assert foreign not in text, foreign


def test_export_names_a_subject_only_while_it_is_public_or_the_members_own(
    client, leaver, other, editor, article, make_testimonial, make_comment
):
    """An article that went back to draft is no longer named (title nor address) wherever the member's
    comments, reports and subscriptions point at it; the member's own unpublished story still is."""
    make_comment(article, leaver, "LOU-ON-ARTICLE")
    others = make_comment(article, other, "SAM-ON-ARTICLE")
    comment_moderation.report(others, by=leaver, reason="spam", note="")
    comment_moderation.subscribe(thread_of(article), member=leaver)
    own_story = make_testimonial(state="pending", author=leaver, title="LOU-PENDING-STORY")
    make_comment(own_story, leaver, "LOU-ON-OWN-STORY")
    article_moderation.unpublish(article, by=editor, reason="Being revised.")

    response, data = download(client, leaver)

    hidden = {"kind": "article", "title": "(no longer published)", "url": None}
    bodies = {c["body"]: c["thread"] for c in data["comments"]}
    assert bodies["LOU-ON-ARTICLE"] == hidden
    assert [r["thread"] for r in data["reports"]] == [hidden]
    assert hidden in [s["thread"] for s in data["subscriptions"]]
    assert bodies["LOU-ON-OWN-STORY"] == {
        "kind": "testimonial", "title": "LOU-PENDING-STORY", "url": f"/testimonials/{own_story.pk}/"
    }  # fmt: skip
    assert "LDN and fatigue" not in response.content.decode()
    assert "/articles/ldn-and-fatigue/" not in response.content.decode()


def test_export_takes_a_fixed_number_of_queries(
    leaver, other, moderator, article, leavers_world, make_comment
):
    def count(member) -> int:
        with CaptureQueriesContext(connection) as queries:
            json.dumps(collect(member), default=str)
        return len(queries)

    # Subjects are fetched one query per kind of subject: the small member comments on a story too.
    make_comment(leavers_world["others_story"], other, "SAM-ON-OWN-STORY")
    count(other)  # content types are cached after the first call
    small = count(other)
    assert count(leaver) == small


# -- deletion -----------------------------------------------------------------------------------------


def delete_account(client, user, *, experiences: str, confirm: str | None = None):
    log_in_with_password(client, user)
    data = {"experiences": experiences, "confirm": user.display_name if confirm is None else confirm}
    return client.post(DELETE, data, follow=True)


def public_pages(world, article, other) -> list[str]:
    testimonial_pages = [f"/testimonials/{t.pk}/" for t in Testimonial.objects.all()]
    return [
        "/", "/testimonials/", "/testimonials/summary/", "/articles/", f"/articles/{article.slug}/",
        f"/members/{other.pk}/", *testimonial_pages,
    ]  # fmt: skip


ADMIN_PAGES = [
    "/admin/testimonials/testimonial/",
    "/admin/comments/comment/",
    "/admin/comments/report/",
    "/admin/moderation/moderationevent/",
    "/admin/accounts/user/",
    "/admin/",
]


def test_delete_page_asks_what_happens_to_experiences_and_for_the_display_name(client, member):
    log_in_with_password(client, member)
    html = client.get(DELETE).content.decode()
    assert 'type="radio" name="experiences" value="delete"' in html
    assert 'value="anonymise"' in html
    assert 'name="confirm"' in html


def test_deleting_everything_leaves_no_trace_but_keeps_other_peoples_replies(
    client, leaver, other, moderator, superuser, article, leavers_world
):
    # The admin log names a testimonial by its title.
    LogEntry.objects.create(
        user=moderator, content_type=ContentType.objects.get_for_model(Testimonial),
        object_id=str(leavers_world["pending"].pk), object_repr="LOU-PENDING-TITLE", action_flag=CHANGE,
        change_message="LOU-PENDING-MARKER",
    )  # fmt: skip
    leaver_pk = leaver.pk
    response = delete_account(client, leaver, experiences="delete")

    assert response.redirect_chain[-1][0] == "/"
    assert "Your account and your data have been deleted" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert not get_user_model().objects.filter(pk=leaver_pk).exists()
    assert not EmailAddress.objects.filter(user_id=leaver_pk).exists()
    assert not EmailAddress.objects.filter(email="lou.private@example.org").exists()
    assert not Testimonial.objects.filter(title__startswith="LOU").exists()
    assert not Report.objects.filter(note="LOU-REPORT-NOTE").exists()
    assert Subscription.objects.count() == 1  # the other member's
    assert Report.objects.filter(note="SAM-REPORT-NOTE").exists()

    article_html = page(f"/articles/{article.slug}/")
    assert PLACEHOLDER in article_html
    assert "SAM-REPLY-SURVIVES" in article_html

    reader_pages = [page(url) for url in public_pages(leavers_world, article, other)]
    moderator_pages = [page("/moderation/", moderator)]
    admin_pages = [page(url, superuser) for url in ADMIN_PAGES]
    for html in reader_pages + moderator_pages + admin_pages:
        assert "LOU-" not in html
        assert "Leaving Lou" not in html
        assert "lou.private@example.org" not in html
    assert not Comment.objects.filter(Q(body__contains="LOU") | Q(body_html__contains="LOU")).exists()
    assert not LogEntry.objects.filter(object_repr__contains="LOU").exists()


def test_the_members_other_sessions_end_too(leaver, leavers_world):
    elsewhere = Client()
    log_in_with_password(elsewhere, leaver)
    delete_account(Client(), leaver, experiences="delete")
    response = elsewhere.get("/testimonials/mine/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_keeping_experiences_anonymised_shows_them_without_the_name(
    client, leaver, other, moderator, superuser, article, leavers_world
):
    approved = leavers_world["approved"]
    response = delete_account(client, leaver, experiences="anonymise")
    assert response.redirect_chain[-1][0] == "/"

    approved.refresh_from_db()
    assert approved.author is None and approved.display_as == "ms_type"
    assert not Testimonial.objects.exclude(pk=approved.pk).filter(title__startswith="LOU").exists()
    assert ModerationEvent.objects.filter(action="anonymise", object_id=approved.pk).exists()
    assert set(approved.revisions.values_list("display_as", flat=True)) == {"ms_type"}

    detail = page(f"/testimonials/{approved.pk}/")
    assert "LOU-APPROVED-MARKER" in detail
    assert "A member with relapsing-remitting MS" in detail
    assert "LOU-APPROVED-MARKER" in page("/testimonials/")

    pages = [page(url) for url in public_pages(leavers_world, article, other)]
    pages += [page("/moderation/", moderator)] + [page(url, superuser) for url in ADMIN_PAGES]
    for html in pages:
        assert "Leaving Lou" not in html
        assert "lou.private@example.org" not in html
        assert "LOU-COMMENT-MARKER" not in html and "LOU-PENDING-MARKER" not in html
    assert not get_user_model().objects.filter(email="lou.private@example.org").exists()
    assert not EmailAddress.objects.filter(email="lou.private@example.org").exists()


@pytest.mark.parametrize("typed", ["", "Leaving Lu", "someone else"])
def test_wrong_confirmation_name_deletes_nothing_and_says_why(client, leaver, leavers_world, typed):
    response = delete_account(client, leaver, experiences="delete", confirm=typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "display name" in html
    assert get_user_model().objects.filter(pk=leaver.pk).exists()
    assert Testimonial.objects.filter(author=leaver).count() == 4
    assert Comment.objects.filter(author=leaver, body="LOU-COMMENT-MARKER").exists()
    assert response.wsgi_request.user.is_authenticated


def test_the_choice_about_experiences_is_required(client, leaver, leavers_world):
    log_in_with_password(client, leaver)
    response = client.post(DELETE, {"confirm": "Leaving Lou"})
    assert response.status_code == 200
    assert "Choose what happens to your experiences." in response.content.decode()
    assert get_user_model().objects.filter(pk=leaver.pk).exists()


@pytest.mark.parametrize("who", ["moderator", "superuser", "editor"])
def test_staff_accounts_are_refused(client, request, who):
    user = request.getfixturevalue(who)
    log_in_with_password(client, user)
    assert "Ask an administrator" in client.get(DELETE).content.decode()
    response = client.post(DELETE, {"experiences": "delete", "confirm": user.display_name}, follow=True)
    assert "cannot be deleted here" in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()


# -- the export's shape is an interface: pinned key by key, value by value ------------------------------

EXPORT_SHAPE = pathlib.Path(__file__).with_name("export_shape.json")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def pinned(data, world) -> str:
    """The export with what differs between runs (row ids, times, today's date) named instead."""
    labels = {}
    for name, obj in world.items():
        labels[(obj._meta.model_name, obj.pk)] = f"<{obj._meta.model_name} {name}>"
    for revision in TestimonialRevision.objects.filter(testimonial__author__isnull=False):
        labels[("testimonialrevision", revision.pk)] = f"<revision of {revision.title}>"
    urls = {f"/testimonials/{obj.pk}/": f"/testimonials/<{name}>/" for name, obj in world.items()
            if isinstance(obj, Testimonial)}  # fmt: skip
    urls.update({f"/discussions/{obj.pk}/": f"/discussions/<{name}>/" for name, obj in world.items()
                 if obj._meta.model_name == "topic"})  # fmt: skip

    def label(kind: str, pk):
        return labels.get((kind, pk), pk if pk is None else f"<unknown {kind} {pk}>")

    def walk(value):
        if isinstance(value, dict):
            # A consent version is a date, which may be today's: it is kept as it is.
            return {key: item if key == "version" else walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, str):
            if _DATETIME.match(value):
                return "<datetime>"
            for url, name in urls.items():
                value = value.replace(url, name)
            return value.replace(f"{timezone.localdate():%Y-%m-%d}", "<today>")
        return value

    for t in data["testimonials"]:
        t["id"] = label("testimonial", t["id"])
        for r in t["revisions"]:
            r["id"] = label("testimonialrevision", r["id"])
    for c in data["comments"]:
        c["id"], c["reply_to"] = label("comment", c["id"]), label("comment", c["reply_to"])
    for r in data["reports"]:
        r["comment_id"] = label("comment", r["comment_id"])
    for n in data["notifications"]["items"]:
        n["about"]["id"] = label(n["about"]["kind"], n["about"]["id"])
    for m in data["helpful_marks"]:
        m["id"] = label(m["kind"], m["id"])
    for t in data["discussions"]:
        t["id"] = label("topic", t["id"])
    for r in data["topic_reports"]:
        r["topic_id"] = label("topic", r["topic_id"])
    for d in data["moderation_decisions"]:
        d["id"] = label(d["about"], d["id"])
    return json.dumps(walk(data), indent=2, ensure_ascii=False) + "\n"


@pytest.fixture
def every_kind(leaver, other, moderator, article, leavers_world, make_comment, make_topic):
    """leavers_world plus what it lacks: a reply, an earlier display name, a subscription to a story that
    was withdrawn since, a comment that waits for a moderator, helpful marks (one on that story), a
    discussion topic and a report on another's, a watched word's match."""
    from discussions import moderation as topic_moderation
    from ldnsite.accounts.names import change_display_name
    from ldnsite.helpful import marks
    from ldnsite.watchwords.matching import record, scan

    world = dict(leavers_world)
    world["own_topic"] = make_topic(author=leaver, title="LOU-TOPIC-TITLE", body="LOU-TOPIC-MARKER body.")
    world["others_topic"] = make_topic(author=other, title="Someone else's topic")
    topic_moderation.report(world["others_topic"], by=leaver, reason="spam", note="LOU-REPORT-NOTE")
    world["own_reply"] = make_comment(article, leaver, "LOU-OWN-REPLY", parent=world["others_comment"])
    comment_moderation.subscribe(thread_of(world["others_story"]), member=leaver)
    marks.mark(world["others_comment"], by=leaver)
    marks.mark(world["others_story"], by=leaver)
    moderation.withdraw(world["others_story"], by=other)
    change_display_name(leaver, "Leaving Louise", by=leaver)
    change_display_name(leaver, "Leaving Lou", by=moderator)
    record(scan("LOU-WATCHED call me on 0123 456 7890"), where="comment", member=leaver)
    return world


def test_the_export_keeps_its_shape(client, leaver, every_kind):
    """Every key, in order, and every value of a member's export with content of every kind. A change here
    changes the file members download: keep the shape, or change export_shape.json on purpose."""
    _, data = download(client, leaver)
    assert pinned(data, every_kind) == EXPORT_SHAPE.read_text()


def test_an_app_that_registers_personal_data_is_in_the_download_and_erased_with_the_account(
    client, leaver, monkeypatch
):
    """accounts names no app: a kind registered by any app is exported at its place and erased."""
    from ldnsite.accounts import personal_data

    erased = []
    monkeypatch.setattr(personal_data, "_kinds", dict(personal_data._kinds))
    personal_data.register(
        "bookmarks",
        order=35,
        export=lambda member: [f"BOOKMARK-OF-{member.display_name}"],
        erase=lambda member, *, anonymise: erased.append((member.pk, anonymise)),
    )
    _, data = download(client, leaver)
    assert data["bookmarks"] == ["BOOKMARK-OF-Leaving Lou"]
    assert list(data)[-7:] == [
        "reports",
        "bookmarks",
        "subscriptions",
        "notifications",
        "helpful_marks",
        "watched_word_matches",
        "moderation_decisions",
    ]

    with pytest.raises(ValueError):
        personal_data.register("bookmarks", order=1, export=lambda member: [])

    leaver_pk = leaver.pk
    client.post(DELETE, {"experiences": "anonymise", "confirm": leaver.display_name})
    assert erased == [(leaver_pk, True)]
