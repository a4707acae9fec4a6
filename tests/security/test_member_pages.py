"""Member pages exist only for verified members with a public contribution (issue 14, item 6).

Otherwise every id would answer, and /members/1/, /members/2/ ... would list every account, unverified and
staff ones included. A public contribution is a published comment in a public discussion or a published
story shown under the member's name; replies under their own anonymous story do not count
(tests/security/test_anonymity.py).
"""

import pytest

from ldnsite.comments.models import Comment
from testimonials import moderation
from tests.factories import story

BODY = "A comment MEMBER-PAGE-1"
PUBLISHED = Comment.Status.PUBLISHED


@pytest.fixture
def article(make_article):
    return make_article()


def member_page(client, member):
    return client.get(f"/members/{member.pk}/")


@pytest.mark.django_db
def test_verified_member_with_a_published_comment_has_a_page(client, make_user, article, make_comment):
    member = make_user(display_name="Hazel Moss")
    make_comment(article, member, BODY, status=PUBLISHED)

    response = member_page(client, member)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Hazel Moss" in html and "MEMBER-PAGE-1" in html


@pytest.mark.django_db
def test_verified_member_without_contributions_has_no_page(client, make_user):
    assert member_page(client, make_user()).status_code == 404


@pytest.mark.django_db
def test_unverified_member_has_no_page_even_with_a_published_comment(
    client, make_user, article, make_comment
):
    member = make_user(verified=False)
    make_comment(article, member, BODY, status=PUBLISHED)

    assert member_page(client, member).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Comment.Status.HELD, Comment.Status.HIDDEN, Comment.Status.REMOVED])
def test_comments_nobody_else_can_read_give_no_page(client, make_user, article, status, make_comment):
    member = make_user()
    make_comment(article, member, BODY, status=status)

    assert member_page(client, member).status_code == 404


@pytest.mark.django_db
def test_a_comment_under_a_draft_gives_no_page(client, make_user, make_article, make_comment):
    member = make_user()
    make_comment(make_article(published=False), member, BODY, status=PUBLISHED)

    assert member_page(client, member).status_code == 404


@pytest.mark.django_db
def test_staff_accounts_have_no_page_without_contributions(
    client, make_user, make_moderator, editor, make_article
):
    moderator = make_moderator()
    admin = make_user(is_staff=True, is_superuser=True)
    make_article(author=editor)  # writing articles is an editor's job, not a contribution as a member

    for account in (editor, moderator, admin):
        assert member_page(client, account).status_code == 404


@pytest.mark.django_db
def test_staff_account_with_a_published_comment_has_a_page(client, make_moderator, article, make_comment):
    moderator = make_moderator(display_name="Moderator Mo")
    make_comment(article, moderator, BODY, status=PUBLISHED)

    assert member_page(client, moderator).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("display_as", "status"), [("display_name", 200), ("ms_type", 404)])
def test_a_published_story_counts_only_under_the_members_name(
    client, make_user, make_moderator, display_as, status
):
    member = make_user(display_name="Rowan Ash")
    moderator = make_moderator()
    testimonial = moderation.submit(
        author=member, content=story(title="My year on LDN", display_as=display_as), is_carer=False
    )
    assert member_page(client, member).status_code == 404  # pending: not public yet
    moderation.approve(testimonial, by=moderator)

    response = member_page(client, member)

    assert response.status_code == status
    assert ("My year on LDN" in response.content.decode()) is (status == 200)


@pytest.mark.django_db
def test_deactivated_member_has_no_page(client, make_user, article, make_comment):
    member = make_user(is_active=False)
    make_comment(article, member, BODY, status=PUBLISHED)

    assert member_page(client, member).status_code == 404


@pytest.mark.django_db
def test_member_page_costs_a_fixed_number_of_queries(
    client, make_user, article, django_assert_max_num_queries, make_comment
):
    member = make_user()
    for n in range(25):
        make_comment(article, member, f"Comment {n}", status=PUBLISHED)

    with django_assert_max_num_queries(8):
        response = member_page(client, member)

    assert response.status_code == 200
