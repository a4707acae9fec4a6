from django.apps import AppConfig


def subject_page(comment) -> list[str]:
    """The page a comment shows on: its subject's (any page of its comments)."""
    return [comment.thread.subject.get_absolute_url()]


def is_shown(comment) -> bool:
    """Everything but a held comment is, or was, on its subject's page (if only as a placeholder above
    replies): a comment is held only when it is written, and leaves that state only for a shown one."""
    return comment.status != comment.Status.HELD


def comment_author(comment) -> int | None:
    return comment.author_id


def recent_comments(limit: int):
    """For the watched words' test mode: the newest comments whose text is still there (held and hidden
    ones too: only moderators see the test)."""
    from .models import Comment

    shown = [Comment.Status.PUBLISHED, Comment.Status.HELD, Comment.Status.HIDDEN]
    comments = Comment.objects.filter(status__in=shown).with_subjects().order_by("-created_at", "-pk")
    return [(comment.get_absolute_url(), comment.body) for comment in comments[:limit]]


def has_published_comment(member) -> bool:
    from .models import Comment

    return Comment.objects.filter(author=member, status=Comment.Status.PUBLISHED).exists()


class CommentsConfig(AppConfig):
    name = "ldnsite.comments"
    label = "comments"
    verbose_name = "Comment threads"

    def ready(self):
        from ldnsite import pagecache
        from ldnsite.helpful import registry as helpful
        from ldnsite.watchwords import sources

        from . import contributions, notifications, personal_data, profiles, queue
        from .models import Comment
        from .threads import HELPFUL_KIND

        pagecache.register(Comment, pages=subject_page, when=is_shown)
        helpful.register(Comment, kind=HELPFUL_KIND, public=Comment.objects.public, author_id=comment_author)
        contributions.register("comments", has_approved=has_published_comment)
        personal_data.register()
        profiles.register()
        queue.register()
        notifications.register()
        sources.register("comment", label="Comments", recent=recent_comments)
