"""{% helpful item %}: an item's "Helpful (N)" and, for a member who may, the button that marks it.

A page showing many items passes their counts and the reader's marks in its context, read once for all of
them (marks.counts_for and marks.marked_by, as `helpful_counts` and `helpful_marked`); without them the tag
reads this item's alone, unless the item was read with its count (marks.with_counts)."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from ldnsite.accounts.verified import request_has_verified_email

from .. import marks, markup, registry

register = template.Library()


def _is_verified(request, user) -> bool:
    """Asked once per request, however many items the page shows."""
    return request_has_verified_email(request)


@register.simple_tag(takes_context=True)
def helpful(context, item, next_url: str = ""):
    request, user = context["request"], context["user"]
    kind = registry.of(item).kind
    counts = context.get("helpful_counts")
    if counts is None and hasattr(item, "helpful_count"):  # read with the item (marks.with_counts)
        counts = {(kind, item.pk): item.helpful_count}
    elif counts is None:
        counts = marks.counts_for([item])
    page = next_url or f"{request.path}#{markup.anchor(kind, item.pk)}"
    if not user.is_authenticated:
        state = "anonymous"
    elif marks.is_own(item, user):
        state = "own"
    elif not _is_verified(request, user):
        state = "unverified"
    else:
        marked = context.get("helpful_marked")
        if marked is None:
            marked = marks.marked_by(user, [item])
        state = "marked" if (kind, item.pk) in marked else "can_mark"
    return markup.control(
        kind=kind,
        pk=item.pk,
        count=counts.get((kind, item.pk), 0),
        state=state,
        next_url=page,
        csrf_token=context.get("csrf_token", ""),
        login_url=reverse("account_login") + "?" + urlencode({"next": page}),
        verify_url=reverse("account_email"),
    )
