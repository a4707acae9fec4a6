"""The embeddable infographic: one SVG picture that sums up the published studies an article discusses.

Everything here is a pure function of an article and its (already published) studies, so the article page
can size the embed code from the same layout without another query: `height()` runs the layout with a ruler
that only keeps the running y position, `build()` runs it with a canvas that also draws.

SVG has no text wrapping, so lines are measured with approximate DejaVu Sans / Verdana widths (the first
fonts in the stack; narrower fallbacks only leave more room) and broken into <tspan>s, with a cap on lines
and an ellipsis. The elements are built with ElementTree, which escapes every piece of text; characters that
XML 1.0 cannot carry at all (NUL and other control characters) are dropped first, so an editor's text can
never make the document ill-formed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import dateformat, timezone

from .metadata import study_heading
from .models import Article, Study

WIDTH = 600
MARGIN = 20
CARD_PADDING = 16
STRIPE = 8
LINE_HEIGHT = 1.35
BADGE_SIZE = 14
BADGE_HEIGHT = 26
FONT_FAMILY = "Verdana, 'DejaVu Sans', 'Bitstream Vera Sans', Arial, sans-serif"

TEXT = "#1b1b1b"
MUTED = "#4a4a4a"
LINE = "#c9c5bc"
BACKGROUND = "#fdfcf9"
HEADER = "#0d5c46"
# The badge palette of site.css; white text on each is well above 4.5:1.
LEVEL_COLOURS = {1: "#0d5c46", 2: "#0d5c46", 3: "#1d4f91", 4: "#7a4a00", 5: "#8b1e1e"}

DISCLAIMER = (
    "A summary of published studies, not medical advice. Talk to your neurologist before you start, "
    "stop or change any treatment."
)

# Advance widths in em, close to DejaVu Sans; anything not listed falls back by character class.
_NARROW = dict.fromkeys("ijl|!.,:;'`", 0.32) | dict.fromkeys("ft()[]{}/\\-", 0.4) | {" ": 0.32, "r": 0.42}
_WIDE = {"m": 0.98, "w": 0.82, "M": 0.87, "W": 1.0, "—": 1.0, "…": 1.0, "%": 0.95, "@": 1.0} | dict.fromkeys(
    "<>=+~^&#", 0.84
)
_MIN_CHAR_WIDTH = min(_NARROW.values())
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Text an XML document can carry: no control characters or lone surrogates, whitespace collapsed."""
    return _SPACES.sub(" ", _XML_INVALID.sub("", text or "")).strip()


def _char_width(char: str) -> float:
    if char in _NARROW:
        return _NARROW[char]
    if char in _WIDE:
        return _WIDE[char]
    if char.isdigit() or char.islower():
        return 0.64
    if char.isupper():
        return 0.74
    if ord(char) >= 0x2E80:  # CJK and other full-width scripts
        return 1.0
    return 0.7


# Most text is ASCII: its widths looked up in one dict rather than worked out character by character.
_ASCII_WIDTHS = {chr(code): _char_width(chr(code)) for code in range(128)}


def _units(text: str, start: float = 0.0) -> float:
    """The width of `text` in units of the font size, added to `start` (the width of what precedes it)."""
    ascii_width = _ASCII_WIDTHS.get
    for char in text:
        start += ascii_width(char) or _char_width(char)
    return start


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """An upper estimate of how wide `text` is drawn at `size` pixels."""
    return _units(text) * size * (1.12 if bold else 1.0)


def _ellipsize(line: str, limit: float, size: float, bold: bool) -> str:
    line = line.rstrip(" ,;:.-")
    while line and text_width(line + "…", size, bold=bold) > limit:
        line = line[:-1].rstrip(" ,;:.-")
    return line + "…"


