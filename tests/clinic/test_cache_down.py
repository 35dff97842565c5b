"""
A Redis that is down or never answers degrades the site; it never takes it down.

Two dead Redises: a closed port (refused at once) and a server that accepts a
connection and never replies (what a hung or overloaded Redis looks like).
"""

import socket
import threading
import time

import pytest
from django.test import override_settings

from clinic.models import RateLimitBucket
from clinic.ratelimit import Limit, take
from clinic.settings import cache_config
from tests.conftest import make_booking

CLOSED_PORT = "redis://127.0.0.1:6399/12"
THREE_A_MINUTE = Limit("test-down", 3, 60)
PAGES = ["/", "/faq/", "/contact/", "/privacy/", "/book/", "/admin/login/"]


def dead_redis(url: str) -> dict:
    """The cache settings the site runs with when REDIS_URL is `url`."""
    return cache_config(url, per_process_allowed=False)


@pytest.fixture
def silent_redis():
    """A local server that accepts connections and never answers (closed after 5 s)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    held, stop = [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            held.append((time.monotonic(), connection))
            for opened, old in list(held):
                if time.monotonic() - opened > 5:
                    old.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/12"
    stop.set()
    thread.join(timeout=2)
    for _, connection in held:
        connection.close()
    listener.close()


@pytest.fixture
def redis_down(settings):
    settings.REDIS_URL = CLOSED_PORT
    with override_settings(CACHES=dead_redis(CLOSED_PORT)):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_pages_are_served_without_the_cache_when_redis_is_down(client, redis_down, path):
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_a_patient_link_works_when_redis_is_down(client, redis_down):
    from booking.links import make_token

    token = make_token(make_booking())

    assert client.get(f"/book/manage/{token}/").status_code == 200


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_cache_when_redis_is_down(client, redis_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}


@pytest.mark.django_db
def test_rate_limits_fall_back_to_the_database_when_redis_is_down(redis_down):
    results = [take(THREE_A_MINUTE, "203.0.113.7") for _ in range(4)]

    assert results == [True, True, True, False]
    assert RateLimitBucket.objects.count() == 1


@pytest.mark.django_db
def test_a_limited_booking_post_is_still_refused_when_redis_is_down(client, redis_down):
    from clinic.ratelimit import BOOKING_PER_ADDRESS

    statuses = [
        client.post("/book/", {"service": "consultation"}, REMOTE_ADDR="203.0.113.9").status_code
        for _ in range(BOOKING_PER_ADDRESS.requests + 1)
    ]

    assert set(statuses[:-1]) == {200}
    assert statuses[-1] == 429


@pytest.mark.django_db
def test_a_redis_that_never_answers_does_not_hold_pages_up(client, settings, silent_redis):
    settings.REDIS_URL = silent_redis
    with override_settings(CACHES=dead_redis(silent_redis)):
        started = time.monotonic()
        statuses = [client.get(path).status_code for path in ("/faq/", "/faq/", "/")]
        elapsed = time.monotonic() - started

    assert statuses == [200, 200, 200]
    assert elapsed < 2, f"three pages took {elapsed:.1f} s with a silent Redis"
