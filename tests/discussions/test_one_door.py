"""A topic reaches readers only through Topic.objects.public(): a held, hidden, rejected or removed topic's
title and body appear nowhere public, while its author and moderators still read it."""

import pytest

from discussions import managers, moderation
from discussions.models import Topic

PUBLIC_PAGES = [
    "/", "/discussions/", "/discussions/?category=side-effects", "/articles/", "/studies/", "/testimonials/",
    "/feeds/articles/", "/feeds/articles/atom/", "/feeds/studies/", "/feeds/studies/atom/", "/sitemap.xml",
]  # fmt: skip


def public_text(client, member) -> str:
    pages = [*PUBLIC_PAGES, f"/members/{member.pk}/"]
    pages += [f"/search/?q={word}" for word in ("Marker7731", "Bodymarker7731")]
    return "\n".join(client.get(url).content.decode() for url in pages)


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["held", "hidden", "removed", "rejected"])
def test_a_topic_not_published_appears_nowhere_public(
    client, make_user, make_topic, make_comment, moderator, state, django_capture_on_commit_callbacks
):
    author = make_user()
    # Something public under the author's name, so that their member page exists.
    shown = make_topic(author=author, title="A published topic")
    make_comment(shown, author, "An earlier reply.", status="published")
    with django_capture_on_commit_callbacks(execute=True):
        topic = make_topic(
            author=make_user() if state in ("held", "rejected") else author,
            state="held" if state == "rejected" else state,
            title="Marker7731 giraffeneck",
            body="Bodymarker7731 zebrafinch",
        )
        if state == "rejected":
            moderation.reject(topic, by=moderator, reason="No.")
    assert client.get(f"/members/{author.pk}/").status_code == 200
    for reader in (None, make_user()):
        client.logout()
        if reader is not None:
            client.force_login(reader)
        text = public_text(client, author)
        # Search pages repeat the query (Marker7731): the words beside it must not appear.
        assert "giraffeneck" not in text and "zebrafinch" not in text
        assert client.get(topic.get_absolute_url()).status_code == 404
        assert client.get(f"/comments/topic/{topic.pk}/new/").status_code in (302, 404)

    # Its author and a moderator still read it, with its state.
    client.force_login(topic.author)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert (
        "Marker7731 giraffeneck" in html
        and Topic.Status(topic.status if state != "rejected" else "rejected").label in html
    )
    client.force_login(moderator)
    assert client.get(topic.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_published_topic_is_found_everywhere_it_belongs(
    client, make_topic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = make_topic(title="Marker7731 title", body="Bodymarker7731 words")
    assert "Marker7731 title" in client.get("/discussions/").content.decode()
    search = client.get("/search/", {"q": "Bodymarker7731"}).content.decode()
    assert "Marker7731 title" in search and ">Discussions<" in search
    assert topic.get_absolute_url() in client.get("/sitemap.xml").content.decode()
    assert "Marker7731 title" in client.get(f"/members/{topic.author_id}/").content.decode()


@pytest.mark.django_db
def test_others_topics_reach_a_member_through_public(client, make_user, make_topic, monkeypatch):
    author = make_user()
    own = make_topic(author=author, state="held")
    others = make_topic()
    client.force_login(author)
    assert client.get(others.get_absolute_url()).status_code == 200

    monkeypatch.setattr(managers.TopicQuerySet, "public", lambda queryset: queryset.none())

    assert client.get(others.get_absolute_url()).status_code == 404
    assert client.get(own.get_absolute_url()).status_code == 200
