"""A small, dependency-free checker for dangerous constructs in HTML.

Why this exists: the site renders user-written Markdown to HTML and sanitizes it.
Tests must not trust the sanitizer to check itself, so this module re-parses the
*output* with the standard library's ``html.parser.HTMLParser`` (a different parser
from the one the sanitizer uses) and reports anything that could run script, load
active content, rewrite the page, or restyle it: script-capable tags, event handler
attributes, inline styles, and URLs with script-capable schemes.

It is deliberately stricter than a browser needs: a false alarm costs a test
failure to look at, a missed one costs an XSS.

Two modes:

* ``fragment=True`` (default): for rendered Markdown. None of the listed tags may
  appear at all.
* ``fragment=False``: for whole pages served by the site. The page's own
  ``<link rel=stylesheet href="/static/...">``, ``<meta charset|name|...>`` and
  ``<script src="/static/..."></script>`` are then expected and allowed; anything
  else of those kinds (an inline ``<script>`` body, a script or stylesheet from
  elsewhere, a ``<meta http-equiv=refresh>``) is still reported.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Tags that must never come out of user content: they run script, embed active
# documents, restyle or redirect the page, change how later URLs resolve (base),
# or are known mutation-XSS vectors because browsers parse their content
# differently from sanitizers (svg, math, noscript, style, template...).
DANGEROUS_TAGS = frozenset(
    {
        "script",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "style",
        "form",
        "meta",
        "base",
        "link",
        "noscript",
        # Not in the original list but never legitimate in rendered Markdown either.
        "frame",
        "frameset",
        "applet",
        "portal",
        "template",
    }
)

# Tags that a whole page legitimately contains, if they point at the site's own
# static files (checked in _PageParser.handle_starttag).
PAGE_ALLOWED_TAGS = frozenset({"link", "meta", "script"})

# Attributes that are dangerous whatever their value: inline CSS (expression(),
# url(javascript:), UI redressing), a whole inline document (srcdoc), or a
# per-button form target (formaction).
DANGEROUS_ATTRS = frozenset({"style", "srcdoc", "formaction"})

# Attributes that hold a URL a browser may navigate to, load, or submit to.
URL_ATTRS = frozenset(
    {
        "href",
        "src",
        "action",
        "xlink:href",
        "background",
        # Stricter than strictly asked: other URL-carrying attributes.
        "poster",
        "data",
        "codebase",
        "cite",
        "lowsrc",
        "dynsrc",
        "srcset",
    }
)

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")

# What browsers ignore in a URL (WHATWG URL parser): leading/trailing C0 controls and
# spaces, and tab/LF/CR anywhere (so "java\tscript:" and "jav&#x0A;ascript:" run). We
# also drop every other C0 control and DEL anywhere, to be stricter than browsers.
# Spaces *inside* the value are kept: "java    script:" has no valid scheme, so a
# browser treats it as a relative URL (python-markdown expands tabs to spaces, so
# flagging it would be a false alarm).
_EDGE_RE = re.compile(r"^[\x00-\x20\x7f]+|[\x00-\x20\x7f]+$")
_INNER_RE = re.compile(r"[\x00-\x1f\x7f]+")

# Where a whole page may load its own scripts and stylesheets from.
STATIC_PREFIX = "/static/"


def normalize_url(value: str) -> str:
    """Return ``value`` the way a browser sees the scheme part of a URL.

    ``HTMLParser`` has already turned character references (``&#x09;``,
    ``&colon;``...) into characters; this strips ASCII whitespace and control
    characters at both ends, removes control characters (tab, newline...)
    everywhere, and lowercases, so ``" JaV\\tAsCrIpT:"`` becomes ``"javascript:"``.
    """
    return _INNER_RE.sub("", _EDGE_RE.sub("", value)).lower()


def is_dangerous_url(value: str | None) -> bool:
    """Whether a URL attribute value would run script or inline a document."""
    if not value:
        return False
    url = normalize_url(value)
    if url.startswith(DANGEROUS_SCHEMES):
        return True
    # srcset is a comma-separated list of "URL descriptor" candidates.
    return any(normalize_url(part).startswith(DANGEROUS_SCHEMES) for part in value.split(","))


def _is_own_static(value: str | None) -> bool:
    """Whether a URL points into the site's own /static/ tree (no traversal)."""
    if not value:
        return False
    url = normalize_url(value)
    return url.startswith(STATIC_PREFIX) and ".." not in url and "\\" not in url


