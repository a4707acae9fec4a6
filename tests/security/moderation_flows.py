"""What members and moderators do through HTTP, shared by the report and stale-decision rules' tests."""

from django.contrib.contenttypes.models import ContentType

from ldnsite.comments.models import Comment
from ldnsite.moderation.models import ModerationEvent
from tests.clients import PassedTwoFactorClient as Client


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def public_page(article) -> str:
    return Client().get(article.get_absolute_url()).content.decode()


def comment_events(comment, action: str):
    return ModerationEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment), object_id=comment.pk, action=action
    )
