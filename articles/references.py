"""Numbered references in an article: `[@study-slug]` in the body becomes a superscript `[1]`.

Editors cite a study summary inline by its slug. The Markdown is rendered by the one renderer
(ldnsite.markdown) first, which leaves `[@slug]` as text; this module then rewrites the text (never a tag,
never code) of that sanitized HTML. Only a study the article discusses and that is public gets a number,
in order of first citation; the reference list holds those in that order, then the other public studies the
article discusses. Everything comes from the studies already fetched for the page: no query per citation.

A citation of anything else (a draft study, a study the article does not list, a misspelt slug) is left
out of the public page and shown to editors, marked, so they can fix it before readers notice.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .models import Study

# A slug as the Study model allows it; the spaces before a citation go with it, so that the number sits
# against the word it supports ("fell[1]").
CITATION = re.compile(r"\s*\[@([-\w]{1,80})\]")
# The renderer escapes "<" and ">" in text and in attribute values, so this splits its output exactly.
_TAG = re.compile(r"(<[^>]*>)")
# Text inside these stays as written: code is quoted, and a link cannot hold another link.
_LEFT_ALONE = {"code", "pre", "a"}


@dataclass
class Reference:
    number: int
    study: Study
    cited_inline: bool


@dataclass
class CitedBody:
    html: SafeString
    references: list[Reference]
    # For editors only: each citation that did not become a link, with the reason, in order of appearance.
    problems: list[str] = field(default_factory=list)


def draft_studies(studies: Iterable[Study]) -> list[Study]:
    """The studies an article discusses that readers cannot see (drafts, or scheduled for later)."""
    return [study for study in studies if not study.is_public]


def problems(body_slugs: Iterable[str], studies: Iterable[Study]) -> list[str]:
    """What an editor should fix before readers see it: inline citations that will not become links, and
    studies the article discusses that are not public."""
    by_slug = {study.slug: study for study in studies}
    found: list[str] = []
    for slug in dict.fromkeys(body_slugs):
        study = by_slug.get(slug)
        if study is None:
            found.append(f"[@{slug}] is not one of the studies this article discusses, so it is not linked.")
        elif not study.is_public:
            found.append(f"[@{slug}] cites a draft study, “{study}”: readers will not see this citation.")
    for study in draft_studies(by_slug.values()):
        if study.slug not in body_slugs:
            found.append(f"This article discusses a draft study, “{study}”: readers will not see it.")
    return found


def cited_slugs(text: str) -> list[str]:
    """The slugs cited in Markdown (or HTML) text, in order, repeats included."""
    return CITATION.findall(text or "")


def cite(html: str, studies: Iterable[Study], *, for_editor: bool = False) -> CitedBody:
    """Number the citations in `html` (sanitized output of ldnsite.markdown) against `studies`, the studies
    the article discusses as this reader may see them. Editors see unlinked citations marked; everyone else
    does not see them at all."""
    studies = list(studies)
    public = {study.slug: study for study in studies if study.is_public}
    numbers: dict[str, int] = {}
    left_alone = 0
    pieces = []
    slugs: list[str] = []

    def replace(match: re.Match) -> str:
        slug = match.group(1)
        slugs.append(slug)
        if slug in public:
            number = numbers.setdefault(slug, len(numbers) + 1)
            return format_html(
                '<sup class="citation"><a href="#ref-{}"><span class="visually-hidden">reference </span>'
                "[{}]</a></sup>",
                number,
                number,
            )
        if for_editor:
            return format_html(' <mark class="citation-unlinked">[@{}]</mark>', slug)
        return ""

    for piece in _TAG.split(html):
        if piece.startswith("<"):
            name = piece.strip("</>").split(None, 1)[0].lower() if piece.strip("</>") else ""
            if name in _LEFT_ALONE and not piece.endswith("/>"):
                left_alone += -1 if piece.startswith("</") else 1
            pieces.append(piece)
        elif left_alone or "[@" not in piece:
            pieces.append(piece)
        else:
            pieces.append(CITATION.sub(replace, piece))

    references = [Reference(number, public[slug], True) for slug, number in numbers.items()]
    for study in studies:
        if study.is_public and study.slug not in numbers:
            references.append(Reference(len(references) + 1, study, False))
    found = problems(slugs, studies) if for_editor else []
    # Each piece is the renderer's sanitized output or built above with format_html from an escaped slug.
    return CitedBody(html=mark_safe("".join(pieces)), references=references, problems=found)  # noqa: S308
