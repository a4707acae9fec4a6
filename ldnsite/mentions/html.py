"""Mentions on a page: every placeholder ldnsite.markdown made becomes the member's current name, linked to
their page (/members/<id>/) where they have one, "a former member" where the account is gone.

Done once per response, by MentionsMiddleware, for everything on the page (a page of comments, a member's
page, the moderation queue, an inbox): one query whatever the number of mentions, posts or texts, and no
template or view has to remember it. The middleware sits inside the page cache (after it in MIDDLEWARE), so
a kept page holds names; a new display name or a deleted member refreshes every kept page
(accounts/apps.py). A member's page appearing or going does not: a kept page may show their name unlinked,
or linked to a page that has just gone, until it expires (PAGE_CACHE_SECONDS).
"""

import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from ldnsite.accounts.profiles import with_public_page
from ldnsite.markdown import MENTION_PLACEHOLDER

from .text import FORMER_MEMBER

_MARK = b'data-member="'


def resolve(html: str) -> str:
    """`html` with each mention placeholder replaced (one query, none when there is no placeholder)."""
    ids = {int(match.group(2)) for match in MENTION_PLACEHOLDER.finditer(html)}
    if not ids:
        return html
    members = with_public_page(get_user_model().objects.filter(pk__in=ids))
    rows = members.values_list("pk", "display_name", "has_public_page")
    found = {pk: (name, has_page) for pk, name, has_page in rows}

    def shown(match: re.Match) -> str:
        pk = int(match.group(2))
        if pk not in found:
            return f'<span class="mention-former">{FORMER_MEMBER}</span>'
        name, has_page = found[pk]
        if has_page and match.group(1) == "mention":
            url = reverse("accounts:profile", args=[pk])
            return f'<a class="mention" href="{url}">@{escape(name)}</a>'
        return f'<span class="mention">@{escape(name)}</span>'

    return MENTION_PLACEHOLDER.sub(shown, html)


class MentionsMiddleware:
    """Resolves the mentions of every HTML page (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(response, "streaming", False)
            or not response.get("Content-Type", "").startswith("text/html")
            or response.get("Content-Encoding")
            or _MARK not in response.content
        ):
            return response
        charset = response.charset
        response.content = resolve(response.content.decode(charset)).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
