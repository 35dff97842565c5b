"""The visitor's address, for login throttling and rate limits."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """
    REMOTE_ADDR, or behind our reverse proxy (DJANGO_TRUST_X_FORWARDED_FOR) the last
    X-Forwarded-For entry: the one the proxy appended. Earlier entries come from the
    client and can say anything, so trusting them would let anyone dodge a limit or
    lock someone else out.
    """
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
