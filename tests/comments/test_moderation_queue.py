import re

import pytest

from ldnsite.comments import moderation
from ldnsite.comments.managers import MODERATE_PERMISSION
from ldnsite.comments.models import Comment, Thread
from ldnsite.moderation import queue
from ldnsite.moderation.models import ModerationEvent


@pytest.fixture
def held_comment(make_article, make_comment):
    return make_comment(make_article(), body="HELD-QUEUE-MARKER")


@pytest.mark.django_db
def test_queue_is_for_moderators_only(client, member, held_comment):
    assert client.get("/moderation/").status_code == 302
    client.force_login(member)
    assert client.get("/moderation/").status_code == 403


@pytest.mark.django_db
def test_moderator_sees_held_comment_and_publishes_it(client, moderator, held_comment):
    client.force_login(moderator)
    queue = client.get("/moderation/").content.decode()
    assert "HELD-QUEUE-MARKER" in queue and f'name="seen" value="{held_comment.version}"' in queue

    response = client.post(f"/moderation/comments/{held_comment.pk}/publish/", {"seen": held_comment.version})

    held_comment.refresh_from_db()
    assert response.status_code == 302 and held_comment.is_published
    event = ModerationEvent.objects.get(action="publish")
    assert event.actor == moderator and event.from_state == "held"


@pytest.mark.django_db
def test_second_moderator_is_told_it_was_already_decided(client, moderator, other_moderator, held_comment):
    client.force_login(moderator)
    seen = {"seen": held_comment.version}
    client.post(f"/moderation/comments/{held_comment.pk}/publish/", seen)
    client.force_login(other_moderator)

    response = client.post(f"/moderation/comments/{held_comment.pk}/publish/", seen, follow=True)

    assert "already decided by another moderator" in response.content.decode()
    assert ModerationEvent.objects.filter(action="publish").count() == 1


@pytest.mark.django_db
def test_removal_needs_a_reason(client, moderator, held_comment):
    client.force_login(moderator)

    seen = held_comment.version
    client.post(f"/moderation/comments/{held_comment.pk}/remove/", {"reason": "", "seen": seen})
    held_comment.refresh_from_db()
    assert held_comment.status == Comment.Status.HELD

    client.post(
        f"/moderation/comments/{held_comment.pk}/remove/", {"reason": "Advertises a pharmacy", "seen": seen}
    )
    held_comment.refresh_from_db()
    assert held_comment.status == Comment.Status.REMOVED
    assert ModerationEvent.objects.get(action="remove").reason == "Advertises a pharmacy"


@pytest.mark.django_db
def test_decisions_need_post(client, moderator, held_comment):
    client.force_login(moderator)

    assert client.get(f"/moderation/comments/{held_comment.pk}/publish/").status_code == 405
    held_comment.refresh_from_db()
    assert held_comment.status == Comment.Status.HELD


# The queue is made of the sections that apps register ----------------------------------------------------


def section_links(html: str) -> list[str]:
    return re.findall(r'<li><a href="#([a-z-]+)">', html)


@pytest.mark.django_db
def test_moderators_see_the_sections_of_every_app_in_page_order(client, moderator, held_comment):
    client.force_login(moderator)

    html = client.get("/moderation/").content.decode()

    assert section_links(html) == [
        "testimonials",
        "revisions",
        "held-topics",
        "reported-topics",
        "held-heading",
        "reported-heading",
        "comment-edits",
        "watched-words",
    ]
    assert [html.index(f'<h2 id="{key}">') for key in section_links(html)] == sorted(
        html.index(f'<h2 id="{key}">') for key in section_links(html)
    )


@pytest.mark.django_db
def test_a_comment_moderator_sees_and_decides_comments_only(make_moderator, client, make_user, held_comment):
    client.force_login(make_moderator(permissions=["comments.moderate_comment"]))

    html = client.get("/moderation/").content.decode()
    refused = client.post("/moderation/testimonials/1/approve/", {"seen": "x"})

    assert section_links(html) == ["held-heading", "reported-heading", "comment-edits"]
    assert "HELD-QUEUE-MARKER" in html and 'id="testimonials"' not in html
    assert refused.status_code == 403


@pytest.mark.django_db
def test_a_story_moderator_sees_no_comments_and_cannot_decide_them(
    make_moderator, client, make_user, held_comment
):
    client.force_login(make_moderator(permissions=["testimonials.moderate_testimonial"]))

    html = client.get("/moderation/").content.decode()
    refused = client.post(f"/moderation/comments/{held_comment.pk}/publish/", {"seen": held_comment.version})

    assert section_links(html) == ["testimonials", "revisions"]
    assert "HELD-QUEUE-MARKER" not in html
    assert refused.status_code == 403
    held_comment.refresh_from_db()
    assert held_comment.status == Comment.Status.HELD


@pytest.mark.django_db
def test_a_story_moderators_first_comment_is_not_held(make_moderator, make_user, make_article, settings):
    """One definition of a moderator: whoever may decide a section of the queue, not only comments."""
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    thread = Thread.objects.for_subject(make_article())

    by_moderator = moderation.submit(
        thread, author=make_moderator(permissions=["testimonials.moderate_testimonial"]), body="m"
    )
    by_member = moderation.submit(thread, author=make_user(), body="n")

    assert by_moderator.status == Comment.Status.PUBLISHED and by_member.status == Comment.Status.HELD


@pytest.fixture
def recipes_section(settings, tmp_path):
    """Another app's section, registered as in its AppConfig.ready(); the queue is put back after."""
    (tmp_path / "recipes.html").write_text(
        '<section class="queue-section"><h2 id="recipes">Recipes waiting ({{ total }})</h2>'
        "{% for recipe in recipes %}<p>{{ recipe }}</p>{% endfor %}</section>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    registered, urls = queue.sections(), queue.urlpatterns()
    queue.register(
        queue.Section(
            key="recipes",
            label="Recipes",
            permission=MODERATE_PERMISSION,
            template="recipes.html",
            waiting=lambda request: queue.Waiting(2, {"recipes": ["RECIPE-ONE", "RECIPE-TWO"]}),
            order=250,
        )
    )
    yield
    queue.clear()
    queue.register(*registered, urls=urls)


@pytest.mark.django_db
def test_a_section_another_app_registers_is_shown_in_its_place(client, moderator, recipes_section):
    client.force_login(moderator)

    html = client.get("/moderation/").content.decode()

    assert section_links(html) == [
        "testimonials", "revisions", "held-topics", "recipes", "reported-topics", "held-heading",
        "reported-heading", "comment-edits", "watched-words",
    ]  # fmt: skip
    assert '<a href="#recipes">Recipes (2)</a>' in html and "RECIPE-ONE" in html and "RECIPE-TWO" in html


def test_two_apps_cannot_claim_the_same_section():
    held = next(section for section in queue.sections() if section.key == "held-heading")

    with pytest.raises(ValueError, match="held-heading"):
        queue.register(held)
