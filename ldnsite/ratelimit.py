"""A fixed-window counter in the shared cache: the same limit holds across every web process."""

import time

from django.core.cache import cache


def is_limited(key: str, *, limit: int, period: int) -> bool:
    """Count one attempt for `key`; True once it goes past `limit` attempts in the current window."""
    window = int(time.time() // period)
    cache_key = f"ratelimit:{key}:{window}"
    if cache.add(cache_key, 1, timeout=period + 1):
        return limit < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=period + 1)
        count = 1
    return count > limit
