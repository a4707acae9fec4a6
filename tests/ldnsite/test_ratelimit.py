import os
import uuid

import pytest

from ldnsite import ratelimit
from ldnsite.rediscache import RedisCache

REDIS_URL = os.environ.get("LDNSITE_TEST_REDIS_URL", "")


def test_limit_counts_within_a_window(settings):
    key = "test:window"

    results = [ratelimit.is_limited(key, limit=3, period=60) for _ in range(5)]

    assert results == [False, False, False, True, True]


def test_keys_are_counted_separately():
    for _ in range(3):
        ratelimit.is_limited("test:a", limit=2, period=60)

    assert ratelimit.is_limited("test:a", limit=2, period=60) is True
    assert ratelimit.is_limited("test:b", limit=2, period=60) is False


@pytest.mark.skipif(not REDIS_URL, reason="set LDNSITE_TEST_REDIS_URL (CI does) to test against Redis")
def test_limit_is_shared_between_processes_through_redis(monkeypatch):
    """Two web processes = two cache clients: the count must be one, held in Redis."""
    first = RedisCache(REDIS_URL, {"KEY_PREFIX": "ldnsite-test"})
    second = RedisCache(REDIS_URL, {"KEY_PREFIX": "ldnsite-test"})
    key = f"shared-{uuid.uuid4()}"

    monkeypatch.setattr(ratelimit, "cache", first)
    assert ratelimit.is_limited(key, limit=2, period=3600) is False
    assert ratelimit.is_limited(key, limit=2, period=3600) is False
    monkeypatch.setattr(ratelimit, "cache", second)
    assert ratelimit.is_limited(key, limit=2, period=3600) is True


@pytest.mark.skipif(not REDIS_URL, reason="set LDNSITE_TEST_REDIS_URL (CI does) to test against Redis")
def test_the_redis_backend_reuses_one_client_and_still_works():
    """One redis-py client per pool (ldnsite.rediscache), and every cache operation the site uses works."""
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"ldnsite-test-{uuid.uuid4()}"})

    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache.add("counter", 1) is True and cache.add("counter", 5) is False
    assert cache.incr("counter") == 2
    cache.set("page", {"html": "<p>kept</p>"}, 60)
    assert cache.get_many(["counter", "page", "missing"]) == {"counter": 2, "page": {"html": "<p>kept</p>"}}
    cache.delete("page")
    assert cache.get("page", "gone") == "gone"
