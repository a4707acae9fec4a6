"""Access control: every write URL against five roles (anonymous, another member, the owner, a moderator, an
editor). Only the right role changes anything; everyone else leaves every row exactly as it was. Then mass
assignment: fields a form does not offer cannot be set by adding them to the POST."""

import io
import uuid
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

import testimonials.models as testimonial_models
from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Comment, CommentRevision, Report, Thread
from testimonials import moderation as testimonial_moderation
from tests import factories
from tests.factories import story

PASSWORD = "correct-horse-9"
ROLES = ["anonymous", "other_member", "owner", "moderator", "editor"]
MEMBERS = {"other_member", "owner", "moderator", "editor"}


def experience_form(**overrides) -> dict:
    return factories.experience_form(
        **{**{"title": "Hijacked title", "narrative": "Hijacked narrative."}, **overrides}
    )


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def world(make_user, make_moderator, editor, make_article, settings):
    owner = make_user(display_name="Owner Olu")
    other = make_user(display_name="Other Oda")
    moderator = make_moderator(display_name="Moderator Mo")
    article = make_article()
    thread = Thread.objects.for_subject(article)
    comment = comment_moderation.submit(thread, author=owner, body="The owner's own words.")
    comment.refresh_from_db()
    if comment.status != Comment.Status.PUBLISHED:
        comment_moderation.publish(comment, by=moderator)
    pending = testimonial_moderation.submit(author=owner, content=story(title="Pending one"), is_carer=False)
    approved = testimonial_moderation.submit(
        author=owner, content=story(title="Approved one"), is_carer=False
    )
    testimonial_moderation.approve(approved, by=moderator)
    approved.refresh_from_db()
    revision = testimonial_moderation.edit(approved, by=owner, content=story(title="Changed title"))
    pending.refresh_from_db()
    return SimpleNamespace(
        users={"owner": owner, "other_member": other, "moderator": moderator, "editor": editor},
        owner=owner,
        comment=comment,
        pending=pending,
        approved=approved,
        revision=revision,
        settings=settings,
    )


def media_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def snapshot(world) -> tuple:
    return (
        sorted(testimonial_models.Testimonial.objects.values_list("pk", "status", "title", "narrative")),
        sorted(testimonial_models.TestimonialRevision.objects.values_list("pk", "status", "title")),
        sorted(Comment.objects.values_list("pk", "status", "body", "author_id")),
        sorted(Report.objects.values_list("pk", "comment_id", "reporter_id")),
        sorted(get_user_model().objects.values_list("pk", "is_active", "is_staff", "display_name")),
        media_files(world.settings),
    )


