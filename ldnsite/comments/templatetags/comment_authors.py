"""Author names of single comments (forms, reports, e-mails): anonymous where the subject says so."""

from django import template

from .. import subjects

register = template.Library()


@register.filter
def shown_author(comment) -> str:
    """{{ comment|shown_author }}: the display name, or "The author of this story" in their own anonymous
    story's discussion."""
    return subjects.shown_author(comment)


@register.simple_tag
def anonymous_label_for(subject, user) -> str:
    """{% anonymous_label_for subject user as label %}: the words `user`'s comments on `subject` will show
    instead of their name ("" when they show under their name), to tell them before they post."""
    anonymous_id, label = subjects.anonymous_author(subject)
    if anonymous_id is not None and user.is_authenticated and user.pk == anonymous_id:
        return label
    return ""
