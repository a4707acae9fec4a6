"""Whose comment waits for a moderator: the rule the transitions apply and the forms announce."""

from django.conf import settings

from ldnsite.privileges import is_moderator

from .models import Comment


def needs_premoderation(author, *, has_published: bool | None = None) -> bool:
    """A member's first comment waits for a moderator; after one is published, comments go straight up.
    `has_published`: whether the author has a published comment, when the caller read it already."""
    if not settings.COMMENTS_HOLD_FIRST_COMMENT or is_moderator(author):
        return False
    if has_published is None:
        has_published = Comment.objects.filter(author=author, status=Comment.Status.PUBLISHED).exists()
    return not has_published