# name -> (url, data or callable(world) -> data, roles that may do it, did-it-happen check)
def _actions(w) -> dict:
    return {
        "testimonial_edit": (
            f"/testimonials/{w.pending.pk}/edit/",
            experience_form(),
            {"owner"},
            lambda: testimonial_models.Testimonial.objects.get(pk=w.pending.pk).title == "Hijacked title",
        ),
        "testimonial_withdraw": (
            f"/testimonials/{w.approved.pk}/withdraw/",
            {},
            {"owner"},
            lambda: testimonial_models.Testimonial.objects.get(pk=w.approved.pk).status == "withdrawn",
        ),
        "testimonial_delete": (
            f"/testimonials/{w.pending.pk}/delete/",
            {},
            {"owner"},
            lambda: not testimonial_models.Testimonial.objects.filter(pk=w.pending.pk).exists(),
        ),
        "comment_edit": (
            f"/comments/{w.comment.pk}/edit/",
            {"body": "Hijacked comment."},
            {"owner"},
            # A moderator published it, so the edit waits for review as a pending revision.
            lambda: CommentRevision.objects.filter(comment=w.comment, body="Hijacked comment.").exists(),
        ),
        "comment_delete": (
            f"/comments/{w.comment.pk}/delete/",
            {},
            {"owner"},
            lambda: Comment.objects.get(pk=w.comment.pk).status == Comment.Status.DELETED,
        ),
        "comment_report": (
            f"/comments/{w.comment.pk}/report/",
            {"reason": "spam", "note": ""},
            {"other_member", "moderator", "editor"},
            lambda: Report.objects.filter(comment=w.comment).exists(),
        ),
        "decide_testimonial": (
            f"/moderation/testimonials/{w.pending.pk}/approve/",
            {"seen": w.pending.fingerprint},
            {"moderator"},
            lambda: testimonial_models.Testimonial.objects.get(pk=w.pending.pk).status == "approved",
        ),
        "reject_testimonial": (
            f"/moderation/testimonials/{w.pending.pk}/reject/",
            {"reason": "Please leave out names.", "seen": w.pending.fingerprint},
            {"moderator"},
            lambda: testimonial_models.Testimonial.objects.get(pk=w.pending.pk).status == "rejected",
        ),
        "decide_revision": (
            f"/moderation/revisions/{w.revision.pk}/approve/",
            {"seen": w.revision.fingerprint},
            {"moderator"},
            lambda: testimonial_models.Testimonial.objects.get(pk=w.approved.pk).title == "Changed title",
        ),
        "decide_bulk": (
            "/moderation/testimonials/decide/",
            {"action": "approve", "ids": [w.pending.pk], f"seen-{w.pending.pk}": w.pending.fingerprint},
            {"moderator"},
            lambda: testimonial_models.Testimonial.objects.get(pk=w.pending.pk).status == "approved",
        ),
        "decide_comment": (
            f"/moderation/comments/{w.comment.pk}/remove/",
            lambda: {"reason": "Off topic.", "seen": Comment.objects.get(pk=w.comment.pk).version},
            {"moderator"},
            lambda: Comment.objects.get(pk=w.comment.pk).status == Comment.Status.REMOVED,
        ),
        "markdownx_upload": (
            "/markdownx/upload/",
            lambda: {"image": io.BytesIO(png())},
            {"editor"},
            lambda: len(media_files(w.settings)) == 1,
        ),
    }


ACTION_NAMES = [
    "testimonial_edit",
    "testimonial_withdraw",
    "testimonial_delete",
    "comment_edit",
    "comment_delete",
    "comment_report",
    "decide_testimonial",
    "reject_testimonial",
    "decide_revision",
    "decide_bulk",
    "decide_comment",
    "markdownx_upload",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTION_NAMES)
