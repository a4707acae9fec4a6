"""The header links to the moderators' queue for a moderator's account, whatever section they moderate, and
for nobody else: "moderator" is ldnsite.privileges' one definition. Before two-factor the link is there and
leads to the code; a member, an editor, or someone holding a permission no queue section needs has no link."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.clients import PassedTwoFactorClient

MODERATION_LINK = '<a href="/moderation/">Moderation</a>'


def _home(client_class, user) -> tuple[Client, str]:
    client = client_class()
    client.force_login(user)
    return client, client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("permission", ["comments.moderate_comment", "testimonials.moderate_testimonial"])
def test_a_moderator_of_either_queue_gets_the_link_and_the_queue(make_moderator, permission):
    moderator = make_moderator(permissions=[permission], is_staff=False)

    client, html = _home(PassedTwoFactorClient, moderator)

    assert MODERATION_LINK in html
    assert client.get("/moderation/").status_code == 200


@pytest.mark.django_db
def test_before_two_factor_the_link_leads_to_the_code(make_moderator):
    moderator = make_moderator(permissions=["comments.moderate_comment"], is_staff=False)
    # A session that signed in with the password alone; the account has an authenticator app.
    PassedTwoFactorClient().force_login(moderator)

    client, html = _home(Client, moderator)

    assert MODERATION_LINK in html
    response = client.get("/moderation/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"groups": ["Editors"], "is_staff": True},
        {"permissions": ["comments.view_comment", "testimonials.view_testimonial"]},
    ],
    ids=["member", "editor", "other permissions"],
)
def test_no_link_for_anyone_else(make_user, fields):
    _, html = _home(PassedTwoFactorClient, make_user(**fields))

    assert 'href="/moderation/"' not in html
