from django.db import models
from django.db.models import Exists, OuterRef, Q

from . import subjects


class ThreadQuerySet(models.QuerySet):
    def public(self):
        """Threads whose subject is itself public, through the door its app registered."""
        door = Q()
        for subject in subjects.registered():
            door |= Q(subject_kind=subject.kind, subject_id__in=subject.public().values("pk"))
        return self.filter(door) if door else self.none()

    def of(self, subject):
        """The thread of `subject` (a queryset of at most one)."""
        return self.filter(subject_kind=subjects.of(subject).kind, subject_id=subject.pk)

    def for_subject(self, subject):
        """The thread of `subject`, started if it has none yet."""
        thread, _ = self.get_or_create(subject_kind=subjects.of(subject).kind, subject_id=subject.pk)
        return thread


class CommentQuerySet(models.QuerySet):
    def public(self):
        """Published comments in public threads: what anyone may read."""
        return self.in_public_threads().filter(status=self.model.Status.PUBLISHED)

    def in_public_threads(self):
        """Comments in any state in public threads.

        The same door as Thread.public(), asked of each comment's own subject (an index probe per row,
        which PostgreSQL may still hash for a large set) rather than as `thread__in` the set of every public
        thread, which it built by reading every thread: 200 ms for a member's 104 comments among 180,000
        threads, 2 ms this way."""
        door = Q()
        for subject in subjects.registered():
            public_subject = subject.public().filter(pk=OuterRef("thread__subject_id"))
            door |= Q(thread__subject_kind=subject.kind) & Q(Exists(public_subject))
        if not door:
            return self.none()
        return self.filter(door)

    def seen_by(self, member):
        """What `member` may see of comments in public threads: the published ones, and their own that a
        moderator holds, hid or removed (their decisions reach them), not those they deleted."""
        Status = self.model.Status
        own = Q(author=member) & ~Q(status=Status.DELETED)
        return self.in_public_threads().filter(Q(status=Status.PUBLISHED) | own)

    def held(self):
        return self.filter(status=self.model.Status.HELD)

    def hidden(self):
        return self.filter(status=self.model.Status.HIDDEN)

    def on(self, subject):
        """The comments in `subject`'s thread, in any state."""
        return self.filter(thread__subject_kind=subjects.of(subject).kind, thread__subject_id=subject.pk)

    def with_subjects(self):
        """Each comment's thread and its subject fetched along: one query per kind of subject."""
        return subjects.with_subjects(self)


# Who moderates comments (their queue sections, the thread's moderator view, the admin's actions).
MODERATE_PERMISSION = "comments.moderate_comment"
