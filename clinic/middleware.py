"""Site-wide middleware: request ids, the headers Django does not set, staff sessions."""

import logging
import re
import secrets
import time

from django.conf import settings
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from clinic import clock
from clinic.logging import request_id_var

logger = logging.getLogger(__name__)

# A proxy's id is reused only when it looks like one; anything else could smuggle
# text (or personal data) into every log line.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _SAFE_REQUEST_ID.match(incoming) else secrets.token_hex(8)
        token = request_id_var.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        # The time Django itself spent (W3C Server Timing), so that a load test can tell
        # time queued in front of a worker from work done in it. Only a duration is
        # exposed: no names of views, queries or caches.
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        response["X-Request-ID"] = request.id
        return response


class ClinicTimeZoneMiddleware:
    """Show every time, in pages and the admin alike, in the clinic's zone."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.zone = clock.zone()

    def __call__(self, request):
        timezone.activate(self.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SecurityHeadersMiddleware:
    """Headers Django has no setting for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class StaffSessionLimitMiddleware:
    """
    Log staff out STAFF_SESSION_ABSOLUTE_HOURS after they logged in, however busy:
    idle expiry alone would let a busy desk stay logged in forever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault("auth_started_at", int(time.time()))
            if time.time() - started > settings.STAFF_SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class SafeRequestRetryMiddleware:
    """
    Answer a GET or HEAD whose database connection was cut in the middle (a restart,
    pg_terminate_backend, a proxy's timeout) by running it once more on a new
    connection, instead of with the error page.

    Only safe methods: they never change anything (tests/security/test_safe_methods.py
    proves it for every URL), so running one twice is harmless. A POST is never
    repeated here; the booking view handles its own cut (booking.views._book).
    A cut at the start of a request is already caught by CONN_HEALTH_CHECKS; this is
    for one that comes between that check and a later query.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "retry_on_new_connection", False):
            logger.warning("database connection cut during %s; trying once more", request.method)
            connection.close()
            request.database_retried = True
            response = self.get_response(request)
        return response

    def process_exception(self, request, exception):
        if (
            isinstance(exception, OperationalError | InterfaceError)
            and request.method in self.SAFE_METHODS
            and not getattr(request, "database_retried", False)
        ):
            # A response, not None, so that Django neither logs an error nor renders
            # the error page for a request that is about to be answered after all.
            response = HttpResponse(status=503)
            response.retry_on_new_connection = True
            return response
        return None
