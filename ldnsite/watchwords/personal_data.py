"""The watched-word log's part of a member's download and of their account's erasure.

A match keeps a short excerpt of what the member wrote (or tried to write, for a blocked text): that is their
text, so it is in their download, and it goes with their account. The words themselves and moderators'
reviews are the site's, and are left out.
"""

from ldnsite.accounts import personal_data

from .models import WatchedWordHit


def export(member) -> list[dict]:
    hits = WatchedWordHit.objects.filter(member=member).order_by("created_at", "pk")
    return [
        {
            "at": hit.created_at,
            "where": hit.where,
            "found": hit.label,
            "action": hit.action,
            "excerpt": hit.excerpt,
        }
        for hit in hits
    ]


def erase(member, *, anonymise: bool) -> None:
    WatchedWordHit.objects.filter(member=member).delete()


def register() -> None:
    # After what the member wrote, before the moderation decisions about it (order 90).
    personal_data.register("watched_word_matches", order=80, export=export, erase=erase)
