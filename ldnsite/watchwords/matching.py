"""Finding watched words in a text, and logging what was found.

    result = scan(text)            # the active words, read once and kept briefly in the shared cache
    if result.blocked: ...         # refuse, saying what was found (result.labels(Action.BLOCK))
    record(result, where="comment", member=member, obj=comment, shown=True)

A word is either a list of words or phrases (one a line, any case, whole words: "buy ldn" finds "Buy  LDN"
but not "buyldn") or a regular expression (any case). Regular expressions are checked when a moderator saves
them (check_regex): Python's re cannot be interrupted, so a pattern that could backtrack for ever is refused
instead of timed: a repeat without an upper bound may not contain another such repeat or an alternation.
"""

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

# The parser that re itself uses (the public sre_parse and sre_constants names warn since Python 3.11).
from re import _constants as sre_constants
from re import _parser as sre_parse

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model

from ldnsite.ratelimit import is_limited

from .models import EXCERPT_MAX_LENGTH, PATTERN_MAX_LENGTH, Action, MatchType, WatchedWord, WatchedWordHit

logger = logging.getLogger(__name__)


CACHE_KEY = "watchwords:active"
# Refused attempts logged per member (and for all sign-ups together) an hour: someone retrying a blocked text
# in a loop must not fill the log.
ATTEMPTS_LOGGED_PER_HOUR = 20
SIGNUP_ATTEMPTS_LOGGED_PER_HOUR = 200
CACHE_SECONDS = 60
# Characters kept either side of a match in the log's excerpt.
AROUND = 60
UNBOUNDED = sre_constants.MAXREPEAT
REPEATS = (
    sre_constants.MAX_REPEAT,
    sre_constants.MIN_REPEAT,
    getattr(sre_constants, "POSSESSIVE_REPEAT", None),
)


@dataclass(frozen=True)
class Word:
    """What scanning needs of a WatchedWord (what the cache keeps)."""

    pk: int
    label: str
    action: str
    match_type: str
    pattern: str


@dataclass(frozen=True)
class Match:
    word: Word
    excerpt: str

    @property
    def label(self) -> str:
        return self.word.label

    @property
    def action(self) -> str:
        return self.word.action


@dataclass(frozen=True)
class Result:
    """The watched words a text matched, at most one match per word."""

    matches: list[Match] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.matches)

    def _with(self, action: str) -> list[Match]:
        return [match for match in self.matches if match.action == action]

    @property
    def blocked(self) -> list[Match]:
        return self._with(Action.BLOCK)

    @property
    def held(self) -> list[Match]:
        return self._with(Action.HOLD)

    @property
    def flagged(self) -> list[Match]:
        return self._with(Action.FLAG)

    def labels(self, action: str | None = None) -> list[str]:
        """The labels found, each once, in the words' order."""
        chosen = self.matches if action is None else self._with(action)
        return list(dict.fromkeys(match.label for match in chosen))

    @property
    def hold_reason(self) -> str:
        """Why the text waits, for the moderation log's reason ("" if no word holds it)."""
        labels = self.labels(Action.HOLD)
        return f"Held for watched words: {', '.join(labels)}." if labels else ""


# Compiling --------------------------------------------------------------------------------------------------


def _phrases_regex(pattern: str) -> str:
    phrases = [" ".join(line.split()) for line in pattern.splitlines() if line.strip()]
    escaped = [r"\s+".join(re.escape(part) for part in phrase.split(" ")) for phrase in phrases]
    return r"(?<!\w)(?:" + "|".join(escaped) + r")(?!\w)" if escaped else r"(?!x)x"


@lru_cache(maxsize=512)
def compiled(match_type: str, pattern: str) -> re.Pattern:
    source = pattern if match_type == MatchType.REGEX else _phrases_regex(pattern)
    return re.compile(source, re.IGNORECASE)


def _risky(items, inside_unbounded: bool = False) -> str:
    """Why a parsed pattern could backtrack for ever, or "" (see the module's docstring)."""
    for op, arg in items:
        if op in REPEATS:
            low, high, body = arg
            unbounded = high == UNBOUNDED
            if unbounded and inside_unbounded:
                return "a repeat (*, + or {n,}) inside another repeat"
            reason = _risky(body, inside_unbounded or unbounded)
            if reason:
                return reason
        elif op == sre_constants.BRANCH:
            if inside_unbounded:
                return "alternatives (|) inside a repeat"
            for branch in arg[1]:
                if reason := _risky(branch, inside_unbounded):
                    return reason
        elif op == sre_constants.SUBPATTERN:
            if reason := _risky(arg[-1], inside_unbounded):
                return reason
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            if reason := _risky(arg[1], inside_unbounded):
                return reason
        elif op == sre_constants.GROUPREF or op == getattr(sre_constants, "GROUPREF_EXISTS", None):
            return "a back-reference (\\1)"
    return ""


