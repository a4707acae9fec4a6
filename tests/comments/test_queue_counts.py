"""Each section of the moderators' queue lists at most LIMIT items, oldest first, and its link says how many
wait in all: comments count the way member experiences do."""

import re

import pytest

from ldnsite.comments import moderation
from ldnsite.comments.models import Comment, Thread
from ldnsite.moderation import queue

SECTION_LINK = re.compile(r'<a href="#([a-z-]+)">[^<(]+\((\d+)\)</a>')


@pytest.fixture
def small_queue(monkeypatch):
    monkeypatch.setattr(queue, "LIMIT", 2)


def _totals(client) -> dict[str, int]:
    html = client.get("/moderation/").content.decode()
    return {key: int(total) for key, total in SECTION_LINK.findall(html)}


@pytest.mark.django_db
def test_every_section_link_counts_all_that_wait_beyond_the_first_page(
    client, moderator, small_queue, make_article, make_user, make_testimonial, settings
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    thread = Thread.objects.for_subject(make_article())
    held = [moderation.submit(thread, author=make_user(), body=f"HELD-{n}") for n in range(3)]
    Comment.objects.filter(pk__in=[comment.pk for comment in held[:2]]).update(status=Comment.Status.HIDDEN)
    for _ in range(3):
        make_testimonial(state="pending")
    client.force_login(moderator)

    totals = _totals(client)

    assert totals["testimonials"] == 3 and totals["held-heading"] == 1 and totals["reported-heading"] == 2
    for n in range(3):
        moderation.submit(thread, author=make_user(), body=f"MORE-HELD-{n}")
    html = client.get("/moderation/").content.decode()
    assert _totals(client)["held-heading"] == 4
    assert "HELD-2" in html and "MORE-HELD-0" in html and "MORE-HELD-1" not in html  # the oldest two only
