"""Mentions in a post's text: `@Exact Name` as typed, `@[<member id>]` as stored.

The id is what makes a mention stable: the member keeps it through a change of name, and the page shows
their name of the day. A name is matched whole and ignoring case, as display names are unique
(accounts.User); where one name begins another ("Ada", "Ada Lovelace"), the longest wins. A name that is
nobody's stays text. Nothing is matched inside code (`code`, fenced or indented blocks).

A stored mention is only ever written here: "@[5]" typed by a member is stored escaped ("@\\[5]", which
Markdown shows as typed), so that nobody can mention a member by id and so learn their name.
"""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower

from ldnsite.accounts import names
from ldnsite.markdown import MENTION_TOKEN

MAX_MENTIONS = 10
FORMER_MEMBER = "a former member"
NAME_MAX_LENGTH = 40  # accounts.User.display_name
# Where a mention may start: an "@" not inside a word ("ada@example.org") nor an address
# ("https://example.social/@ada"), followed by a letter or digit.
_AT = re.compile(r"(?<![\w@/])@(?=\w)")
_NAME_CHARACTER = re.compile(r"[\w .'\-]")
_WORD_CHARACTER = re.compile(r"\w")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*$", re.MULTILINE)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_INDENTED = re.compile(r"^(?: {4}|\t)")
_QUERY_CHUNK = 400  # names asked for in one IN (...): well under SQLite's limit of parameters


def _fenced_ranges(text: str) -> list[tuple[int, int]]:
    ranges = []
    position = 0
    while opening := _FENCE.search(text, position):
        fence = opening.group(1)
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        end_match = closing.search(text, opening.end() + 1)
        end = end_match.end() if end_match else len(text)
        ranges.append((opening.start(), end))
        position = end + 1
    return ranges


def _code_ranges(text: str) -> list[tuple[int, int]]:
    """Where `text` has code, as Markdown would see it near enough: a mistake here only leaves a name as
    text, or a mention shown as "@[5]" in code; never a mention nobody typed (see the module's docstring)."""
    ranges = _fenced_ranges(text)

    def in_fence(index: int) -> bool:
        return any(start <= index < end for start, end in ranges)

    # Blocks (between blank lines) whose every line is indented by four spaces or a tab.
    for block in re.finditer(r"(?:^[^\n]*\S[^\n]*(?:\n|$))+", text, re.MULTILINE):
        lines = block.group(0).splitlines()
        if not in_fence(block.start()) and all(_INDENTED.match(line) for line in lines):
            ranges.append((block.start(), block.end()))
    for span in _CODE_SPAN.finditer(text):
        if "\n\n" not in span.group(0) and not in_fence(span.start()):
            ranges.append(span.span())
    return sorted(ranges)


def _is_boundary(text: str, index: int) -> bool:
    """Whether a name may end just before `index`: at the end of the text or before a non-word character."""
    return index >= len(text) or not _WORD_CHARACTER.match(text[index])


def _candidates_at(text: str, start: int) -> list[str]:
    """The names that `@` at `start - 1` could be followed by, longest first."""
    end = start
    while end < len(text) and end - start < NAME_MAX_LENGTH and _NAME_CHARACTER.match(text[end]):
        end += 1
    return [
        text[start:stop]
        for stop in range(end, start, -1)
        if not text[stop - 1].isspace() and _is_boundary(text, stop)
    ]


def _members_named(candidates: set[str]) -> dict[str, int]:
    """Casefolded name -> id, for the active members whose name is one of `candidates` (ignoring case).
    Asked by the lowercase name (the unique index) or its skeleton (accounts.names), and decided here by
    casefolding: SQLite lowercases only ASCII letters."""
    found: dict[str, int] = {}
    members = get_user_model().objects.filter(is_active=True).annotate(lowered=Lower("display_name"))
    ordered = sorted(candidates)
    for start in range(0, len(ordered), _QUERY_CHUNK):
        chunk = ordered[start : start + _QUERY_CHUNK]
        lowered = {name.lower() for name in chunk}
        skeletons = {names.skeleton(name) for name in chunk}
        rows = members.filter(Q(lowered__in=lowered) | Q(display_name_skeleton__in=skeletons))
        for pk, name in rows.order_by("pk").values_list("pk", "display_name"):
            found.setdefault(name.casefold(), pk)
    wanted = {name.casefold() for name in candidates}
    return {name: pk for name, pk in found.items() if name in wanted}


def _outside(ranges: list[tuple[int, int]], index: int) -> bool:
    return not any(start <= index < end for start, end in ranges)


def store(text: str) -> str:
    """The text to save for `text` as its author typed it: each `@Exact Name` of a member becomes that
    member's stored mention. Raises ValidationError (the text is the form's to keep) past MAX_MENTIONS."""
    text = MENTION_TOKEN.sub(lambda match: f"@\\[{match.group(1)}]", text)
    code = _code_ranges(text)
    positions = [match.end() for match in _AT.finditer(text) if _outside(code, match.start())]
    options = {start: _candidates_at(text, start) for start in positions}
    wanted = {candidate for candidates in options.values() for candidate in candidates}
    members = _members_named(wanted) if wanted else {}
    pieces, done, mentioned = [], 0, []
    for start in positions:
        match = next((name for name in options[start] if name.casefold() in members), None)
        if match is None:
            continue
        pk = members[match.casefold()]
        if pk not in mentioned:
            mentioned.append(pk)
        pieces += [text[done : start - 1], f"@[{pk}]"]
        done = start + len(match)
    if len(mentioned) > MAX_MENTIONS:
        raise ValidationError(
            f"This mentions {len(mentioned)} members; a post can mention at most {MAX_MENTIONS}. Please "
            "take out some of the @names (your text is still here).",
            code="too_many_mentions",
        )
    pieces.append(text[done:])
    return "".join(pieces)


def _ids_in(text: str) -> list[int]:
    ids: list[int] = []
    for match in MENTION_TOKEN.finditer(text or ""):
        pk = int(match.group(1))
        if pk not in ids:
            ids.append(pk)
    return ids


def as_texts(texts: list[str]) -> list[str]:
    """Each stored text with its mentions as `@Current Name` ("a former member" for an account that is
    gone): for an edit form (saving it again stores the same mentions), e-mail and downloads. One query."""
    ids = {pk for text in texts for pk in _ids_in(text)}
    if not ids:
        return list(texts)
    shown = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "display_name"))

    def name(match: re.Match) -> str:
        pk = int(match.group(1))
        return f"@{shown[pk]}" if pk in shown else FORMER_MEMBER

    return [MENTION_TOKEN.sub(name, text or "") for text in texts]


def as_text(text: str) -> str:
    """as_texts() of one text."""
    return as_texts([text])[0]


def mentioned_members(text: str, *, author_id: int | None, before: str = "") -> list[int]:
    """The ids of the members `text` (as stored) mentions, in order, at most MAX_MENTIONS: existing, active
    members only, never the author, and none that `before` (an earlier text of the same post) mentioned
    already. What to notify when the post becomes visible to everyone (see docs/mentions.md)."""
    already = set(_ids_in(before))
    ids = [pk for pk in _ids_in(text)[:MAX_MENTIONS] if pk != author_id and pk not in already]
    if not ids:
        return []
    existing = set(get_user_model().objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    return [pk for pk in ids if pk in existing]
