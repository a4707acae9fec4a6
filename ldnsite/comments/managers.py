from django.db import models
from django.db.models import Q


class ThreadQuerySet(models.QuerySet):
    def public(self):
        """Threads whose subject (article, study summary, member experience) is itself public."""
        from articles.models import Article, Study
        from testimonials.models import Testimonial

        return self.filter(
            Q(article__in=Article.objects.published())
            | Q(study__in=Study.objects.published())
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

    def in_thread_for(self, thread, user):
        """Every comment of a thread a given reader may see in full; others become placeholders."""
        from .models import Comment

        if is_moderator(user):
            return self.filter(thread=thread)
        visible = Q(status=Comment.Status.PUBLISHED)
        if user.is_authenticated:
            visible |= Q(author=user, status__in=[Comment.Status.HELD, Comment.Status.HIDDEN])
        return self.filter(thread=thread).filter(visible)


def is_moderator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm("comments.moderate_comment"))
