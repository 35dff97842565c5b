"""
The Redis cache, failing soft: a Redis that is down or does not answer makes the site
slower, never broken.

Reads then miss (`get` returns the default), writes are dropped, and `incr` (and so
`decr`) raises CacheUnavailable, the one thing callers must handle: a counter that silently
reads as "fresh" would let the rate limiter fail open (clinic.ratelimit counts in the
database instead). After a failure the cache is left alone for BREAK_SECONDS in this
process, so that a page needing several lookups does not wait on each of them.

The socket timeouts that make one failure short are in settings.CACHES.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Long enough that a dead Redis costs one timeout every few seconds, short enough
# that a Redis back from a restart is used again at once.
BREAK_SECONDS = 5.0

# Per process and per server: Django builds one backend object per thread.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class CacheUnavailable(Exception):  # noqa: N818 - reads as what happened
    """The cache could not be reached; a counter could not be read or changed."""


class FailSoftRedisCache(RedisCache):
    def _is_down(self) -> bool:
        return _down_until.get(self._server_key, 0.0) > time.monotonic()

    @property
    def _server_key(self) -> str:
        return ",".join(self._servers)

    def _failed(self, operation: str, error: Exception) -> None:
        with _lock:
            was_up = not self._is_down()
            _down_until[self._server_key] = time.monotonic() + BREAK_SECONDS
        if was_up:  # one line per outage and process, not one per request
            logger.warning(
                "cache unavailable op=%s error=%s; serving without it for %ss",
                operation,
                type(error).__name__,
                BREAK_SECONDS,
            )

    def _soft(self, operation: str, default, call):
        if self._is_down():
            return default
        try:
            return call()
        except RedisError as error:
            self._failed(operation, error)
            return default

    def _strict(self, operation: str, call):
        if self._is_down():
            raise CacheUnavailable(operation)
        try:
            return call()
        except RedisError as error:
            self._failed(operation, error)
            raise CacheUnavailable(operation) from error

    def is_available(self) -> bool:
        """Whether Redis answers now (for /healthz): a real round trip, breaker or not."""
        try:
            self._cache.get_client(write=True).ping()
        except RedisError as error:
            self._failed("ping", error)
            return False
        return True

    # -- The cache API -------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._soft(
            "get", default, lambda: super(FailSoftRedisCache, self).get(key, default, version)
        )

    def get_many(self, keys, version=None):
        return self._soft(
            "get_many", {}, lambda: super(FailSoftRedisCache, self).get_many(keys, version)
        )

    def has_key(self, key, version=None):
        return self._soft(
            "has_key", False, lambda: super(FailSoftRedisCache, self).has_key(key, version)
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(
            "add", False, lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version)
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._soft(
            "set", None, lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version)
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Every key "failed" when nothing could be stored, as the API asks.
        return self._soft(
            "set_many",
            list(data),
            lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version),
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(
            "touch", False, lambda: super(FailSoftRedisCache, self).touch(key, timeout, version)
        )

    def delete(self, key, version=None):
        return self._soft(
            "delete", False, lambda: super(FailSoftRedisCache, self).delete(key, version)
        )

    def delete_many(self, keys, version=None):
        self._soft(
            "delete_many", None, lambda: super(FailSoftRedisCache, self).delete_many(keys, version)
        )

    def clear(self):
        return self._soft("clear", False, lambda: super(FailSoftRedisCache, self).clear())

    def incr(self, key, delta=1, version=None):
        return self._strict(
            "incr", lambda: super(FailSoftRedisCache, self).incr(key, delta, version)
        )
