"""Matching and snippets for site search: each source (ldnsite.search.sources) starts from its public door.

PostgreSQL gets real full-text search: each model's stored, weighted `search_document` (ldnsite.fulltext;
the weights are in the migrations that create it), queries parsed with `websearch_to_tsquery` (quotes for
phrases, `-word` to exclude) with English stemming, rows filtered with `@@` through the GIN index, then
ordered by rank. Other databases (SQLite in development) get a plain case-insensitive match of every word
in `fields`. Snippets come from the database's own headline function on PostgreSQL and from a small Python
window elsewhere; either way the text is escaped before `<mark>` goes in.

Cost is bounded whatever the number of matches (docs/search.md): `find` counts at most MAX_CANDIDATES + 1
matches, newest first, and when there are more it ranks only the newest MAX_CANDIDATES. The rows shown are
picked by rank alone, then fetched with their related rows and headlines: joins and headlines cost only
for the rows on the page.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Min, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString

from ldnsite.fulltext import SEARCH_CONFIG, StoredDocument
from ldnsite.markdown import render

from .sources import Source

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
PER_GROUP = 10
SNIPPET_CHARS = 240
# The most matches of one source that are counted and ranked (per source, per query). Above it a search
# ranks the newest MAX_CANDIDATES matches only and says "more than 300". 300 is 15 pages of 20, more than
# anyone reads; ranking is what grew with the data in a common word's search (long articles, all matching:
# docs/search.md has the figures and the trade-off).
MAX_CANDIDATES = 300

# Highlight markers: private-use characters that cannot survive `clean_query` or editors' text unchanged,
# swapped for <mark> only after the snippet has been escaped.
_START, _STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)
_TERM = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_MARKDOWN_NOISE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`#>|~]+|\[|\]")
# Citation keys in the pandoc style, `[@key]` (an app turns them into numbered references on its pages):
# markup, not words, and a key may name an unpublished item. Highlight markers may sit inside one.
_CITATION_KEY = re.compile(r"\s*\[@[^\]\s]{1,90}\]")


@dataclass
class Query:
    """A visitor's query, cleaned: what we search for, and what we tell them we changed."""

    text: str = ""
    was_shortened: bool = False
    terms: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.terms)


def clean_query(raw: str) -> Query:
    """Normalise Unicode, drop control and private-use characters, cap the length, split into terms."""
    text = unicodedata.normalize("NFKC", raw or "")
    # Invisible characters go: controls (NUL among them, which PostgreSQL refuses), format marks such as
    # zero-width spaces and direction overrides (they would split or disguise a word), private use (our
    # highlight markers) and lone surrogates. Whitespace, controls included, becomes one space.
    text = " ".join(text.split())
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Co", "Cs"})
    was_shortened = len(text) > MAX_QUERY_LENGTH
    if was_shortened:
        text = text[:MAX_QUERY_LENGTH]
        if " " in text:
            text = text.rsplit(" ", 1)[0]
    terms, excluded = [], []
    for match in _TERM.finditer(text):
        negated = match.group(1) or match.group(3)
        term = (match.group(2) if match.group(2) is not None else match.group(4)).strip()
        term = term.strip("\"'")
        if not term or not any(ch.isalnum() for ch in term):
            continue
        (excluded if negated else terms).append(term)
    return Query(text, was_shortened, terms=terms[:MAX_TERMS], excluded=excluded[:MAX_TERMS])


def is_clean(text: str) -> bool:
    """Whether `text` is a query as clean_query leaves it (the page cache keeps only that spelling)."""
    return clean_query(text).text == text


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def _snippet_source(source: Source):
    if len(source.snippet_fields) == 1:
        return F(source.snippet_fields[0])
    parts = [F(source.snippet_fields[0])]
    for name in source.snippet_fields[1:]:
        parts.extend([Value(" \n "), F(name)])
    return Concat(*parts, output_field=TextField())


def _full_text_matches(source: Source, query: Query) -> QuerySet:
    ts_query = SearchQuery(query.text, search_type="websearch", config=SEARCH_CONFIG)
    # `search_document @@ query`, which the GIN index serves.
    return source.public().alias(document=StoredDocument(source.model)).filter(document=ts_query)