def test_only_the_right_role_can_use_each_write_url(client, world, action, role):
    url, data, allowed, happened = _actions(world)[action]
    if callable(data):
        data = data()
    if role != "anonymous":
        client.force_login(world.users[role])
    before = snapshot(world)

    response = client.post(url, data)

    if role in allowed:
        assert response.status_code in (200, 302), response.status_code
        assert happened(), f"{role} should be able to {action}"
    else:
        assert not happened()
        assert snapshot(world) == before
        if role == "anonymous":
            assert response.status_code in (302, 401, 403)  # 401: the login page, keeping the draft
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code in (403, 404), (action, role, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_markdown_preview_is_for_verified_members_and_editors(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.post("/markdownx/markdownify/", {"content": "**bold**"})
    if role in MEMBERS:
        assert response.status_code == 200
        assert "<strong>bold</strong>" in response.content.decode()
    else:
        assert response.status_code == 403


@pytest.mark.django_db
def test_markdown_preview_is_refused_to_unverified_member(client, make_user):
    client.force_login(make_user(verified=False))
    assert client.post("/markdownx/markdownify/", {"content": "**bold**"}).status_code == 403


def log_in_with_password(client, user) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_export_needs_login_and_holds_only_the_members_own_data(client, world):
    response = client.post("/accounts/export/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    log_in_with_password(client, world.users["other_member"])
    response = client.post("/accounts/export/")
    assert response.status_code == 200
    body = response.content.decode()
    assert world.users["other_member"].email in body
    assert world.owner.email not in body
    assert "Pending one" not in body and "The owner's own words." not in body


@pytest.mark.django_db
def test_export_without_recent_password_is_not_handed_over(client, world):
    client.force_login(world.owner)
    response = client.post("/accounts/export/")
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


@pytest.mark.django_db
def test_delete_account_needs_login_and_removes_only_the_member_themselves(client, world):
    before = snapshot(world)
    response = client.post("/accounts/delete/", {"experiences": "delete", "confirm": "Owner Olu"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert snapshot(world) == before

    other = world.users["other_member"]
    log_in_with_password(client, other)
    # Typing someone else's display name does not delete them (nor oneself).
    response = client.post("/accounts/delete/", {"experiences": "delete", "confirm": "Owner Olu"})
    assert response.status_code == 200
    assert snapshot(world) == before

    response = client.post("/accounts/delete/", {"experiences": "delete", "confirm": "Other Oda"})
    assert response.status_code == 302
    users = get_user_model().objects
    assert not users.filter(pk=other.pk).exists()
    assert users.filter(pk=world.owner.pk).exists()
    assert Comment.objects.get(pk=world.comment.pk).body == "The owner's own words."


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["moderator", "editor"])
def test_staff_accounts_cannot_delete_themselves_here(client, world, role):
    user = world.users[role]
    log_in_with_password(client, user)
    before = snapshot(world)
    response = client.post("/accounts/delete/", {"experiences": "delete", "confirm": user.display_name})
    assert response.status_code == 302
    assert snapshot(world) == before


# --- Mass assignment ---------------------------------------------------------------------------------------

SMUGGLED = {
    "status": "approved",
    "moderated_by": "1",
    "approved_at": "2020-01-01 00:00",
    "is_staff": "1",
    "is_superuser": "1",
    "consent_version": "0",
}


@pytest.mark.django_db
def test_smuggled_fields_on_testimonial_submit_change_nothing(client, world):
    other = world.users["other_member"]
    client.force_login(other)
    data = experience_form(title="Smuggler's story", **SMUGGLED, author=str(world.owner.pk))
    response = client.post("/testimonials/new/", data)
    assert response.status_code == 302
    made = testimonial_models.Testimonial.objects.get(title="Smuggler's story")
    assert made.author == other
    assert made.status == "pending"
    assert made.approved_at is None
    other.refresh_from_db()
    assert not other.is_staff and not other.is_superuser


@pytest.mark.django_db
def test_smuggled_fields_on_testimonial_edit_change_nothing(client, world):
    client.force_login(world.owner)
    other = world.users["other_member"]
    data = experience_form(**SMUGGLED, author=str(other.pk))
    response = client.post(f"/testimonials/{world.pending.pk}/edit/", data)
    assert response.status_code == 302
    edited = testimonial_models.Testimonial.objects.get(pk=world.pending.pk)
    assert edited.title == "Hijacked title"
    assert edited.status == "pending" and edited.author == world.owner and edited.approved_at is None
    # On a published one, the smuggled status does not publish the edit: it waits as a revision.
    response = client.post(
        f"/testimonials/{world.approved.pk}/edit/", experience_form(title="New", **SMUGGLED)
    )
    assert response.status_code == 302
    assert testimonial_models.Testimonial.objects.get(pk=world.approved.pk).title == "Approved one"
    world.owner.refresh_from_db()
    assert not world.owner.is_staff


@pytest.mark.django_db
def test_smuggled_fields_on_comments_change_nothing(client, world, make_article):
    newcomer_article = make_article()
    other = world.users["other_member"]
    client.force_login(other)
    response = client.post(
        f"/comments/article/{newcomer_article.slug}/new/",
        {"body": "Smuggled comment.", "token": str(uuid.uuid4()), **SMUGGLED, "author": world.owner.pk},
    )
    assert response.status_code == 302
    comment = Comment.objects.get(body="Smuggled comment.")
    assert comment.author == other
    assert comment.status == Comment.Status.HELD  # a first comment still waits for a moderator

    client.force_login(world.owner)
    response = client.post(
        f"/comments/{world.comment.pk}/edit/",
        {"body": "Edited.", "status": "removed", "author": other.pk, "thread": 999},
    )
    assert response.status_code == 302
    edited = Comment.objects.get(pk=world.comment.pk)
    assert (edited.status, edited.author) == (Comment.Status.PUBLISHED, world.owner)
    assert edited.pending_revision.body == "Edited."  # approved once: the edit waits for a moderator
    other.refresh_from_db()
    assert not other.is_staff
