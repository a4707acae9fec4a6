"""A testimonial's page reaches readers through public(), the one door: what it stops is stopped for a member
reading someone else's story too, while the author still reads their own."""

import pytest

from testimonials import managers


@pytest.mark.django_db
def test_others_stories_reach_a_member_through_public(client, make_user, make_testimonial, monkeypatch):
    author = make_user()
    own = make_testimonial(author=author, state="pending")
    others = make_testimonial()
    client.force_login(author)
    assert client.get(f"/testimonials/{others.pk}/").status_code == 200

    monkeypatch.setattr(managers.TestimonialQuerySet, "public", lambda queryset: queryset.none())

    assert client.get(f"/testimonials/{others.pk}/").status_code == 404
    assert client.get(f"/testimonials/{own.pk}/").status_code == 200
