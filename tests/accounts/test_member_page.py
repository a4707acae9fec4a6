"""A member's public page (/members/<id>/): what the apps list under the member's name, in a bounded number of
queries however much there is."""

import re

import pytest

from testimonials import moderation
from tests.factories import story


@pytest.fixture(autouse=True)
def _no_hold_and_generous_limits(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    settings.COMMENTS_RATE_NEW_MEMBER = (100, 600)
    settings.COMMENTS_RATE_MEMBER = (100, 600)


def approved_story(author, moderator, **content):
    testimonial = moderation.submit(author=author, content=story(**content), is_carer=False)
    moderation.approve(testimonial, by=moderator)
    return testimonial


def main_text(html: str) -> str:
    return re.sub(r"\s+", " ", html.split("<main", 1)[1].split("</main>", 1)[0])


def test_the_page_lists_experiences_then_comments_on_every_kind_of_subject(
    client, make_user, moderator, make_article, make_study, make_comment
):
    ada = make_user(display_name="Ada")
    article = make_article(title="LDN and fatigue")
    study = make_study(title="Cree 2010")
    others = approved_story(make_user(), moderator, title="Sam's months")
    approved_story(ada, moderator, title="ADA-STORY")
    for subject, body in [(article, "ON-ARTICLE"), (study, "ON-STUDY"), (others, "ON-STORY")]:
        make_comment(subject, ada, body)

    text = main_text(client.get(f"/members/{ada.pk}/").content.decode())

    assert (
        text.index("Experiences shared")
        < text.index("ADA-STORY")
        < text.index('<h2 id="member-comments-heading">Comments</h2>')
    )
    assert re.search(r'On <a href="/testimonials/\d+/#comment-\d+">Sam&#x27;s months</a>,', text)
    assert f'On <a href="{study.get_absolute_url()}#comment-' in text
    assert f'On <a href="{article.get_absolute_url()}#comment-' in text
    # newest first
    assert text.index("ON-STORY") < text.index("ON-STUDY") < text.index("ON-ARTICLE")


def test_a_member_with_only_an_experience_has_a_page_saying_there_are_no_comments(
    client, make_user, moderator
):
    ada = make_user(display_name="Ada")
    approved_story(ada, moderator, title="ADA-STORY")
    text = main_text(client.get(f"/members/{ada.pk}/").content.decode())
    assert "ADA-STORY" in text
    assert "Ada has not posted any public comments yet." in text


def test_a_member_with_nothing_public_has_no_page(client, make_user, make_article):
    ada = make_user(display_name="Ada")
    assert client.get(f"/members/{ada.pk}/").status_code == 404


def test_comments_come_twenty_to_a_page(client, make_user, make_article, make_comment):
    ada = make_user(display_name="Ada")
    article = make_article()
    for n in range(25):
        make_comment(article, ada, f"COMMENT-{n:02}-END")
    first = main_text(client.get(f"/members/{ada.pk}/").content.decode())
    second = main_text(client.get(f"/members/{ada.pk}/?page=2").content.decode())
    assert first.count("-END") == 20 and second.count("-END") == 5
    assert "COMMENT-24-END" in first and "COMMENT-00-END" in second
    assert "Page 1 of 2" in first and 'href="?page=2" rel="next"' in first


def test_the_page_takes_the_same_queries_for_one_comment_or_twenty(
    client, make_user, moderator, make_article, make_study, django_assert_max_num_queries, make_comment
):
    ada = make_user(display_name="Ada")
    approved_story(ada, moderator, title="ADA-STORY")
    subjects = [make_article(), make_study(), approved_story(make_user(), moderator)]
    # One comment on each kind of subject: subjects cost one query per kind, whatever the number of rows.
    for n, subject in enumerate(subjects):
        make_comment(subject, ada, f"FIRST{n}")
    client.get(f"/members/{ada.pk}/")  # sessions settle
    with django_assert_max_num_queries(7) as few:
        client.get(f"/members/{ada.pk}/")
    for n in range(17):
        make_comment(subjects[n % 3], ada, f"C{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/members/{ada.pk}/")
