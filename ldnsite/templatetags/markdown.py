from django import template
from django.utils.safestring import SafeString

from ldnsite.markdown import render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """{{ text|markdown }}: Markdown to HTML in a template (a page of comments, all its texts at once, uses
    markdown.render_many through {% comment_items %})."""
    return render(text)
