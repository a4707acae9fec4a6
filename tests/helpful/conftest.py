import pytest

from tests.clients import PassedTwoFactorClient as Client


@pytest.fixture(autouse=True)
def _no_hold(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False


@pytest.fixture
def browser_of():
    """browser_of(user) -> a test client logged in as `user` (None: anonymous)."""

    def make(user=None):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def story(make_testimonial, make_user):
    """A published story by its own author, Ada (under her display name)."""
    return make_testimonial(author=make_user(display_name="Ada"), title="Ada's months on LDN")
