"""
Whole public pages kept as finished responses, for pages that are the same for every
visitor (the FAQ without a search). A view marks such a response with `public()`;
PublicPageCacheMiddleware stores it, headers included, and answers later visitors
from the cache before sessions, CSRF or authentication run. One version number
covers every stored page: any change to what they show, including the opening hours
in the footer, bumps it (`clear()`).

A cache that is down (clinic.cache) means every page is rendered; a change made while
it is down cannot bump the version, and pages stored before it are dropped by TIMEOUT.

Such pages must not carry a CSP nonce, a CSRF token or anything per visitor: a
cached copy would hand the same value to everyone.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from clinic.cache import CacheUnavailable

VERSION_KEY = "pagecache:version"
TIMEOUT = 60 * 60  # explicit clearing is the rule; this bounds a missed one
# Set per request by outer middleware, or per visitor: never stored.
UNSTORED_HEADERS = {"set-cookie", "x-request-id"}


def public(response: HttpResponse) -> HttpResponse:
    """Mark `response` as the same for every visitor, to be served from the cache."""
    response.public_page = True
    return response


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def _key(request: HttpRequest) -> str:
    # Hashed: a path may hold any character, and cache keys may not.
    path = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    return f"pagecache:{path}:{_version()}"


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or evicted): any new number will do
        cache.set(VERSION_KEY, 2, timeout=None)
    except CacheUnavailable:  # the edit stands; see the module's docstring
        pass


def clear() -> None:
    """Forget every stored page, now and again once the current transaction commits."""
    _bump()
    # A request that read the old rows while the edit was uncommitted may have
    # stored them in between.
    transaction.on_commit(_bump)


class PublicPageCacheMiddleware:
    """Answer GETs for stored public pages at once; store the ones views mark public."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only plain GETs from visitors without a session: staff (logged in) always
        # get a freshly rendered page, and a query string means a search.
        cacheable = (
            request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        if cacheable:
            # CommonMiddleware, which checks ALLOWED_HOSTS, is never reached for a
            # stored page: check here, so a wrong Host gets Django's 400 as elsewhere.
            request.get_host()
            stored = cache.get(_key(request))
            if stored is not None:
                content, headers = stored
                return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if cacheable and getattr(response, "public_page", False) and response.status_code == 200:
            headers = {
                name: value
                for name, value in response.headers.items()
                if name.lower() not in UNSTORED_HEADERS
            }
            cache.set(_key(request), (response.content, headers), TIMEOUT)
        return response
