from django import template
from django.utils.safestring import SafeString

from ldnsite.markdown import render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """{{ text|markdown }}: Markdown to HTML in a template (a page of comments reads each comment's HTML
    kept on its row, through markdown.kept() in {% comment_items %})."""
    return render(text)
