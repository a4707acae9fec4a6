"""A member's public comments, for their page (ldnsite.accounts.profiles, registered in apps.py)."""

from ldnsite.accounts import profiles

from . import subjects
from .models import Comment


def comments_under_name(member):
    """Their public comments, newest first, less those written anonymously (under their own anonymous
    story)."""
    comments = subjects.under_their_name(Comment.objects.public().filter(author=member))
    return comments.with_subjects().order_by("-created_at", "-pk")


def register() -> None:
    # After what the member published: the page has always ended with their comments.
    profiles.register(
        "comments",
        order=50,
        items=comments_under_name,
        template="comments/includes/profile_comments.html",
        paginate_by=20,
    )
