"""What the comments app learns from the apps whose content is discussed, without importing them.

A subject app registers its model in its AppConfig.ready():

    subjects.register(Article, kind="article", lookup="slug", public=Article.objects.public)

- ``kind``: the word for it in comment URLs (/comments/<kind>/<key>/new/) and in Thread.subject_kind;
  stored in the database, so it never changes once used;
- ``lookup``: the field that names one subject in those URLs ("slug", or "pk" for digits only);
- ``public``: the one door to the public, a callable returning the queryset of subjects anyone may read:
  only their threads are shown, listed or open to comments;
- ``may_comment(user, subject)``: whether this member may write in this subject's thread, asked after the
  comments app's own rule (a confirmed e-mail address); by default any such member may;
- ``anonymous_author(subject)``: the id of the member who writes without their name in this subject's
  thread (the author of a story shared anonymously), or None;
- ``anonymous_comments()``: an expression on Comment, true for the comments such members wrote there (asked
  only of comments in this kind's threads: the subject's pk is ``OuterRef("thread__subject_id")``), for the
  queries that list comments under a name (a member's page);
- ``anonymous_label``: what readers see instead of that member's name;
- ``on_published(subject, comment)``: called inside the transaction in which a comment in this subject's
  thread becomes public (posted straight up, or approved from the queue), e.g. to move the subject's
  "last activity" time; by default nothing is called.

Deleting a registered subject deletes its thread, as a foreign key with CASCADE would.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.db.models.signals import pre_delete


@dataclass(frozen=True)
class Subject:
    model: type
    kind: str
    lookup: str
    public: Callable[[], object]
    may_comment: Callable[[object, object], bool]
    anonymous_author: Callable[[object], int | None]
    anonymous_comments: Callable[[], object] | None
    anonymous_label: str
    on_published: Callable[[object, object], None] | None = None

    def find_public(self, key: str):
        """The public subject named `key` in a URL, or None."""
        if self.lookup == "pk" and not key.isdigit():
            return None
        return self.public().filter(**{self.lookup: key}).first()

    def key_of(self, subject) -> str:
        return str(getattr(subject, self.lookup))


_by_kind: dict[str, Subject] = {}
_by_model: dict[type, Subject] = {}


def _anyone(user, subject) -> bool:
    return True


def _nobody(subject) -> None:
    return None


def register(
    model: type,
    *,
    kind: str,
    lookup: str,
    public: Callable[[], object],
    may_comment: Callable[[object, object], bool] = _anyone,
    anonymous_author: Callable[[object], int | None] = _nobody,
    anonymous_comments: Callable[[], object] | None = None,
    anonymous_label: str = "",
    on_published: Callable[[object, object], None] | None = None,
) -> None:
    if kind in _by_kind or model in _by_model:
        raise ValueError(f"{model._meta.label} or the kind {kind!r} is already a comment subject.")
    subject = Subject(
        model, kind, lookup, public, may_comment, anonymous_author, anonymous_comments, anonymous_label,
        on_published,
    )  # fmt: skip
    _by_kind[kind] = subject
    _by_model[model] = subject
    pre_delete.connect(_delete_thread, sender=model, dispatch_uid=f"comments-subject-{kind}")


def unregister(kind: str) -> None:
    """For tests that register a subject of their own."""
    subject = _by_kind.pop(kind)
    del _by_model[subject.model]
    pre_delete.disconnect(sender=subject.model, dispatch_uid=f"comments-subject-{kind}")


def registered() -> list[Subject]:
    return list(_by_kind.values())


def by_kind(kind: str) -> Subject | None:
    return _by_kind.get(kind)


def of(subject_or_model) -> Subject:
    """The registration of a subject (or its model); KeyError for a model nobody registered."""
    model = subject_or_model if isinstance(subject_or_model, type) else type(subject_or_model)
    return _by_model[model._meta.concrete_model]


def comment_published(comment) -> None:
    """Tell the subject's app that `comment` became public (its registered on_published, if any). Called by
    the comment transitions, inside their transaction."""
    rules = _by_kind.get(comment.thread.subject_kind)
    if rules is not None and rules.on_published is not None:
        subject = comment.thread.subject
        if subject is not None:
            rules.on_published(subject, comment)


def _delete_thread(sender, instance, **kwargs) -> None:
    thread_model = apps.get_model("comments", "Thread")
    thread_model.objects.filter(subject_kind=of(sender).kind, subject_id=instance.pk).delete()


def with_subjects(queryset, through: str = "thread"):
    """`queryset` with the thread at `through` joined and its subject fetched: one query per kind of
    subject on the page, whatever the number of rows."""
    return queryset.select_related(through).prefetch_related(f"{through}__subject")


def anonymous_author(subject) -> tuple[int | None, str]:
    """Who writes anonymously in `subject`'s thread, and the words shown instead of their name."""
    rules = _by_model.get(type(subject))
    if rules is None or subject is None:
        return None, ""
    return rules.anonymous_author(subject), rules.anonymous_label


def shown_author(comment, subject=None) -> str:
    """The name a comment is shown under: its author's display name, or the subject's label when its author
    writes there anonymously ("A former member" once the account is gone)."""
    if comment.author_id is None:
        return "A former member"
    anonymous_id, label = anonymous_author(subject if subject is not None else comment.thread.subject)
    if anonymous_id is not None and comment.author_id == anonymous_id:
        return label[:1].upper() + label[1:]
    return comment.author.display_name


def under_their_name(comments):
    """`comments` less those written anonymously (a story's author replying under their own story)."""
    anonymous = Q()
    for rules in _by_kind.values():
        if rules.anonymous_comments is not None:
            anonymous |= Q(thread__subject_kind=rules.kind) & Q(rules.anonymous_comments())
    return comments.exclude(anonymous) if anonymous else comments
