"""
Whole public pages kept as finished HTML, for pages that are the same for every
visitor (the FAQ without a search). One version number covers them all: any change
to what they show, including the opening hours in the footer, bumps it.

Such pages must not carry a CSP nonce, a CSRF token or anything per visitor: a
cached copy would hand the same value to everyone.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "pagecache:version"
TIMEOUT = 60 * 60  # explicit clearing is the rule; this bounds a missed one


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def cached_html(name: str, build: Callable[[], str]) -> str:
    key = f"pagecache:{name}:{_version()}"
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, TIMEOUT)
    return html


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or evicted): any new number will do
        cache.set(VERSION_KEY, 2, timeout=None)


def clear() -> None:
    """Forget every cached page, now and again once the current transaction commits."""
    _bump()
    # A request that read the old rows while the edit was uncommitted may have
    # cached them in between.
    transaction.on_commit(_bump)
