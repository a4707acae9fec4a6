"""Display names: one way to tidy them, one way to tell look-alikes apart, one way to change them.

Two names clash when a reader could take one for the other: the same letters in another case, Cyrillic or
Greek letters standing in for Latin ones ("Аnna" with a Cyrillic А), a digit for a letter ("J0hn"), wide or
"mathematical" letters, doubled spaces. Each name's *skeleton* folds those differences away, and the
database keeps skeletons unique (User.display_name_skeleton).

The skeleton is our own, in the spirit of Unicode TR39's: Python has no TR39 data, and of the libraries on
PyPI that carry it, confusable_homoglyphs (2024) and confusables (2021) are no longer released and offer no
skeleton function, and disarm is a 0.x, 4.6 MB Rust toolkit for far more than this. Names may only hold
letters, digits, spaces and . ' - (validators.py), so the table below covers what can actually be typed
there: NFKC (wide, circled-free, mathematical and ligature forms), case, the Cyrillic, Greek and Armenian
letters that look Latin, and digits that look like letters.

The model imports this module (to tidy names and keep skeletons); this module reaches members and their
earlier names through get_user_model() and the user's `display_name_changes`, never by importing the model.
"""

import re
import unicodedata

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

# Capital letters that look like a Latin capital, mapped before case folding (their small letters often do
# not look alike: Greek Η is an H, η is an n). "I" and "l" look the same in most sans-serif fonts.
_CAPITALS = str.maketrans(
    {
        "I": "l", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
        "Т": "T", "Х": "X", "У": "Y", "Ү": "Y", "Ѕ": "S", "І": "l", "Ӏ": "l", "Ј": "J", "Ԛ": "Q", "Ԝ": "W",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "l", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
        "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    }
)  # fmt: skip
# Small letters and digits that look like a Latin small letter, mapped after case folding and NFD.
_SMALL = str.maketrans(
    {
        "0": "o", "1": "l", "5": "s", "8": "b",
        "а": "a", "в": "b", "г": "r", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "ь": "b", "ѕ": "s", "і": "i", "ј": "j", "ӏ": "l", "ԁ": "d",
        "ԛ": "q", "ԝ": "w", "һ": "h", "ү": "y", "ѵ": "v",
        "α": "a", "β": "b", "γ": "y", "ε": "e", "ι": "i", "κ": "k", "μ": "u", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c",
        "օ": "o", "ո": "n", "ս": "u", "հ": "h", "զ": "q", "ց": "g",
        "ı": "i", "ɑ": "a", "ɡ": "g", "ꮃ": "w",
    }
)  # fmt: skip
# Letter pairs that read as one letter at a glance.
_PAIRS = (("rn", "m"), ("vv", "w"))
_SPACES = re.compile(r"\s+")

# How often a member may change their display name, and how long a given-up name stays theirs to take back.
CHANGE_INTERVAL = timezone.timedelta(days=30)
RELEASE_AFTER = timezone.timedelta(days=90)

TAKEN = "That name looks too much like one already in use. Please choose another."


def tidy(name: str) -> str:
    """The form a display name is stored and shown in: NFKC (one way to write each letter), no leading,
    trailing or doubled spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name)).strip()


def skeleton(name: str) -> str:
    """What `name` looks like, for comparison only (never shown): two names that look alike share it."""
    folded = unicodedata.normalize("NFKC", name).translate(_CAPITALS).casefold()
    folded = unicodedata.normalize("NFD", folded).translate(_SMALL)
    for pair, single in _PAIRS:
        folded = folded.replace(pair, single)
    return _SPACES.sub(" ", folded).strip()


def is_taken(name: str, *, by=None) -> bool:
    """Whether `name` looks like the name of another member, or like a name another member gave up less
    than RELEASE_AFTER ago (so nobody can step into a renamed member's old name at once)."""
    shape = skeleton(name)
    others = get_user_model().objects.exclude(pk=getattr(by, "pk", None))
    if others.filter(display_name_skeleton=shape).exists():
        return True
    if others.filter(display_name__iexact=tidy(name)).exists():
        return True
    return others.filter(
        display_name_changes__old_skeleton=shape,
        display_name_changes__changed_at__gte=timezone.now() - RELEASE_AFTER,
    ).exists()


class NameRefused(Exception):
    """The change was not made; the message says why and what to do."""


def next_change_allowed_at(member):
    """When `member` may next change their name (None: now). Only their own changes count."""
    last = (
        member.display_name_changes.filter(changed_by=member)
        .order_by("-changed_at")
        .values_list("changed_at", flat=True)
        .first()
    )
    if last is None or timezone.now() >= last + CHANGE_INTERVAL:
        return None
    return last + CHANGE_INTERVAL


def change_display_name(member, new_name: str, *, by) -> None:
    """Give `member` a new display name and record the old one. Members change their own at most once per
    CHANGE_INTERVAL; an administrator (by != member) is not limited."""
    new_name = tidy(new_name)
    with transaction.atomic():
        member = get_user_model().objects.select_for_update().get(pk=member.pk)
        if new_name == member.display_name:
            return
        if by.pk == member.pk and next_change_allowed_at(member) is not None:
            raise NameRefused(
                "You changed your display name less than 30 days ago. You can change it again from "
                f"{date_format(timezone.localtime(next_change_allowed_at(member)), 'j F Y')}."
            )
        if is_taken(new_name, by=member):
            raise NameRefused(TAKEN)
        old_name = member.display_name
        old_skeleton = member.display_name_skeleton or skeleton(old_name)
        member.display_name = new_name
        try:
            with transaction.atomic():  # a savepoint: two members taking look-alike names at once
                member.save(update_fields=["display_name"])
        except IntegrityError:
            raise NameRefused(TAKEN) from None
        member.display_name_changes.create(
            old_name=old_name, old_skeleton=old_skeleton, new_name=new_name, changed_by=by
        )
