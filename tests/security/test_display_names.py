"""Display names cannot be made to pass for another member's, at sign-up or when changed later (issue 14, 9).

Through HTTP: the sign-up form and the member's own display-name page. A refused name gets the plain
message, a 4xx, and the typed name back in the form.
"""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ldnsite.accounts.models import DisplayNameChange

User = get_user_model()
PASSWORD = "a-long-and-unusual-passphrase-42"
REFUSED = "That name looks too much like one already in use. Please choose another."
CHANGE_PAGE = "/accounts/display-name/"


def signup(client, display_name: str, email: str = "newcomer@example.org"):
    return client.post(
        "/accounts/signup/",
        {"email": email, "display_name": display_name, "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("taken", "look_alike"),
    [
        ("Anna", "Аnna"),  # Cyrillic А
        ("Anna", "Αnna"),  # Greek Alpha
        ("Oliver", "0liver"),  # zero for O
        ("Alice", "AIice"),  # capital I for small l
        ("Ann Marie", "Ann  Marie"),  # doubled inner space
        ("Sam", "ＳＡＭ"),  # full-width letters
        ("Paul", "Рaul"),  # Cyrillic Р
        ("river", "RIVER"),  # case only (refused before too)
        ("Sophia", "Sορhia"),  # Greek omicron and rho
        ("Emma", "Ernma"),  # r + n for m
    ],
)
def test_signup_refuses_a_name_that_looks_like_a_taken_one(client, make_user, taken, look_alike):
    make_user(display_name=taken)

    response = signup(client, look_alike)

    html = response.content.decode()
    assert response.status_code == 200  # allauth re-renders its form; nothing was created
    assert REFUSED in html
    assert User.objects.count() == 1
    assert 'value="newcomer@example.org"' in html  # what was typed stays


@pytest.mark.django_db
def test_signup_accepts_a_name_that_only_shares_letters(client, make_user):
    make_user(display_name="Anna")

    response = signup(client, "Annabel")

    assert response.status_code == 302
    assert User.objects.filter(display_name="Annabel").exists()


@pytest.mark.django_db
def test_signup_stores_the_tidied_name(client):
    response = signup(client, "  Ann   Marie ")

    assert response.status_code == 302
    assert User.objects.get().display_name == "Ann Marie"


def test_the_skeleton_migration_keeps_both_of_two_clashing_old_names(transactional_db):
    """A data migration must not fail on names that clashed before the rule: both members keep them, the
    later one without a skeleton (so that the unique index holds), and both can still be saved."""
    migration = importlib.import_module("ldnsite.accounts.migrations.0002_display_name_skeleton_and_history")
    first = User.objects.create_user(email="first@example.org", display_name="Anna")
    second = User.objects.create_user(email="second@example.org", display_name="Zed")
    User.objects.filter(pk=second.pk).update(display_name="Аnna", display_name_skeleton=None)  # Cyrillic А
    User.objects.update(display_name_skeleton=None)

    from django.apps import apps

    migration.fill_skeletons(apps, None)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.display_name_skeleton == "anna" and second.display_name_skeleton is None
    second.set_password("another-long-passphrase-7")
    second.save()  # an unrelated save does not trip the unique index
    assert User.objects.get(pk=second.pk).display_name == "Аnna"


# --- changing one's display name ---------------------------------------------------------------------


@pytest.mark.django_db
def test_member_changes_their_display_name_from_their_account(client, make_user):
    member = make_user(display_name="Ada")
    client.force_login(member)

    account_page = client.get("/accounts/email/").content.decode()
    assert f'href="{CHANGE_PAGE}"' in account_page
    response = client.post(CHANGE_PAGE, {"display_name": "Bea"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Bea"
    change = DisplayNameChange.objects.get(member=member)
    assert (change.old_name, change.new_name, change.changed_by) == ("Ada", "Bea", member)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("taken", "look_alike"),
    [("Clara", "Сlara"), ("Clara", "CLARA"), ("Clara", "C1ara"), ("Mary Ann", "Mary   Ann")],
)
def test_change_refuses_a_name_that_looks_like_another_members(client, make_user, taken, look_alike):
    make_user(display_name=taken)
    member = make_user(display_name="Ada")
    client.force_login(member)

    response = client.post(CHANGE_PAGE, {"display_name": look_alike})

    html = response.content.decode()
    assert response.status_code == 400
    assert REFUSED in html
    assert f'value="{look_alike}"' in html  # the typed name comes back
    member.refresh_from_db()
    assert member.display_name == "Ada" and not DisplayNameChange.objects.exists()


@pytest.mark.django_db
def test_second_change_within_thirty_days_is_refused_with_the_date(client, make_user):
    member = make_user(display_name="Ada")
    client.force_login(member)
    assert client.post(CHANGE_PAGE, {"display_name": "Bea"}).status_code == 302

    response = client.post(CHANGE_PAGE, {"display_name": "Cleo"})

    html = response.content.decode()
    assert response.status_code == 429
    assert "less than 30 days ago" in html and "You can change it again from" in html
    assert 'value="Cleo"' in html
    member.refresh_from_db()
    assert member.display_name == "Bea"


@pytest.mark.django_db
def test_change_is_allowed_again_after_thirty_days(client, make_user):
    member = make_user(display_name="Ada")
    client.force_login(member)
    client.post(CHANGE_PAGE, {"display_name": "Bea"})
    DisplayNameChange.objects.update(changed_at=timezone.now() - timezone.timedelta(days=31))

    response = client.post(CHANGE_PAGE, {"display_name": "Cleo"})

    assert response.status_code == 302
    assert list(DisplayNameChange.objects.order_by("changed_at").values_list("new_name", flat=True)) == [
        "Bea",
        "Cleo",
    ]


@pytest.mark.django_db
def test_a_given_up_name_cannot_be_taken_by_someone_else_at_once(client, make_user):
    """Otherwise "Bea" could rename herself and "Eve" step into "Ada" to speak in Ada's name."""
    ada = make_user(display_name="Ada")
    client.force_login(ada)
    client.post(CHANGE_PAGE, {"display_name": "Bea"})

    eve = make_user(display_name="Eve")
    client.force_login(eve)
    response = client.post(CHANGE_PAGE, {"display_name": "АDA"})  # Cyrillic А

    assert response.status_code == 400 and REFUSED in response.content.decode()
    client.logout()
    assert REFUSED in signup(client, "Ada", email="third@example.org").content.decode()


@pytest.mark.django_db
def test_change_page_needs_login_and_is_not_stored(client, make_user):
    response = client.get(CHANGE_PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    client.force_login(make_user())
    response = client.get(CHANGE_PAGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_moderators_see_earlier_names_in_the_admin(client, make_user, make_moderator):
    member = make_user(display_name="Ada")
    client.force_login(member)
    client.post(CHANGE_PAGE, {"display_name": "Bea"})
    moderator = make_moderator(display_name="Moderator Mo")
    client.force_login(moderator)

    response = client.get("/admin/accounts/displaynamechange/?q=Ada")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ada" in html and "Bea" in html
    assert member.email not in html  # the history names the member, not their address


@pytest.mark.django_db
def test_an_administrators_rename_is_checked_and_recorded(client, make_user):
    make_user(display_name="Clara")
    member = make_user(display_name="Ada")
    administrator = make_user(is_staff=True, is_superuser=True, display_name="Admin Al")
    client.force_login(administrator)
    url = f"/admin/accounts/user/{member.pk}/change/"

    def rename(name: str):
        return client.post(url, {
            "email": member.email, "display_name": name, "is_active": "on",
            "last_login_0": "", "last_login_1": "",
            "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00",
            "display_name_changes-TOTAL_FORMS": "0", "display_name_changes-INITIAL_FORMS": "0",
            "display_name_changes-MIN_NUM_FORMS": "0", "display_name_changes-MAX_NUM_FORMS": "1000",
        })  # fmt: skip

    refused = rename("C1ara")
    assert refused.status_code == 200 and REFUSED in refused.content.decode()
    assert not DisplayNameChange.objects.exists()

    assert rename("Dora").status_code == 302
    change = DisplayNameChange.objects.get(member=member)
    assert (change.old_name, change.new_name, change.changed_by) == ("Ada", "Dora", administrator)
    assert "Ada" in client.get(url).content.decode()  # the earlier name, in the member's admin page
