"""The helpful control as HTML: one function for the story page's {% helpful %} tag and for the comment list
(built in Python, ldnsite.comments.templatetags.comment_list), so both read the same to a screen reader.

The comment list is shared between members through the page cache (a fragment), so it cannot hold a member's
CSRF token: it holds CSRF_SLOT, which fill_csrf() replaces with the reader's own token on every request.
"""

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Not a token, and nothing a member can write into a page: a Markdown text is escaped or cleaned, and the
# slot stands only inside the value="..." of a hidden input of ours (fill_csrf replaces only that).
CSRF_SLOT = "helpful-csrf-slot-4b1d"
_SLOT_MARKUP = f'name="csrfmiddlewaretoken" value="{CSRF_SLOT}"'


def anchor(kind: str, pk: int) -> str:
    return f"helpful-{kind}-{pk:d}"


def count_text(count: int) -> str:
    return f"Helpful ({count:,})"


def control(
    *,
    kind: str,
    pk: int,
    count: int,
    state: str,
    next_url: str = "",
    csrf_token: str = CSRF_SLOT,
    described_by: str = "",
    login_url: str = "",
    verify_url: str = "",
) -> SafeString:
    """The count, and what this reader can do about it.

    state: "can_mark", "marked" (may undo), "own" (no button), "anonymous" (count and a sign-in hint),
    "unverified" (count and a hint to confirm their address), "none" (count only).
    """
    count_html = format_html('<span class="helpful-count" aria-live="polite">{}</span>', count_text(count))
    if state in ("can_mark", "marked"):
        pressed = state == "marked"
        described = format_html(' aria-describedby="{}"', described_by) if described_by else ""
        return format_html(
            '<form method="post" action="{}" class="helpful" id="{}" data-helpful>'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="{}">'
            '<input type="hidden" name="action" value="{}">'
            '<button type="submit" class="helpful-button secondary" aria-pressed="{}"{}>{}</button> '
            "{}</form>",
            reverse("helpful:toggle", args=[kind, pk]),
            anchor(kind, pk),
            csrf_token,
            next_url,
            "undo" if pressed else "mark",
            "true" if pressed else "false",
            described,
            "Undo helpful" if pressed else "Mark as helpful",
            count_html,
        )
    hint = ""
    if state == "anonymous" and login_url:
        hint = format_html(' <a href="{}">Sign in to mark as helpful</a>', login_url)
    elif state == "unverified" and verify_url:
        hint = format_html(' <a href="{}">Confirm your e-mail address</a> to mark as helpful', verify_url)
    return format_html('<p class="helpful" id="{}">{}{}</p>', anchor(kind, pk), count_html, hint)


def fill_csrf(html: str, request) -> SafeString:
    """`html` (safe markup that may hold CSRF_SLOT) with the reader's own CSRF token in its forms."""
    if CSRF_SLOT not in html:
        return mark_safe(html)  # noqa: S308 - markup made safe before it was kept
    filled = f'name="csrfmiddlewaretoken" value="{escape(get_token(request))}"'
    return mark_safe(html.replace(_SLOT_MARKUP, filled))  # noqa: S308 - only our own slot changes
