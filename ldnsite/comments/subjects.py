"""What the comments app learns from the apps whose content is discussed, without importing them.

A subject app registers its model in its AppConfig.ready():

    subjects.register(Testimonial, anonymous_author=..., anonymous_comments=..., anonymous_label="...")

- ``anonymous_author(subject)``: the id of the member who writes without their name in this subject's
  thread (the author of a story shared anonymously), or None;
- ``anonymous_comments()``: an expression on Comment, true for the comments such members wrote there, for
  the queries that list comments under a name (a member's page);
- ``anonymous_label``: what readers see instead of that member's name.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Subject:
    anonymous_author: Callable[[object], int | None]
    anonymous_comments: Callable[[], object]
    anonymous_label: str


_subjects: dict[type, Subject] = {}


def register(
    model: type,
    *,
    anonymous_author: Callable[[object], int | None],
    anonymous_comments: Callable[[], object],
    anonymous_label: str,
) -> None:
    if model in _subjects:
        raise ValueError(f"{model._meta.label} is already registered as a comment subject.")
    _subjects[model] = Subject(anonymous_author, anonymous_comments, anonymous_label)


def clear() -> None:
    """For tests."""
    _subjects.clear()


def anonymous_author(subject) -> tuple[int | None, str]:
    """Who writes anonymously in `subject`'s thread, and the words shown instead of their name."""
    rules = _subjects.get(type(subject))
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
    for rules in _subjects.values():
        anonymous |= Q(rules.anonymous_comments())
    return comments.exclude(anonymous) if anonymous else comments
