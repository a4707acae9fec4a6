"""The one way Markdown becomes HTML on ldnsite.

python-markdown turns text into HTML with raw HTML switched off (it is shown as text), then nh3 keeps only
an allowlist of tags and attributes, http/https/mailto or same-site links, and images stored on this site.
Nothing else in the project marks text as safe.

Two ways to use it: render(text) in a page (results cached by content), or render_to_keep(text) for HTML kept
on the row beside its text (a comment's body_html) with the VERSION that made it, read back through kept(),
which accepts it only while this VERSION is the one that made it.

Mentions: a text saved through ldnsite.mentions holds `@[<member id>]` where its author typed `@Name`. Only
such texts are rendered with ``mentions=True`` (any other text keeps "@[5]" as typed), which turns each into
a placeholder, MENTION_PLACEHOLDER, that ldnsite.mentions resolves on the way out of each page: the member's
current name, linked to their page where they have one.
"""

import hashlib
import re
from importlib import metadata
from xml.etree import ElementTree as etree

import markdown as python_markdown
import nh3
from django.conf import settings
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

# Editors write up to MAX_LENGTH characters; members' fields have lower caps of their own (a comment is
# 5,000), because python-markdown has other inputs whose cost grows with the square of a paragraph's
# length (runs of "``a`": about 1 s at 10,000 characters). Results are cached by content: each costs once.
MAX_LENGTH = 50_000
# python-markdown looks for the end of a link from every "[" to the end of the paragraph, which makes
# crafted input (thousands of unmatched "[") take minutes. A "[" that cannot start a short link, and every
# link after the first MAX_LINKS, is swapped for a placeholder before parsing and restored as text after.
LINK_SPAN = 1_000
MAX_LINKS = 200
_BRACKET_PLACEHOLDER = "\ue000"
CACHE_SECONDS = 24 * 60 * 60
# Bump REVISION whenever this module would make other HTML of the same text (the allowlist, the extensions,
# the link rules, a new MEDIA_URL): rows that keep HTML made by another VERSION are rendered again when read,
# and cached results are keyed by it. An upgrade of python-markdown or nh3 (a sanitizer fix above all)
# changes VERSION by itself.
REVISION = 2
VERSION = f"{REVISION}/markdown-{python_markdown.__version__}/nh3-{metadata.version('nh3')}"
USER_LINK_REL = "nofollow noopener noreferrer ugc"

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "sup", "div", "del", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "sup": {"id"},
    "li": {"id"},
    "ol": {"start"},
    "div": {"role", "tabindex", "aria-label"},
    "span": {"data-member"},
}
ALLOWED_CLASSES = {
    "div": {"footnote", "table-scroll"},
    "a": {"footnote-ref", "footnote-backref"},
    "span": {"mention", "mention-in-link"},
}
# The box _TablesInLabelledBoxes puts round a table. Raw HTML in the text is escaped before parsing, so only
# that processor can make these attributes; the filter still holds them to the values it writes.
_TABLE_BOX = {"role": "region", "tabindex": "0"}
TABLE_LABEL_CHARS = 120
URL_SCHEMES = {"http", "https", "mailto"}

# A mention as stored in the text (ldnsite.mentions writes it), and the element it becomes: a placeholder,
# exactly as the sanitizer writes it out, that ldnsite.mentions replaces with the member's current name. Raw
# HTML in a text is escaped before parsing, so only _Mentions can make one. Inside a link it is marked
# "mention-in-link": the name is then shown without a link of its own.
MENTION_TOKEN = re.compile(r"@\[([1-9][0-9]{0,11})\]")
MENTION_PLACEHOLDER = re.compile(
    r'<span class="(mention|mention-in-link)" data-member="([1-9][0-9]{0,11})">@member</span>'
)
_MEMBER_ID = re.compile(r"^[1-9][0-9]{0,11}$")

_FOOTNOTE_ID = re.compile(r"^fn(ref)?:[\w-]{1,40}$")
_ALIGN = {"left", "right", "center"}
_MEDIA_PATH = re.compile(r"^[A-Za-z0-9_\-/]+(\.[A-Za-z0-9]+)?$")


def is_local_media(url: str) -> bool:
    """A plain path inside MEDIA_URL: no "..", no encoded characters, no other host."""
    if not url.startswith(settings.MEDIA_URL) or url.startswith("//"):
        return False
    rest = url[len(settings.MEDIA_URL) :]
    return bool(_MEDIA_PATH.match(rest)) and ".." not in rest and "//" not in rest


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "data-member":
        return value if _MEMBER_ID.match(value) else None
    if tag == "div" and attribute in _TABLE_BOX:
        return value if value == _TABLE_BOX[attribute] else None
    if attribute == "id":
        return value if _FOOTNOTE_ID.match(value) else None
    if attribute == "align":
        return value if value in _ALIGN else None
    if tag == "img" and attribute == "src":
        # Only images stored on this site: an outside image would tell a tracker who reads the page.
        return value if is_local_media(value) else None
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
            if is_local_media(src):
                continue
            alt = element.get("alt") or "image"
            element.attrib.clear()
            element.tag = "a"
            element.set("href", src)
            element.text = alt
        return None