class _DangerParser(HTMLParser):
    """Collects problems while parsing; see :func:`find_dangers`."""

    def __init__(self, fragment: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.fragment = fragment
        self.problems: list[str] = []
        self._in_script = False

    def _report(self, message: str) -> None:
        line, col = self.getpos()
        self.problems.append(f"line {line} col {col}: {message}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # HTMLParser lowercases tag and attribute names and unescapes attribute
        # values (character references included), like a browser does.
        raw = self.get_starttag_text() or f"<{tag}>"
        if tag in DANGEROUS_TAGS:
            if not self.fragment and tag in PAGE_ALLOWED_TAGS:
                self._check_page_tag(tag, dict(attrs), raw)
            else:
                self._report(f"dangerous tag <{tag}>: {raw[:120]!r}")
        for name, value in attrs:
            if name.startswith("on"):
                self._report(f"event handler attribute {name!r} on <{tag}>")
            elif name in DANGEROUS_ATTRS:
                self._report(f"dangerous attribute {name!r} on <{tag}>")
            elif name in URL_ATTRS and is_dangerous_url(value):
                self._report(f"dangerous URL in {name}={value!r} on <{tag}>")
        if tag == "script":
            self._in_script = True

    def _check_page_tag(self, tag: str, attrs: dict[str, str | None], raw: str) -> None:
        """Whole-page mode: the site's own static <link>, <meta> and <script>."""
        if tag == "link":
            if not _is_own_static(attrs.get("href")):
                self._report(f"<link> not pointing to {STATIC_PREFIX}: {raw[:120]!r}")
        elif tag == "meta":
            if "http-equiv" in attrs:
                self._report(f"<meta http-equiv> (refresh/cookie/CSP override): {raw[:120]!r}")
            content = (attrs.get("content") or "").lower()
            if "url=" in re.sub(r"\s+", "", content) or any(s in content for s in DANGEROUS_SCHEMES):
                self._report(f"<meta> with a URL in content: {raw[:120]!r}")
        elif tag == "script" and not _is_own_static(attrs.get("src")):
            self._report(f"<script> without a {STATIC_PREFIX} src: {raw[:120]!r}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<script/>" does not close a script element in HTML; treat it as a start tag only.
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self._report(f"inline script content: {data.strip()[:80]!r}")

    def handle_comment(self, data: str) -> None:
        # Downlevel-revealed/conditional comments were executed by old IE.
        if re.match(r"\s*\[if\b", data, re.IGNORECASE):
            self._report(f"conditional comment: {data[:80]!r}")


def find_dangers(html: str, *, fragment: bool = True) -> list[str]:
    """Return human-readable problems found in ``html`` (empty list means clean).

    Reported:

    * any start tag in :data:`DANGEROUS_TAGS` (in ``fragment=False`` mode,
      ``<link>``/``<script>`` pointing at ``/static/`` and ``<meta>`` without
      ``http-equiv`` or a URL are accepted; an inline script body never is);
    * any attribute whose name starts with ``on`` (event handlers);
    * any ``style``, ``srcdoc`` or ``formaction`` attribute;
    * any URL attribute (``href``, ``src``, ``action``, ``xlink:href``,
      ``background``, ...) whose value, html-unescaped, stripped of ASCII
      whitespace/control characters and lowercased, starts with ``javascript:``,
      ``vbscript:`` or ``data:``.

    ``fragment=True`` is for rendered user content, ``fragment=False`` for whole
    pages rendered by the site's templates.
    """
    parser = _DangerParser(fragment=fragment)
    parser.feed(html)
    parser.close()
    return parser.problems


class _TagCollector(HTMLParser):
    """Collects (tag, attrs, raw start tag text) for every start tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs), self.get_starttag_text() or ""))


def start_tags(html: str) -> list[tuple[str, dict[str, str | None], str]]:
    """Every start tag in ``html`` as ``(name, {attr: value}, raw_text)``.

    Attribute values are unescaped; names are lowercased. Useful for asserting
    on attributes regardless of the order a sanitizer serializes them in.
    """
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags
