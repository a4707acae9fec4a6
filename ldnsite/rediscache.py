"""Django's Redis cache backend, made to degrade instead of fail, and to share one client per pool.

Redis holds nothing the site cannot do without (the database is the record of everything), so an error or a
timeout talking to it is a cache miss, never an error page: reads answer their default, writes are dropped,
and an increment counts from zero. After a failure this process leaves Redis alone for RETRY_AFTER_SECONDS,
so that while it is down or frozen readers pay no timeout at all; then one call tries again. The timeouts
themselves (connect and socket, 0.5 s) are set in settings.CACHES.

Django's RedisCacheClient also builds a new ``redis.Redis`` for every cache operation, and redis-py then
copies its table of about 200 response callbacks into a new case-insensitive dict: about 0.2 ms of CPU a
call, several times a page. A client holds no connection of its own (it borrows one from the pool for each
command) and may be shared between threads, so one per pool is kept and reused.
"""

import logging
import time

from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 2.0
_unavailable_until = 0.0  # time.monotonic() before which this process does not call Redis


def is_unavailable() -> bool:
    """True while this process has seen Redis fail within the last RETRY_AFTER_SECONDS."""
    return time.monotonic() < _unavailable_until


def mark_available() -> None:
    """Forget a failure (tests, or a caller that has just seen Redis answer)."""
    global _unavailable_until
    _unavailable_until = 0.0


def _failed(operation: str, error: Exception) -> None:
    global _unavailable_until
    if not is_unavailable():
        logger.warning(
            "Redis failed (%s during %s): the cache is skipped for %.0f s",
            type(error).__name__,
            operation,
            RETRY_AFTER_SECONDS,
        )
    _unavailable_until = time.monotonic() + RETRY_AFTER_SECONDS


def _guarded(operation: str, fallback, call):
    if is_unavailable():
        return fallback
    try:
        return call()
    except (RedisError, OSError) as error:  # OSError: a socket error redis-py did not wrap
        _failed(operation, error)
        return fallback


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client

    def add(self, key, value, timeout):
        return _guarded("add", False, lambda: super(RedisCacheClient, self).add(key, value, timeout))

    def get(self, key, default):
        return _guarded("get", default, lambda: super(RedisCacheClient, self).get(key, default))

    def set(self, key, value, timeout):
        _guarded("set", None, lambda: super(RedisCacheClient, self).set(key, value, timeout))

    def touch(self, key, timeout):
        return _guarded("touch", False, lambda: super(RedisCacheClient, self).touch(key, timeout))

    def delete(self, key):
        return _guarded("delete", False, lambda: super(RedisCacheClient, self).delete(key))

    def get_many(self, keys):
        return _guarded("get_many", {}, lambda: super(RedisCacheClient, self).get_many(keys))

    def has_key(self, key):
        return _guarded("has_key", False, lambda: super(RedisCacheClient, self).has_key(key))

    def incr(self, key, delta):
        return _guarded("incr", delta, lambda: super(RedisCacheClient, self).incr(key, delta))

    def set_many(self, data, timeout):
        _guarded("set_many", None, lambda: super(RedisCacheClient, self).set_many(data, timeout))

    def delete_many(self, keys):
        _guarded("delete_many", None, lambda: super(RedisCacheClient, self).delete_many(keys))

    def clear(self):
        return _guarded("clear", False, lambda: super(RedisCacheClient, self).clear())


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def validate_key(self, key):
        """Nothing to check: Redis takes any key. Django's check warns about keys memcached would refuse, one
        character at a time, which cost 0.7 ms for the 200 texts of a page of comments (one get_many). The
        local-memory cache the tests use still runs it, so a key that memcached would refuse still shows."""
