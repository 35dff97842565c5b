"""
Rate limits for the public forms, per client address and per email address.

With REDIS_URL set the counters live in Redis (shared by every web process, a fixed
window per key); otherwise in the database as token buckets. While Redis is down the
database counts instead: a limit is never skipped because a part is away. Either way keys are
HMACs of the identity, so the limiter stores no address or email in the clear.
"""

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from redis.exceptions import RedisError

from clinic.cache import CacheUnavailable
from clinic.clientip import client_ip
from clinic.models import RateLimitBucket

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    scope: str
    requests: int
    seconds: int


# A patient books once, perhaps corrects a typo or two; a family may share an address.
# Twenty tries an hour from one address and five bookings an hour for one email stop a
# script without ever meeting a real patient. An email limit counts only the posts a
# view accepted (each sends that address a message), never a form sent back with its
# mistakes: a patient who gets the date wrong five times is not locked out.
BOOKING_PER_ADDRESS = Limit("book-address", 20, 3600)
BOOKING_PER_EMAIL = Limit("book-email", 5, 3600)
WAITLIST_PER_EMAIL = Limit("waitlist-email", 5, 3600)
SELF_SERVICE_PER_ADDRESS = Limit("manage-address", 20, 3600)


def hashed_key(limit: Limit, identity: str) -> str:
    return salted_hmac(
        "clinic.ratelimit", f"{limit.scope}:{identity}", algorithm="sha256"
    ).hexdigest()


def _take_from_redis(key: str, limit: Limit) -> bool:
    cache.add(key, 0, timeout=limit.seconds)
    try:
        return cache.incr(key) <= limit.requests
    except ValueError:  # expired between add and incr: start a new window
        cache.set(key, 1, timeout=limit.seconds)
        return True


def _tokens(bucket: RateLimitBucket, limit: Limit, now) -> float:
    """What is in `bucket` at `now`, refilled since it was last touched."""
    elapsed = max((now - bucket.updated_at).total_seconds(), 0)
    return min(limit.requests, bucket.tokens + elapsed * limit.requests / limit.seconds)


def _take_from_database(key: str, limit: Limit) -> bool:
    now = timezone.now()
    with transaction.atomic():
        bucket, created = RateLimitBucket.objects.select_for_update().get_or_create(
            key=key, defaults={"tokens": limit.requests, "updated_at": now}
        )
        tokens = _tokens(bucket, limit, now)
        allowed = tokens >= 1
        bucket.tokens = tokens - 1 if allowed else tokens
        bucket.updated_at = now
        bucket.save(update_fields=["tokens", "updated_at"])
    return allowed


def _left_in_redis(key: str, limit: Limit) -> bool:
    return (cache.get(key) or 0) < limit.requests


def _left_in_database(key: str, limit: Limit) -> bool:
    bucket = RateLimitBucket.objects.filter(key=key).first()
    return bucket is None or _tokens(bucket, limit, timezone.now()) >= 1


def _ask(limit: Limit, identity: str, in_redis: Callable, in_database: Callable) -> bool:
    """Redis when it is configured and up, else the database; any identity is hashed."""
    if not identity:
        return True
    key = hashed_key(limit, identity)
    if settings.REDIS_URL:
        try:
            return in_redis(f"ratelimit:{key}", limit)
        except (CacheUnavailable, RedisError):
            # Logged once per outage by clinic.cache; RedisError for a plain backend.
            pass
    return in_database(key, limit)


def take(limit: Limit, identity: str) -> bool:
    """Spend one request of `identity` under `limit`; False when none is left."""
    return _ask(limit, identity, _take_from_redis, _take_from_database)


def has_left(limit: Limit, identity: str) -> bool:
    """Whether `identity` has a request left under `limit`, spending none."""
    return _ask(limit, identity, _left_in_redis, _left_in_database)


def purge_stale_buckets(older_than: timedelta = timedelta(days=1)) -> int:
    """Buckets untouched for a day are full again; deleting them loses nothing."""
    deleted, _ = RateLimitBucket.objects.filter(
        updated_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


def too_many_requests(request):
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "600"
    return response


def limit_posts(
    *limits: Limit,
    email_field: str | None = None,
    email_limit: Limit | None = None,
    unless: Callable[[HttpRequest], bool] | None = None,
):
    """
    Decorate a view so that its POSTs count against `limits` per client address and,
    when `email_field` is given, against `email_limit` per submitted email address:
    refused once it is spent, and spent only by a POST the view accepted (answered
    with a redirect). POSTs for which `unless(request)` is true are not counted.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            email = ""
            if request.method == "POST" and not (unless and unless(request)):
                address = client_ip(request)
                allowed = all(take(limit, address) for limit in limits)
                if allowed and email_field and email_limit:
                    email = request.POST.get(email_field, "").strip().lower()[:254]
                    allowed = has_left(email_limit, email)
                if not allowed:
                    logger.warning("rate limit reached view=%s", view.__name__)
                    return too_many_requests(request)
            response = view(request, *args, **kwargs)
            if email and response.status_code in (301, 302, 303):
                take(email_limit, email)
            return response

        return wrapped

    return decorator
