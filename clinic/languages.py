"""
Which language a visitor reads: English at today's URLs, Spanish under /es/.

The URL decides (django.middleware.locale.LocaleMiddleware, clinic/urls.py). The one
exception is a first visit: a browser that prefers Spanish, opening an English page,
is sent to the same page in Spanish. A visitor who chose a language with the switch in
the header has Django's language cookie, and that choice wins over the browser's.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The patient pages a first visit can land on. Not the admin (English), not the
# patient's own links (their booking's language decides: booking.views), not files.
ENTRY_PAGES = frozenset({"home", "contact", "privacy", "faq:index", "booking:book"})


def entry_page(path: str) -> bool:
    # Resolved as English: unprefixed paths are English ones, whatever language this
    # thread last served.
    try:
        with translation.override(settings.LANGUAGE_CODE):
            match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in ENTRY_PAGES


def preferred_language(request: HttpRequest) -> str:
    """The visitor's chosen language (cookie), else their browser's, else English."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return translation.get_language_from_request(request)


class PreferredLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        unprefixed_entry = request.method in ("GET", "HEAD") and self._unprefixed_entry(
            request.path_info
        )
        if unprefixed_entry:
            language = preferred_language(request)
            if language != settings.LANGUAGE_CODE:
                request.get_host()  # a wrong Host gets Django's 400, as everywhere
                target = f"/{language}{request.path_info}"
                if query := request.META.get("QUERY_STRING"):
                    target += f"?{query}"
                response = HttpResponseRedirect(target)
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
        response = self.get_response(request)
        if unprefixed_entry:
            # The same URL answers differently by browser language and choice: a shared
            # cache must keep them apart.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    @staticmethod
    def _unprefixed_entry(path: str) -> bool:
        prefixes = tuple(f"/{code}/" for code, _ in settings.LANGUAGES)
        return not path.startswith(prefixes) and entry_page(path)