def check_regex(pattern: str) -> str:
    """ "" if a moderator's regular expression may be used, else why not, in words a moderator reads."""
    if len(pattern) > PATTERN_MAX_LENGTH:
        return f"Keep the pattern to {PATTERN_MAX_LENGTH} characters."
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
        re.compile(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"This is not a valid regular expression: {exc}."
    if compiled(MatchType.REGEX, pattern).search(""):
        return "This pattern matches an empty text, so it would match everything."
    reason = _risky(list(parsed))
    if reason:
        return (
            f"This pattern has {reason}, which can make matching take minutes on a long text. "
            "Write it without that, for example with a bounded repeat like {1,40} inside a group."
        )
    return ""


# Scanning ---------------------------------------------------------------------------------------------------


def active_words() -> list[Word]:
    """The active words, from the shared cache when it answers, else from the database."""
    try:
        words = cache.get(CACHE_KEY)
    except Exception:  # the cache is down: the database is the record
        logger.warning("watched words: cache unavailable, reading the database", exc_info=True)
        words = None
    if words is None:
        words = [
            Word(w.pk, w.label, w.action, w.match_type, w.pattern)
            for w in WatchedWord.objects.active().order_by("pk")
        ]
        try:
            cache.set(CACHE_KEY, words, CACHE_SECONDS)
        except Exception:
            logger.warning("watched words: cache unavailable, not kept", exc_info=True)
    return words


def _drop() -> None:
    try:
        cache.delete(CACHE_KEY)
    except Exception:
        logger.warning("watched words: cache unavailable, could not drop the list", exc_info=True)


def forget() -> None:
    """After a word changes: the next scan reads the database (every process: the cache is shared). Dropped
    now, and again after the commit, in case another process kept the old list in between."""
    _drop()
    transaction.on_commit(_drop)


def excerpt(text: str, start: int, end: int) -> str:
    before = max(0, start - AROUND)
    after = min(len(text), end + AROUND)
    shown = " ".join(text[before:after].split())
    return (("…" if before else "") + shown + ("…" if after < len(text) else ""))[:EXCERPT_MAX_LENGTH]


def find(word: Word, text: str) -> Match | None:
    try:
        found = compiled(word.match_type, word.pattern).search(text)
    except re.error:  # saved before a check existed, or by hand: skip it rather than refuse everything
        logger.warning("watched word %s has a bad pattern", word.pk)
        return None
    return Match(word, excerpt(text, found.start(), found.end())) if found else None


def scan(*texts: str, words: list[Word] | None = None) -> Result:
    """The active watched words found in these texts (each part of one post, such as a title and a body)."""
    text = "\n".join(part for part in texts if part)
    matches = []
    for word in active_words() if words is None else words:
        if (match := find(word, text)) is not None:
            matches.append(match)
    return Result(matches)


def record(
    result: Result, *, where: str, member, obj: Model | None = None, url: str = "", shown: bool = False
):
    """Log every match of `result`. `where` names the kind of text ("comment", "story", "display name"),
    `obj` what was saved (for a refused attempt: what it would have changed, or none), `shown` whether it is
    public despite the match: then its held and flagged matches wait in the moderators' queue for a look.
    Refused attempts are logged up to ATTEMPTS_LOGGED_PER_HOUR per member."""
    if not result:
        return []
    if obj is not None and not url:
        url = getattr(obj, "get_absolute_url", lambda: "")()
    member = member if getattr(member, "pk", None) else None
    if result.blocked:  # a refused attempt: what is saved never holds a blocked word
        key, limit = (
            (member.pk, ATTEMPTS_LOGGED_PER_HOUR) if member else ("signup", SIGNUP_ATTEMPTS_LOGGED_PER_HOUR)
        )
        if is_limited(f"watchwords-attempts:{key}", limit=limit, period=60 * 60):
            return []
    return WatchedWordHit.objects.bulk_create(
        WatchedWordHit(
            word_id=match.word.pk,
            label=match.label,
            action=match.action,
            where=where,
            object_id=obj.pk if obj is not None else None,
            url=url[:300],
            member=member,
            excerpt=match.excerpt,
            needs_review=shown and match.action != Action.BLOCK,
        )
        for match in result.matches
    )


def hits_by_object(where: str, ids) -> dict[int, list[WatchedWordHit]]:
    """The log's matches for these objects of one kind, in one query: for the queue's cards."""
    found: dict[int, list[WatchedWordHit]] = {}
    if not ids:
        return found
    for hit in WatchedWordHit.objects.filter(where=where, object_id__in=list(ids)).order_by("pk"):
        found.setdefault(hit.object_id, []).append(hit)
    return found


def blocked_message(result: Result) -> str:
    """What a member reads when their text is refused. It names what was found, so they can take it out."""
    found = result.labels(Action.BLOCK)
    listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
    return (
        f"This site does not accept {listed} in what members write, so your text was not sent. "
        "Your text is still here: take that part out and send it again."
    )
