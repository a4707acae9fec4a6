"""Anonymous stays anonymous (issue 14, item 5).

A member who shared their story without their name and replies in its discussion appears there as "the
author of this story": on the story page, in reply and report forms, in the e-mail to followers, and not
on their member page. They are told so before they post. A story shared under their name is the control:
there the same replies carry the name (so these tests fail if names simply vanished everywhere).
"""

import re
import uuid

import pytest

from ldnsite.comments.models import Comment
from ldnsite.notifications.models import EmailPreference
from tests.factories import own_callbacks

NAME = "Wisteria Quill"
LABEL = "the author of this story"


@pytest.fixture(autouse=True)
def _no_hold(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False


@pytest.fixture
def author(make_user):
    return make_user(display_name=NAME)


@pytest.fixture
def make_story(make_testimonial, author):
    def make(display_as: str):
        return make_testimonial(author=author, title=f"Story shown as {display_as}", display_as=display_as)

    return make


def post(client, testimonial, body: str, *, parent=None, follow=False):
    data = {"body": body, "token": str(uuid.uuid4())}
    if follow:
        data["subscribe"] = "on"
    url = f"/comments/testimonial/{testimonial.pk}/new/"
    if parent is not None:
        data["parent"] = str(parent.pk)
        url = f"/comments/testimonial/{testimonial.pk}/reply/{parent.pk}/"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    return Comment.objects.get(body=body)


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def assert_unnamed(html: str, author) -> None:
    assert NAME not in html
    assert f"/members/{author.pk}/" not in html


@pytest.mark.django_db
def test_authors_reply_under_their_anonymous_story_shows_the_label_to_everyone(
    client, make_user, make_story, author
):
    testimonial = make_story("ms_type")
    client.force_login(author)
    reply = post(client, testimonial, "Thank you all for reading ANON-REPLY-1")

    readers = [None, make_user(display_name="Reader Rae"), author]
    for reader in readers:
        client.logout()
        if reader is not None:
            client.force_login(reader)
        page = text(client.get(testimonial.get_absolute_url()))
        html = re.search(r'<section id="comments".*?</section>', page, re.S).group(0)  # not the header
        assert "ANON-REPLY-1" in html
        assert_unnamed(html, author)
        byline = re.search(rf'id="comment-{reply.pk}-by"[^>]*>(.*?)</span>', html, re.S).group(1)
        assert byline.lower().startswith(LABEL)


@pytest.mark.django_db
def test_the_same_reply_under_a_story_shared_by_name_shows_the_name(client, make_story, author):
    testimonial = make_story("display_name")
    client.force_login(author)
    post(client, testimonial, "Thanks NAMED-REPLY-2")
    client.logout()

    html = text(client.get(testimonial.get_absolute_url()))

    assert f'<a href="/members/{author.pk}/">{NAME}</a>' in html
    assert LABEL not in html.lower()


@pytest.mark.django_db
def test_other_members_replies_keep_their_names(client, make_user, make_story, author):
    testimonial = make_story("ms_type")
    other = make_user(display_name="Juniper Reed")
    client.force_login(other)
    post(client, testimonial, "What dose did you start on?")

    html = text(client.get(testimonial.get_absolute_url()))

    assert "Juniper Reed" in html
    assert LABEL not in html.lower()


@pytest.mark.django_db
def test_reply_and_report_forms_quote_the_author_by_the_label(client, make_user, make_story, author):
    testimonial = make_story("ms_type")
    client.force_login(author)
    reply = post(client, testimonial, "My reply ANON-REPLY-3")
    client.force_login(make_user(display_name="Reader Rae"))

    for url in [
        f"/comments/testimonial/{testimonial.pk}/reply/{reply.pk}/",
        f"/comments/{reply.pk}/report/",
    ]:
        html = text(client.get(url))
        assert "ANON-REPLY-3" in html
        assert "The author of this story wrote:" in html, url
        assert_unnamed(html, author)


@pytest.mark.django_db
def test_the_author_is_told_before_posting(client, make_user, make_story, author):
    testimonial = make_story("ms_type")
    someone = make_user(display_name="Reader Rae")
    client.force_login(someone)
    earlier = post(client, testimonial, "A question for the author")
    notice = f"will show as “{LABEL}”"

    client.force_login(author)
    story_page = text(client.get(testimonial.get_absolute_url()))
    assert f"show as “{LABEL}”" in story_page
    for url in [
        f"/comments/testimonial/{testimonial.pk}/new/",
        f"/comments/testimonial/{testimonial.pk}/reply/{earlier.pk}/",
    ]:
        assert notice in text(client.get(url)), url

    client.force_login(someone)  # nobody else is told they are anonymous
    assert notice not in text(client.get(f"/comments/testimonial/{testimonial.pk}/new/"))
    assert LABEL not in text(client.get(testimonial.get_absolute_url())).lower()


@pytest.mark.django_db
def test_followers_email_does_not_name_the_author(
    client, make_user, make_story, author, mailoutbox, django_capture_on_commit_callbacks
):
    testimonial = make_story("ms_type")
    follower = make_user(display_name="Reader Rae")
    # Follow-ups come in the daily digest by default; Rae asked for them at once.
    EmailPreference.objects.create(member=follower, kind="followed", delivery="immediately")
    client.force_login(follower)
    post(client, testimonial, "Following this one", follow=True)
    mailoutbox.clear()

    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post(client, testimonial, "Reply that is mailed ANON-MAIL-4")

    assert own_callbacks(callbacks)
    mails = [m for m in mailoutbox if follower.email in m.to]
    assert len(mails) == 1
    assert "ANON-MAIL-4" in mails[0].body
    assert "The author of this story wrote" in mails[0].body
    assert NAME not in mails[0].body and NAME not in mails[0].subject


@pytest.mark.django_db
def test_member_page_leaves_out_replies_under_their_anonymous_story(client, make_story, author, make_article):
    testimonial = make_story("ms_type")
    client.force_login(author)
    post(client, testimonial, "Reply under my own story ANON-REPLY-5")
    client.logout()

    # Those replies are no public contribution under their name: alone, they give the author no page.
    assert client.get(f"/members/{author.pk}/").status_code == 404

    article = make_article()
    client.force_login(author)
    data = {"body": "On the article NAMED-6", "token": str(uuid.uuid4())}
    response = client.post(f"/comments/article/{article.slug}/new/", data)
    assert response.status_code == 302
    client.logout()

    html = text(client.get(f"/members/{author.pk}/"))
    assert "NAMED-6" in html
    assert "ANON-REPLY-5" not in html
    assert testimonial.title not in html
