from django import template
from django.utils.safestring import SafeString

from ldnsite.markdown import render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """{{ text|markdown }}: the one template path from Markdown to HTML."""
    return render(text)
