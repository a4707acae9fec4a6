"""{% cited_body article for_editor as cited %}: the article's body with numbered citations, and its
reference list (articles/references.py)."""

from django import template

from articles.references import CitedBody, cite
from ldnsite.markdown import render

register = template.Library()


@register.simple_tag
def cited_body(article, for_editor: bool = False) -> CitedBody:
    """Reads `article.studies.all()`, which the view has prefetched as the reader may see them."""
    return cite(render(article.body), article.studies.all(), for_editor=for_editor)
