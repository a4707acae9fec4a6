"""Security tests for ``ldnsite.markdown.render`` (user Markdown -> sanitized HTML).

No database is needed. Outputs are checked with an independent parser
(``tests.html_safety``), never with the sanitizer itself, so these tests fail if
``render`` returns its input unsanitized.
"""

from __future__ import annotations

import re

import markdown as python_markdown
import pytest

from ldnsite.markdown import MAX_LENGTH, render
from tests.html_safety import find_dangers, normalize_url, start_tags
from tests.xss_payloads import BENIGN_MARKDOWN, XSS_PAYLOADS

REQUIRED_REL = {"nofollow", "noopener", "noreferrer", "ugc"}

# ``javascript:`` inside a raw href/src attribute as written in the start tag
# (quoted or not), whatever entity-encoding the serializer used for the rest.
_RAW_JS_IN_URL_ATTR = re.compile(
    r"""\b(?:href|src)\s*=\s*(?:"[^"]*javascript:|'[^']*javascript:|[^\s"'>]*javascript:)""",
    re.IGNORECASE,
)


def _anchors_without_rel(html: str) -> list[str]:
    """Raw start tags of <a> elements whose rel lacks one of REQUIRED_REL."""
    missing = []
    for tag, attrs, raw in start_tags(html):
        if tag == "a" and not set((attrs.get("rel") or "").split()) >= REQUIRED_REL:
            missing.append(raw)
    return missing


# --- The checker must be able to fail -----------------------------------------------------------


def test_checker_flags_entity_encoded_javascript_href():
    assert find_dangers('<a href="java&#x09;script:alert(1)">x</a>') != []


def test_checker_flags_event_handler():
    assert find_dangers('<p onclick="x">') != []


def test_checker_flags_script_style_and_data_urls():
    assert find_dangers("<script>alert(1)</script>") != []
    assert find_dangers('<div style="color:red">x</div>') != []
    assert find_dangers('<img src=" DATA:text/html,x">') != []
    assert find_dangers('<a href="&#x20;&#x0A;VbScRiPt:x">x</a>') != []


def test_checker_passes_clean_html():
    assert find_dangers("<p>ok</p>") == []
    assert find_dangers('<p><a href="https://example.org/" rel="nofollow">x</a></p>') == []


def test_checker_page_mode_allows_own_static_assets_only():
    page = (
        '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        '<link rel="stylesheet" href="/static/site.css">'
        '<script src="/static/site.js"></script></head><body><p>ok</p></body></html>'
    )
    assert find_dangers(page, fragment=False) == []
    assert find_dangers(page) != []  # the same tags are never fine in a fragment
    assert find_dangers("<script>alert(1)</script>", fragment=False) != []
    assert find_dangers('<script src="https://cdn.example/x.js"></script>', fragment=False) != []
    assert find_dangers('<script src="/static/x.js">alert(1)</script>', fragment=False) != []
    assert find_dangers('<link rel="stylesheet" href="//evil.example/x.css">', fragment=False) != []
    assert find_dangers('<meta http-equiv="refresh" content="0;url=/x">', fragment=False) != []


def test_payload_lists_are_big_and_distinct():
    assert len(XSS_PAYLOADS) >= 70
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)
    assert len(BENIGN_MARKDOWN) >= 15


def test_unsanitized_payloads_would_be_caught():
    """Guard against a checker (or payload list) that passes everything.

    Plain python-markdown with raw HTML left on and no sanitizer is what ``render``
    must improve on: most payloads must come out dangerous there.
    """
    plain = python_markdown.Markdown(extensions=["tables", "fenced_code", "footnotes", "sane_lists"])
    flagged = sum(1 for payload in XSS_PAYLOADS if find_dangers(plain.reset().convert(payload)))
    assert flagged >= len(XSS_PAYLOADS) * 2 // 3