class _TablesInLabelledBoxes(Treeprocessor):
    """A table too wide for the screen scrolls inside its own box, which keyboard users can reach (tabindex)
    and screen readers announce by the table's column headings, instead of widening the whole page."""

    def run(self, root):
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table":
                    continue
                headings = ", ".join(
                    " ".join("".join(th.itertext()).split()) for th in child.iter("th")
                ).strip(", ")
                label = f"Table: {headings}" if headings else "Table"
                if len(label) > TABLE_LABEL_CHARS:
                    label = label[: TABLE_LABEL_CHARS - 1].rstrip(", ") + "…"
                box = etree.Element("div", {"class": "table-scroll", **_TABLE_BOX, "aria-label": label})
                box.tail, child.tail = child.tail, None
                parent.remove(child)
                box.append(child)
                parent.insert(index, box)
        return None


class _Mentions(InlineProcessor):
    """`@[123]` becomes the placeholder of member 123's mention. After backslash escapes (180), so "@\\[5]"
    stays text; before links (160) and references (170), so "@[5](url)" is a mention and then text."""

    def handleMatch(self, m, data):  # noqa: N802 - python-markdown's name
        element = etree.Element("span", {"class": "mention", "data-member": m.group(1)})
        element.text = "@member"
        return element, m.start(0), m.end(0)


class _MentionsInLinks(Treeprocessor):
    """A mention inside link text is shown as a name only: a link inside a link is not HTML."""

    def run(self, root):
        for link in root.iter("a"):
            for span in link.iter("span"):
                if span.get("class") == "mention":
                    span.set("class", "mention-in-link")
        return None


def _markdown(mentions: bool = False) -> python_markdown.Markdown:
    md = python_markdown.Markdown(
        extensions=["tables", "fenced_code", "footnotes", "sane_lists"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    # Raw HTML is text here, not markup: escape it rather than trusting the sanitizer alone.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_OutsideImagesAsLinks(md), "outside_images_as_links", 0)
    md.treeprocessors.register(_TablesInLabelledBoxes(md), "tables_in_labelled_boxes", 0)
    if mentions:
        md.inlinePatterns.register(_Mentions(MENTION_TOKEN.pattern, md), "mentions", 175)
        md.treeprocessors.register(_MentionsInLinks(md), "mentions_in_links", 0)
    return md


def _code_span_end(source: str, start: int) -> int:
    """Index just past the code span opening at `start`, or -1 when no closing run is near enough."""
    run_end = start
    while run_end < len(source) and source[run_end] == "`":
        run_end += 1
    run = source[start:run_end]
    closing = re.compile(rf"(?<!`){run}(?!`)").search(source, run_end, run_end + LINK_SPAN * 5)
    return closing.end() if closing else -1


def _defuse_brackets(source: str) -> str:
    """Keep a "[" only if it closes within LINK_SPAN in the same paragraph (with a ")" near when a "("
    follows), and at most MAX_LINKS of them; skip backslash escapes and code spans as Markdown does."""
    chars = list(source)
    open_positions: list[int] = []
    kept = 0
    index, length = 0, len(source)
    while index < length:
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "`":
            end = _code_span_end(source, index)
            if end != -1:
                index = end
                continue
            while index < length and source[index] == "`":
                index += 1
            continue
        if char == "\n" and source.startswith("\n", index + 1):
            for start in open_positions:  # links never cross a blank line
                chars[start] = _BRACKET_PLACEHOLDER
            open_positions.clear()
        elif char == "[":
            open_positions.append(index)
        elif char == "]" and open_positions:
            start = open_positions.pop()
            keep = index - start <= LINK_SPAN and kept < MAX_LINKS
            if keep and source.startswith("(", index + 1):
                keep = source.find(")", index + 2, index + 2 + LINK_SPAN) != -1
            if keep:
                kept += 1
            else:
                chars[start] = _BRACKET_PLACEHOLDER
        index += 1
    for start in open_positions:
        chars[start] = _BRACKET_PLACEHOLDER
    return "".join(chars)


def _cache_key(source: str, mentions: bool) -> str:
    return "markdown:" + hashlib.sha256(f"{VERSION}\0{int(mentions)}\0{source}".encode()).hexdigest()


def _source(text: str) -> str:
    return (text or "")[:MAX_LENGTH].replace(_BRACKET_PLACEHOLDER, "")


def _sanitized_html(source: str, mentions: bool = False) -> str:
    try:
        converted = _markdown(mentions).convert(_defuse_brackets(source))
    except RecursionError:  # nesting deeper than python-markdown can parse ("- " * 2000): show it as text
        converted = f"<p>{escape(source)}</p>"
    return _cleaner.clean(converted.replace(_BRACKET_PLACEHOLDER, "["))


def render(text: str, *, mentions: bool = False) -> SafeString:
    """Markdown source -> sanitized HTML, safe to place in any page. Results are cached by content. With
    `mentions`, for texts saved through ldnsite.mentions, their mentions become placeholders."""
    source = _source(text)
    key = _cache_key(source, mentions)
    html = cache.get(key)
    if html is None:
        html = _sanitized_html(source, mentions)
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - sanitized by nh3 in _sanitized_html


def render_to_keep(text: str, *, mentions: bool = False) -> str:
    """What render(text, mentions=...) gives, as plain text to keep in a column beside `text`, with VERSION
    beside it. Converted here rather than looked up in the cache: the row is where this result is kept."""
    return _sanitized_html(_source(text), mentions)


def kept(html: str, version: str) -> SafeString | None:
    """HTML kept from render_to_keep(), safe to place in a page if this VERSION made it; None if another
    renderer did (or none: an empty version), and the text needs rendering again."""
    if version != VERSION:
        return None
    return mark_safe(html)  # noqa: S308 - made by render_to_keep(), sanitized by nh3