def wrap(text: str, *, size: float, width: float, max_lines: int, bold: bool = False) -> list[str]:
    """Break `text` into at most `max_lines` lines that fit `width`; the last one ends with … if cut.

    Linear in the text's length: the text is first cut to what `max_lines` lines could ever hold (an editor
    may paste thousands of characters without a space into a main result), and a word wider than a line is
    broken in one pass over its characters.
    """
    text = clean(text)
    if not text:
        return []
    most = int(max_lines * width / (_MIN_CHAR_WIDTH * size * (1.12 if bold else 1.0))) + max_lines
    was_cut = len(text) > most
    text = text[:most]
    lines: list[str] = []
    current, current_units = "", 0.0
    weight = 1.12 if bold else 1.0
    for word in text.split(" "):
        if len(lines) > max_lines:
            break
        # The line's width grows word by word: measuring each longer candidate from its start was quadratic.
        candidate_units = _units(f" {word}" if current else word, current_units)
        if candidate_units * size * weight <= width:
            current, current_units = (f"{current} {word}" if current else word), candidate_units
            continue
        if current:
            lines.append(current)
        current = ""
        # A word longer than a whole line (a URL, a long compound) is broken where it runs out of room.
        used = 0.0
        for char in word:
            step = text_width(char, size, bold=bold)
            if current and used + step > width:
                lines.append(current)
                current, used = "", 0.0
            current += char
            used += step
        current_units = _units(current)
    if current:
        lines.append(current)
    if len(lines) > max_lines or was_cut:
        lines = lines[:max_lines]
        lines[-1] = _ellipsize(lines[-1], width, size, bold)
    return lines


def data_as_of(article: Article, studies: Sequence[Study]) -> datetime:
    """When the newest of the article and its studies last changed: the date the picture's facts hold for."""
    return max([article.updated_at, *(study.updated_at for study in studies)])


def facts_line(study: Study) -> str:
    people = f"{study.participants_enrolled} {'person' if study.participants_enrolled == 1 else 'people'}"
    return " · ".join(part for part in [study.get_design_display(), people, clean(study.duration)] if part)


def description(article: Article, studies: Sequence[Study], *, site_name: str) -> str:
    """The whole picture in words, for the SVG's <desc> (nothing truncated)."""
    count = f"{len(studies)} published {'study' if len(studies) == 1 else 'studies'}"
    parts = [f"{count} discussed in the article “{article.title}” on {site_name}, strongest evidence first."]
    for number, study in enumerate(studies, start=1):
        small = " Small study (fewer than 100 people)." if study.is_small_sample else ""
        parts.append(
            f"{number}. {study_heading(study)}. {facts_line(study)}. "
            f"Evidence level {study.evidence_level} of 5: {study.evidence_level_description}.{small} "
            f"Main result: {study.main_result}"
        )
    as_of = dateformat.format(timezone.localtime(data_as_of(article, studies)), "j F Y")
    parts.append(f"{DISCLAIMER} Data as of {as_of}.")
    return clean(" ".join(parts))


@dataclass(frozen=True)
class Infographic:
    svg: str
    width: int
    height: int
    data_as_of: datetime


class _Ruler:
    """Keeps the running y position of the layout, drawing nothing: what sizing the picture needs.

    `_lay_out` drives either this or a `_Canvas`, so the height the embed code announces and the height of
    the picture drawn are the same computation.
    """

    def __init__(self) -> None:
        self.y = 0.0

    @property
    def height(self) -> int:
        return int(self.y + 0.999)

    def rect(self, **attrs: object) -> ET.Element | None:
        return None

    def close(self, element: ET.Element | None, *, top: float) -> None:
        """Give `element` (a header band, a card) the height from `top` down to the current position."""

    def rule(self) -> None:
        """A horizontal line across the picture at the current position."""

    def badge(self, *, x: float, label: str, colour: str, filled: bool) -> float:
        """A pill with `label` at the current position; returns its width."""
        return _badge_width(label)

    def lines(self, lines: list[str], *, size: float, **style) -> None:
        """Move past `lines` set at `size`: the first baseline one size below y, the others LINE_HEIGHT apart,
        and a line's gap after the last. A canvas draws them there, in `style` (see `_Canvas.text`)."""
        if not lines:
            return
        baselines = []
        for number in range(len(lines)):
            self.y += size * (LINE_HEIGHT if number else 1.0)
            baselines.append(self.y)
        self.y += size * (LINE_HEIGHT - 1.0)
        self.text(lines, baselines, size=size, **style)

    def text(self, lines: list[str], baselines: list[float], **style) -> None:
        """Draw `lines` on their `baselines`: a ruler draws nothing."""


