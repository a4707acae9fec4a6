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


# Who moderates comments (their queue sections, the thread's moderator view, the admin's actions).
MODERATE_PERMISSION = "comments.moderate_comment"
