from django.db import models
from django.db.models import Q


class ThreadQuerySet(models.QuerySet):
    def public(self):
        """Threads whose subject (article, study summary, member experience) is itself public."""
        from articles.models import Article, Study
        from testimonials.models import Testimonial

        return self.filter(
            Q(article__in=Article.objects.public())
            | Q(study__in=Study.objects.public())
            | Q(testimonial__in=Testimonial.objects.public())
        )


class CommentQuerySet(models.QuerySet):
    def public(self):
        """Published comments in public threads: what anyone may read."""
        from .models import Comment, Thread

        return self.filter(status=Comment.Status.PUBLISHED, thread__in=Thread.objects.public())

    def held(self):
        from .models import Comment

        return self.filter(status=Comment.Status.HELD)

    def hidden(self):
        from .models import Comment

        return self.filter(status=Comment.Status.HIDDEN)


MODERATE_PERMISSION = "comments.moderate_comment"


def is_moderator(user) -> bool:
    """Whether the account is a comment moderator on paper. What a request may see or do is decided by
    ldnsite.privileges, which also asks for a two-factor session."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(MODERATE_PERMISSION))