class _Canvas(_Ruler):
    """The same layout, appending each element to the root <svg> as it goes."""

    def __init__(self, root: ET.Element) -> None:
        super().__init__()
        self.root = root

    def rect(self, **attrs: object) -> ET.Element:
        return ET.SubElement(self.root, "rect", _attrs(attrs))

    def close(self, element: ET.Element | None, *, top: float) -> None:
        if element is not None:
            element.set("height", _number(self.y - top))

    def rule(self) -> None:
        y = self.y
        ET.SubElement(
            self.root, "line", _attrs({"x1": MARGIN, "x2": WIDTH - MARGIN, "y1": y, "y2": y, "stroke": LINE})
        )

    def badge(self, *, x: float, label: str, colour: str, filled: bool) -> float:
        """Filled pills carry white text, outlined ones coloured text."""
        width = _badge_width(label)
        y = self.y
        self.rect(
            x=x,
            y=y,
            width=round(width, 1),
            height=BADGE_HEIGHT,
            rx=13,
            fill=colour if filled else "#ffffff",
            stroke=colour,
            stroke_width=2,
            stroke_dasharray=None if filled else "5 3",
        )
        text = ET.SubElement(
            self.root,
            "text",
            _attrs({"x": x + 10, "y": y + 18, "font-size": BADGE_SIZE, "font-weight": "bold"})
            | {"fill": "#ffffff" if filled else colour},
        )
        text.text = label
        return width

    def text(
        self,
        lines: list[str],
        baselines: list[float],
        *,
        x: float,
        size: float,
        fill: str = TEXT,
        bold: bool = False,
        label: str = "",
    ) -> None:
        """Draw `lines` as one <text> of <tspan>s on their `baselines`.

        A `label` that starts the first line is set in bold (wrap() measured it at the regular weight; the
        estimates leave room for the difference).
        """
        text = ET.SubElement(
            self.root,
            "text",
            _attrs({"x": x, "font-size": size, "fill": fill, "font-weight": "bold" if bold else None}),
        )
        for number, (line, baseline) in enumerate(zip(lines, baselines, strict=True)):
            tspan = ET.SubElement(text, "tspan", _attrs({"x": x, "y": baseline}))
            if number == 0 and label and line.startswith(label):
                strong = ET.SubElement(tspan, "tspan", {"font-weight": "bold"})
                strong.text = label
                strong.tail = line[len(label) :]
            else:
                tspan.text = line


def _number(value: object) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _attrs(attrs: dict[str, object]) -> dict[str, str]:
    """Keyword-style names (stroke_width) become SVG attribute names (stroke-width); None drops one."""
    return {name.replace("_", "-"): _number(value) for name, value in attrs.items() if value is not None}


def _badge_width(label: str) -> float:
    return text_width(label, BADGE_SIZE, bold=True) + 20


def height(article: Article, studies: Sequence[Study], *, site_name: str, article_url: str) -> int:
    """The height `build` gives the same picture, without drawing it (the embed code announces it)."""
    ruler = _Ruler()
    _lay_out(ruler, article, studies, site_name=site_name, article_url=article_url)
    return ruler.height


def build(article: Article, studies: Sequence[Study], *, site_name: str, article_url: str) -> Infographic:
    """The infographic for `article` and its published `studies`, already in the order to show them."""
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "version": "1.1",
            "role": "img",
            "aria-labelledby": "infographic-title infographic-desc",
            "font-family": FONT_FAMILY,
        },
    )
    title = ET.SubElement(root, "title", {"id": "infographic-title"})
    title.text = clean(f"The studies in brief: {article.title} ({site_name})")
    desc = ET.SubElement(root, "desc", {"id": "infographic-desc"})
    desc.text = description(article, studies, site_name=site_name)
    ET.SubElement(root, "rect", {"width": "100%", "height": "100%", "fill": BACKGROUND})
    canvas = _Canvas(root)
    _lay_out(canvas, article, studies, site_name=site_name, article_url=article_url)

    height = canvas.height
    root.set("width", str(WIDTH))
    root.set("height", str(height))
    root.set("viewBox", f"0 0 {WIDTH} {height}")
    svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    return Infographic(svg=svg, width=WIDTH, height=height, data_as_of=data_as_of(article, studies))


