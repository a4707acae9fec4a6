from django.utils.functional import SimpleLazyObject


def unread(request) -> dict:
    """The header's unread count for a signed-in member: worked out only when a page shows it (one query),
    never for an anonymous reader, whose pages the page cache shares (ldnsite.pagecache)."""
    from .services import unread_count

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user)

    return {"unread_notifications": SimpleLazyObject(lambda: _Count(count()))}


class _Count(int):
    """An int that says itself as the header shows it: "99+" past the cap."""

    def __str__(self) -> str:
        from .services import UNREAD_SHOWN_MAX

        return f"{UNREAD_SHOWN_MAX}+" if self > UNREAD_SHOWN_MAX else str(int(self))
