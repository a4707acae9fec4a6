import pytest

from ldnsite.comments.models import Comment
from ldnsite.notifications.models import Notification
from tests.clients import PassedTwoFactorClient


@pytest.fixture(autouse=True)
def no_hold(settings):
    """Comments publish at once unless a test holds one: these tests are about what happens after."""
    settings.COMMENTS_HOLD_FIRST_COMMENT = False


@pytest.fixture
def article(make_article):
    return make_article(title="LDN and fatigue", slug="ldn-and-fatigue")


@pytest.fixture
def ada(make_user):
    return make_user(email="ada.inbox@example.org", display_name="Ada")


@pytest.fixture
def bo(make_user):
    return make_user(email="bo.inbox@example.org", display_name="Bo")


@pytest.fixture
def browser_of():
    """browser_of(member) -> a test client logged in as member."""

    def make(member):
        client = PassedTwoFactorClient()
        client.force_login(member)
        return client

    return make


@pytest.fixture
def make_replies(make_comment, make_user):
    """make_replies(article, to, n) -> n published replies by other members to a comment of `to`, each with a
    notification for `to` (rows written straight, quickly: for volume tests)."""

    def make(subject, to, n: int):
        root = make_comment(subject, to, "A root to reply to", status=Comment.Status.PUBLISHED)
        replier = make_user()
        replies = [
            make_comment(subject, replier, f"Reply {i}", parent=root, status=Comment.Status.PUBLISHED)
            for i in range(n)
        ]
        Notification.objects.bulk_create(
            Notification(
                recipient=to,
                kind="reply",
                actor=replier,
                target_kind="comment",
                target_id=reply.pk,
                created_at=reply.created_at,
            )  # fmt: skip
            for reply in replies
        )
        return replies

    return make