def _lay_out(
    canvas: _Ruler, article: Article, studies: Sequence[Study], *, site_name: str, article_url: str
) -> None:
    """Everything below the title and description, top to bottom; leaves canvas.y at the bottom edge."""
    inner = WIDTH - 2 * MARGIN

    # Header band: who made it, the article, how to read the levels.
    header = canvas.rect(x=0, y=0, width=WIDTH, height=0, fill=HEADER)
    canvas.y = MARGIN - 6
    canvas.lines([clean(f"{site_name} · The studies in brief")], x=MARGIN, size=15, fill="#ffffff", bold=True)
    canvas.y += 4
    canvas.lines(
        wrap(article.title, size=24, width=inner, max_lines=3, bold=True),
        x=MARGIN,
        size=24,
        fill="#ffffff",
        bold=True,
    )
    canvas.y += 4
    count = (
        f"{len(studies)} published {'study' if len(studies) == 1 else 'studies'}, strongest evidence first."
    )
    canvas.lines(
        wrap(
            f"{count} Evidence level runs from 1 (strongest) to 5 (weakest).",
            size=15,
            width=inner,
            max_lines=2,
        ),
        x=MARGIN,
        size=15,
        fill="#ffffff",
    )
    canvas.y += MARGIN - 6
    canvas.close(header, top=0)

    text_x = MARGIN + STRIPE + CARD_PADDING
    text_width_available = WIDTH - MARGIN - CARD_PADDING - text_x
    for study in studies:
        canvas.y += 16
        top = canvas.y
        card = canvas.rect(x=MARGIN, y=top, width=inner, height=0, rx=6, fill="#ffffff", stroke=LINE)
        stripe = canvas.rect(
            x=MARGIN, y=top, width=STRIPE, height=0, fill=LEVEL_COLOURS[study.evidence_level]
        )
        canvas.y += CARD_PADDING - 4
        canvas.lines(
            wrap(study_heading(study), size=18, width=text_width_available, max_lines=3, bold=True),
            x=text_x,
            size=18,
            bold=True,
        )
        canvas.y += 8
        badge_x = text_x + canvas.badge(
            x=text_x,
            label=f"Evidence level {study.evidence_level} of 5",
            colour=LEVEL_COLOURS[study.evidence_level],
            filled=True,
        )
        if study.is_small_sample:
            canvas.badge(x=badge_x + 8, label="Small study", colour=MUTED, filled=False)
        canvas.y += BADGE_HEIGHT + 6
        canvas.lines(
            wrap(facts_line(study), size=16, width=text_width_available, max_lines=2), x=text_x, size=16
        )
        canvas.y += 2
        canvas.lines(
            wrap(f"Main result: {study.main_result}", size=16, width=text_width_available, max_lines=3),
            x=text_x,
            size=16,
            label="Main result:",
        )
        canvas.y += CARD_PADDING - 4
        canvas.close(card, top=top)
        canvas.close(stripe, top=top)

    # Footer: the disclaimer, where the facts come from and when they were true.
    canvas.y += 14
    canvas.rule()
    canvas.y += 4
    canvas.lines(wrap(DISCLAIMER, size=14, width=inner, max_lines=2, bold=True), x=MARGIN, size=14, bold=True)
    as_of = data_as_of(article, studies)
    address = article_url.split("://", 1)[-1]  # the scheme is noise in print
    source = f"Data as of {dateformat.format(timezone.localtime(as_of), 'j F Y')} · {site_name} · {address}"
    canvas.lines(wrap(source, size=14, width=inner, max_lines=2), x=MARGIN, size=14, fill=MUTED)
    canvas.y += MARGIN - 6