def _full_text_ranked(source: Source, query: Query, queryset: QuerySet) -> QuerySet:
    ts_query = SearchQuery(query.text, search_type="websearch", config=SEARCH_CONFIG)
    document = StoredDocument(source.model)
    return queryset.annotate(
        rank=SearchRank(document, ts_query),
        headline=SearchHeadline(
            _snippet_source(source),
            ts_query,
            config=SEARCH_CONFIG,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    ).order_by("-rank", "-pk")


def _simple(source: Source, query: Query) -> QuerySet:
    names = list(source.fields)
    queryset = source.public()
    for term in query.terms:
        queryset = queryset.filter(_any_field_contains(names, term))
    for term in query.excluded:
        queryset = queryset.exclude(_any_field_contains(names, term))
    return queryset


def _any_field_contains(names: list[str], term: str) -> Q:
    condition = Q()
    for name in names:
        condition |= Q(**{f"{name}__icontains": term})
    return condition


class Ranked:
    """A source's bounded matches, best first, sliced like a queryset (`[:10]`, or by a Paginator).

    Each slice is one query. On PostgreSQL its inner part ranks the bounded set and keeps the slice's ids,
    reading no other table; the outer part fetches those rows alone, with their related rows and headlines.
    """

    def __init__(self, source: Source, query: Query, matching: QuerySet):
        self.source, self.query, self.matching = source, query, matching

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice):
            raise TypeError("Ranked results are read in slices.")
        if uses_full_text():
            ts_query = SearchQuery(self.query.text, search_type="websearch", config=SEARCH_CONFIG)
            best = (
                self.matching.alias(rank=SearchRank(StoredDocument(self.source.model), ts_query))
                .order_by("-rank", "-pk")
                .values("pk")[index]
            )
            rows = _full_text_ranked(self.source, self.query, self.source.public().filter(pk__in=best))
        else:
            rows = self.matching.order_by("-pk")[index]
        return list(rows.select_related(*self.source.select_related))


@dataclass
class Found:
    """One source's matches for a query: the rows to show, best first, and how many there are."""

    results: Ranked
    # Exact up to MAX_CANDIDATES; when there are more, MAX_CANDIDATES and `is_capped` is set.
    count: int
    is_capped: bool


def find(source: Source, query: Query) -> Found:
    """The source's matches, bounded: one query counts them (newest first, at most MAX_CANDIDATES + 1).

    Below the bound `results` is every match, ordered as always (rank then newest on PostgreSQL, newest
    on SQLite). Above it, `results` keeps the newest MAX_CANDIDATES matches only, in the same order: the
    oldest of the MAX_CANDIDATES + 1 counted is the line below which nothing is ranked. Each slice of
    `results` is one more query.
    """
    matching = _full_text_matches(source, query) if uses_full_text() else _simple(source, query)
    newest = matching.order_by("-pk").values("pk")[: MAX_CANDIDATES + 1]
    window = newest.aggregate(count=Count("pk"), oldest=Min("pk"))
    is_capped = window["count"] > MAX_CANDIDATES
    if is_capped:
        matching = matching.filter(pk__gt=window["oldest"])
    return Found(
        results=Ranked(source, query, matching),
        count=min(window["count"], MAX_CANDIDATES),
        is_capped=is_capped,
    )


def plain_text(markdown_text: str) -> str:
    """Markdown as a reader sees it, without markup: through the one renderer, then tags stripped."""
    from html import unescape

    return " ".join(_CITATION_KEY.sub("", unescape(strip_tags(render(markdown_text)))).split())


def snippet(source: Source, result, query: Query) -> SafeString:
    """A short, escaped excerpt with the matching words in <mark>."""
    headline = getattr(result, "headline", None)
    if headline is not None:
        text = _MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", _CITATION_KEY.sub("", headline))
        text = " ".join(text.split())
    else:
        plain = " ".join(plain_text(getattr(result, name)) for name in source.snippet_fields)
        text = _window(plain, query.terms)
    pieces = []
    last = 0
    for match in _MARKED.finditer(text):
        pieces.append(escape(text[last : match.start()].replace(_START, "").replace(_STOP, "")))
        pieces.append(format_html("<mark>{}</mark>", match.group(1)))
        last = match.end()
    pieces.append(escape(text[last:].replace(_START, "").replace(_STOP, "")))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def _window(text: str, terms: list[str]) -> str:
    """About SNIPPET_CHARS of `text` around the first matching term, with every term marked."""
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.I)
    found = pattern.search(text) if terms else None
    first = found.start() if found else 0
    start = max(0, first - SNIPPET_CHARS // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    excerpt = text[start : start + SNIPPET_CHARS]
    if start + SNIPPET_CHARS < len(text):
        excerpt = excerpt.rsplit(" ", 1)[0] + " …"
    if start:
        excerpt = "… " + excerpt
    if not terms:
        return excerpt
    return pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", excerpt)
