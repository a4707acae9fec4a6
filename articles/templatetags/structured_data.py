"""Machine-readable page metadata: absolute addresses and schema.org JSON-LD blocks."""

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles import metadata

register = template.Library()

# As django.utils.html.json_script escapes: with no "<" left, text such as "</script>" or "<!--" in an
# editor's title cannot end the element or change how the browser parses it; "&" for the same reason in XHTML.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter(name="json_ld")
def json_ld(value: dict[str, Any]) -> SafeString:
    """{{ data|json_ld }}: a <script type="application/ld+json"> data block; never run, so CSP allows it."""
    text = json.dumps(value, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - no "<" left


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """{% absolute_url article.get_absolute_url %}: the public address (escaped like any other output), on the
    context's site_url (ldnsite.context_processors.site)."""
    return context["site_url"] + path


@register.simple_tag(takes_context=True)
def article_json_ld(context, article) -> SafeString:
    return json_ld(metadata.article_json_ld(article, site_url=context["site_url"]))


@register.simple_tag(takes_context=True)
def study_json_ld(context, study) -> SafeString:
    return json_ld(metadata.study_json_ld(study, site_url=context["site_url"]))


@register.simple_tag
def study_preview(study) -> dict[str, str]:
    """{% study_preview study as preview %}: the title and description a link preview shows for a study."""
    return {
        "title": metadata.study_heading(study),
        "description": f"Study summary: {metadata.study_facts(study)}",
    }
