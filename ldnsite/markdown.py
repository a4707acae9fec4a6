"""The one way Markdown becomes HTML on ldnsite.

python-markdown turns text into HTML with raw HTML switched off (it is shown as text), then nh3 keeps only
an allowlist of tags and attributes, http/https/mailto or same-site links, and images stored on this site.
Nothing else in the project marks text as safe.
"""

import re

import markdown as python_markdown
import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from markdown.treeprocessors import Treeprocessor

MAX_LENGTH = 50_000
USER_LINK_REL = "nofollow noopener noreferrer ugc"

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "sup", "div", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "sup": {"id"},
    "li": {"id"},
    "ol": {"start"},
}
ALLOWED_CLASSES = {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}}
URL_SCHEMES = {"http", "https", "mailto"}

_FOOTNOTE_ID = re.compile(r"^fn(ref)?:[\w-]{1,40}$")
_ALIGN = {"left", "right", "center"}


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if _FOOTNOTE_ID.match(value) else None
    if attribute == "align":
        return value if value in _ALIGN else None
    if tag == "img" and attribute == "src":
        # Only images stored on this site: an outside image would tell a tracker who reads the page.
        return value if value.startswith(settings.MEDIA_URL) and not value.startswith("//") else None
    if tag == "a" and attribute == "href" and value.startswith("//"):
        return "https:" + value
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    link_rel=USER_LINK_REL,
    url_schemes=URL_SCHEMES,
    allowed_classes=ALLOWED_CLASSES,
)


class _OutsideImagesAsLinks(Treeprocessor):
    """An image from another site becomes a plain link to it: readers' browsers never fetch it unasked."""

    def run(self, root):
        for element in root.iter("img"):
            src = element.get("src", "")
            if src.startswith(settings.MEDIA_URL) and not src.startswith("//"):
                continue
            alt = element.get("alt") or "image"
            element.attrib.clear()
            element.tag = "a"
            element.set("href", src)
            element.text = alt
        return None


def _markdown() -> python_markdown.Markdown:
    md = python_markdown.Markdown(
        extensions=["tables", "fenced_code", "footnotes", "sane_lists"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    # Raw HTML is text here, not markup: escape it rather than trusting the sanitizer alone.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_OutsideImagesAsLinks(md), "outside_images_as_links", 0)
    return md


def render(text: str) -> SafeString:
    """Markdown source -> sanitized HTML, safe to place in any page."""
    source = (text or "")[:MAX_LENGTH]
    html = _markdown().convert(source)
    return mark_safe(_cleaner.clean(html))  # noqa: S308 - sanitized by nh3 just above
