"""A member's permissions come from their own grants and their groups, read in one query per request."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ldnsite.privileges import is_moderator


def fresh(user):
    """The member as the next request loads them: nothing remembered from earlier checks."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.django_db
def test_group_and_own_permissions_are_both_read_in_one_query(make_user, django_assert_num_queries):
    member = make_user(groups=["Editors"])
    member.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    member = fresh(member)

    with django_assert_num_queries(1):
        assert member.has_perm("articles.change_article")  # from the Editors group
        assert member.has_perm("comments.moderate_comment")  # granted to the member alone
        assert not member.has_perm("testimonials.moderate_testimonial")
        assert is_moderator(member)


@pytest.mark.django_db
def test_a_plain_member_has_no_permissions(make_user):
    member = fresh(make_user())

    assert member.get_all_permissions() == set()
    assert not is_moderator(member)


@pytest.mark.django_db
def test_a_deactivated_member_loses_every_permission(make_user):
    member = make_user(groups=["Editors"])
    member.is_active = False
    member.save()

    assert not fresh(member).has_perm("articles.change_article")


@pytest.mark.django_db
def test_a_superuser_has_every_permission(make_user):
    superuser = fresh(make_user(is_superuser=True, is_staff=True))

    assert superuser.get_all_permissions() == {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }


@pytest.mark.django_db
def test_a_revoked_group_takes_effect_on_the_next_request(make_user):
    member = make_user(groups=["Editors"])
    assert fresh(member).has_perm("articles.change_article")

    member.groups.clear()

    assert not fresh(member).has_perm("articles.change_article")


# --- A request: the member is loaded with their permissions in one statement --------------------------------


@pytest.mark.django_db
def test_a_request_reads_the_members_permissions_with_their_row(client, make_user, make_article):
    draft = make_article(published=False, title="A draft only editors see")
    client.force_login(make_user(is_staff=True, groups=["Editors"]))

    with CaptureQueriesContext(connection) as queries:
        assert "A draft only editors see" in client.get(draft.get_absolute_url()).content.decode()

    reads = [query["sql"] for query in queries if Permission._meta.db_table in query["sql"]]
    member_table = connection.ops.quote_name(get_user_model()._meta.db_table)
    assert len(reads) == 1 and f"FROM {member_table}" in reads[0]


@pytest.mark.django_db
def test_a_revoked_group_takes_effect_on_the_next_request_too(client, editor, make_article):
    draft = make_article(published=False)
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200

    editor.groups.clear()

    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_superuser_keeps_every_permission_on_each_request(client, make_user, make_article):
    draft = make_article(published=False)
    client.force_login(make_user(is_superuser=True, is_staff=True))

    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_deactivated_member_is_signed_out_on_their_next_request(client, member, make_article):
    article = make_article()
    client.force_login(member)
    assert "Signed in as" in client.get(article.get_absolute_url()).content.decode()

    member.is_active = False
    member.save()

    assert "Signed in as" not in client.get(article.get_absolute_url()).content.decode()