# --- XSS payloads -------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=range(len(XSS_PAYLOADS)))
def test_payload_renders_without_dangers(payload):
    html = str(render(payload))
    assert find_dangers(html) == [], html


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=range(len(XSS_PAYLOADS)))
def test_payload_leaves_no_javascript_in_url_attributes(payload):
    html = str(render(payload))
    # As written in the markup...
    for _tag, _attrs, raw in start_tags(html):
        assert not _RAW_JS_IN_URL_ATTR.search(raw), raw
    # ...and as the browser decodes it (entities, embedded tabs/newlines, case).
    for _tag, attrs, raw in start_tags(html):
        for name in ("href", "src"):
            value = attrs.get(name) or ""
            assert "javascript:" not in normalize_url(value), raw


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=range(len(XSS_PAYLOADS)))
def test_payload_links_carry_rel(payload):
    html = str(render(payload))
    assert _anchors_without_rel(html) == [], html


# --- Benign Markdown still renders --------------------------------------------------------------


@pytest.mark.parametrize(("markdown", "fragment"), BENIGN_MARKDOWN, ids=range(len(BENIGN_MARKDOWN)))
def test_benign_markdown_renders(markdown, fragment):
    html = str(render(markdown))
    assert fragment in html, html
    assert find_dangers(html) == [], html


def test_fenced_code_script_is_escaped_not_executed():
    html = str(render("```html\n<script>alert(1)</script>\n```"))
    assert "&lt;script&gt;" in html
    assert "script" not in [tag for tag, _attrs, _raw in start_tags(html)]


def test_every_link_has_rel_nofollow_noopener_noreferrer_ugc():
    md = (
        "[inline](https://example.org/) and [plain](http://example.org/) and "
        "[mail](mailto:team@example.org) and [rel](/studies/) and [ref][r] and "
        "<https://auto.example.org/> and a note[^1].\n\n"
        '[r]: https://ref.example.org/ "Ref"\n\n'
        "[^1]: See [source](https://source.example.org/)."
    )
    html = str(render(md))
    anchors = [attrs for tag, attrs, _raw in start_tags(html) if tag == "a"]
    assert len(anchors) >= 8, html  # six links, footnote ref, backref, link in footnote
    assert _anchors_without_rel(html) == [], html


def test_raw_html_is_shown_as_text():
    html = str(render("<b>bold</b> and <i>it</i>"))
    assert "&lt;b&gt;" in html, html
    tags = [tag for tag, _attrs, _raw in start_tags(html)]
    assert "b" not in tags and "i" not in tags, html


def test_external_image_is_dropped():
    html = str(render("![x](https://tracker.example/pixel.png)"))
    assert "<img" not in html, html
    assert "img" not in [tag for tag, _attrs, _raw in start_tags(html)], html


def test_media_image_is_kept():
    html = str(render("![x](/media/markdownx/a.png)"))
    imgs = [attrs for tag, attrs, _raw in start_tags(html) if tag == "img"]
    assert len(imgs) == 1, html
    assert imgs[0].get("src") == "/media/markdownx/a.png", html


def test_max_length_is_a_positive_int():
    assert isinstance(MAX_LENGTH, int) and MAX_LENGTH > 0


def test_overlong_input_is_truncated():
    html = str(render("a" * MAX_LENGTH + "UNIQUE_TAIL_MARKER"))
    assert "UNIQUE_TAIL_MARKER" not in html
    assert "a" * 100 in html  # still rendered the part before the cap
    assert len(html) <= 2 * MAX_LENGTH + 1000


def test_overlong_markdown_is_truncated_and_safe():
    chunk = "[a](https://example.org/) *b* "
    md = chunk * (MAX_LENGTH // len(chunk) + 10) + "\n\nUNIQUE_TAIL_MARKER"
    html = str(render(md))
    assert "UNIQUE_TAIL_MARKER" not in html
    assert find_dangers(html) == []


def test_a_table_scrolls_in_its_own_box_named_by_its_headings():
    html = str(render('| Study | People "enrolled" |\n|---|---|\n| Cree 2010 | 80 |\n\n| a |\n|---|\n| 1 |'))

    boxes = re.findall(r"<div ([^>]*)><table>", html)
    assert len(boxes) == 2
    assert 'aria-label="Table: Study, People &quot;enrolled&quot;"' in boxes[0]
    assert all('class="table-scroll"' in b and 'role="region"' in b and 'tabindex="0"' in b for b in boxes)
    assert html.count("</table></div>") == 2


def test_a_writer_cannot_make_a_box_of_their_own():
    html = str(render('<div role="region" tabindex="0" aria-label="x" class="table-scroll">hi</div>'))

    assert "<div" not in html and "&lt;div" in html
