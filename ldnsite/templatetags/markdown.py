from django import template
from django.utils.safestring import SafeString

from ldnsite.markdown import render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str, kind: str = "") -> SafeString:
    """{{ text|markdown }}: Markdown to HTML in a template (a page of comments reads each comment's HTML
    kept on its row, through markdown.kept() in {% comment_items %}). {{ text|markdown:"mentions" }} for a
    text saved with its mentions (ldnsite.mentions: a comment, a topic)."""
    if kind not in ("", "mentions"):
        raise ValueError(f"|markdown takes no argument but 'mentions', not {kind!r}")
    return render(text, mentions=kind == "mentions")
