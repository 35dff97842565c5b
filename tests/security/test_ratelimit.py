"""The rate limiter: token buckets in the database, fixed windows in Redis, hashed keys."""

import pytest
import time_machine
from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory

from booking.models import Booking
from clinic import ratelimit
from clinic.models import RateLimitBucket
from clinic.ratelimit import Limit, limit_posts, take
from tests.conftest import VALID_BOOKING_POST

THREE_A_MINUTE = Limit("test", 3, 60)


@pytest.fixture(autouse=True)
def _database_limiter(settings):
    """The database token buckets, even when the suite runs with REDIS_URL set."""
    settings.REDIS_URL = ""


@pytest.mark.django_db
def test_it_allows_up_to_the_limit_then_refuses():
    results = [take(THREE_A_MINUTE, "203.0.113.7") for _ in range(4)]

    assert results == [True, True, True, False]


@pytest.mark.django_db
def test_it_refills_over_time():
    with time_machine.travel("2026-12-01 12:00", tick=False) as clock:
        for _ in range(3):
            take(THREE_A_MINUTE, "203.0.113.7")
        assert take(THREE_A_MINUTE, "203.0.113.7") is False

        clock.shift(20)  # a third of the window gives back one request

        assert take(THREE_A_MINUTE, "203.0.113.7") is True
        assert take(THREE_A_MINUTE, "203.0.113.7") is False


@pytest.mark.django_db
def test_identities_are_counted_apart():
    for _ in range(3):
        take(THREE_A_MINUTE, "203.0.113.7")

    assert take(THREE_A_MINUTE, "198.51.100.1") is True


@pytest.mark.django_db
def test_it_stores_no_address_or_email_in_the_clear():
    take(THREE_A_MINUTE, "pat@example.com")

    keys = list(RateLimitBucket.objects.values_list("key", flat=True))
    assert len(keys) == 1
    assert "pat" not in keys[0]
    assert "example" not in keys[0]


@pytest.mark.django_db
def test_stale_buckets_are_purged():
    with time_machine.travel("2026-12-01 12:00", tick=False):
        take(THREE_A_MINUTE, "203.0.113.7")
    with time_machine.travel("2026-12-03 12:00", tick=False):
        take(THREE_A_MINUTE, "198.51.100.1")

        assert ratelimit.purge_stale_buckets() == 1
    assert RateLimitBucket.objects.count() == 1


def test_with_redis_it_counts_in_redis(settings):
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (see README, Development)")
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": "vsc-test",
        }
    }
    from django.core.cache import cache

    cache.clear()
    identity = "redis-203.0.113.7"

    left = [ratelimit.has_left(THREE_A_MINUTE, identity)]
    results = [take(THREE_A_MINUTE, identity) for _ in range(4)]
    left.append(ratelimit.has_left(THREE_A_MINUTE, identity))

    # No django_db mark: touching the database here would error, so Redis did the counting.
    assert results == [True, True, True, False]
    assert left == [True, False]
    cache.clear()


@pytest.mark.django_db
def test_the_decorated_view_answers_429_with_a_friendly_page():
    @limit_posts(THREE_A_MINUTE)
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    statuses = [view(factory.post("/", REMOTE_ADDR="203.0.113.7")).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_gets_are_never_limited():
    @limit_posts(Limit("get", 1, 60))
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()

    assert [view(factory.get("/")).status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.django_db
def test_the_email_limit_applies_across_addresses():
    @limit_posts(Limit("addr", 100, 60), email_field="email", email_limit=Limit("email", 2, 60))
    def view(request):
        return HttpResponseRedirect("/done/")  # accepted

    factory = RequestFactory()
    statuses = [
        view(
            factory.post("/", {"email": "Pat@Example.com"}, REMOTE_ADDR=f"203.0.113.{i}")
        ).status_code
        for i in range(3)
    ]

    assert statuses == [302, 302, 429]


@pytest.mark.django_db
def test_a_form_sent_back_with_its_mistakes_spends_no_email_allowance():
    email_limit = Limit("email", 2, 60)
    accept = {"yes": False}

    @limit_posts(Limit("addr", 100, 60), email_field="email", email_limit=email_limit)
    def view(request):
        return HttpResponseRedirect("/done/") if accept["yes"] else HttpResponse("errors")

    factory = RequestFactory()
    sent_back = [
        view(factory.post("/", {"email": "pat@example.com"})).status_code for _ in range(5)
    ]
    accept["yes"] = True
    accepted = [
        view(factory.post("/", {"email": "pat@example.com"})).status_code for _ in range(3)
    ]

    assert sent_back == [200] * 5
    assert accepted == [302, 302, 429]
    assert not ratelimit.has_left(email_limit, "pat@example.com")


@pytest.mark.django_db
def test_the_booking_form_answers_429_after_too_many_tries_from_one_address(client, settings):
    from clinic.ratelimit import BOOKING_PER_ADDRESS

    statuses = [
        client.post("/book/", {"service": "consultation"}, REMOTE_ADDR="203.0.113.9").status_code
        for _ in range(BOOKING_PER_ADDRESS.requests + 1)
    ]

    assert set(statuses[:-1]) == {200}  # the form again, with its errors
    assert statuses[-1] == 429
    assert (
        "Please try again later"
        in client.post("/book/", REMOTE_ADDR="203.0.113.9").content.decode()
    )


@pytest.mark.django_db
def test_asking_for_other_times_without_javascript_is_not_counted(client):
    from clinic.ratelimit import BOOKING_PER_ADDRESS

    statuses = {
        client.post(
            "/book/", {"service": "consultation", "show_times": "1"}, REMOTE_ADDR="203.0.113.9"
        ).status_code
        for _ in range(BOOKING_PER_ADDRESS.requests + 2)
    }

    assert statuses == {200}


@pytest.mark.django_db
def test_one_email_cannot_be_used_for_many_bookings_from_many_addresses(client, now):
    from clinic.ratelimit import BOOKING_PER_EMAIL

    statuses = [
        client.post(
            "/book/",
            {**VALID_BOOKING_POST, "time": f"{9 + i:02d}:00"},
            REMOTE_ADDR=f"198.51.100.{i}",
        ).status_code
        for i in range(BOOKING_PER_EMAIL.requests + 1)
    ]

    assert statuses[-1] == 429
    assert set(statuses[:-1]) == {302}  # each one booked
    assert Booking.objects.count() == BOOKING_PER_EMAIL.requests


@pytest.mark.django_db
def test_mistakes_on_the_booking_form_never_lock_a_patient_out(client, now):
    from clinic.ratelimit import BOOKING_PER_EMAIL

    for _ in range(BOOKING_PER_EMAIL.requests + 2):
        assert (
            client.post("/book/", {**VALID_BOOKING_POST, "date": "2020-01-01"}).status_code == 200
        )

    assert client.post("/book/", VALID_BOOKING_POST).status_code == 302


@pytest.mark.django_db
def test_self_service_changes_are_limited_per_address(client):
    from booking.links import make_token
    from clinic.ratelimit import SELF_SERVICE_PER_ADDRESS
    from tests.conftest import make_booking

    token = make_token(make_booking())
    url = f"/book/manage/{token}/move/"

    statuses = [
        client.post(url, {}, REMOTE_ADDR="203.0.113.9").status_code
        for _ in range(SELF_SERVICE_PER_ADDRESS.requests + 1)
    ]

    assert statuses[-1] == 429
    assert 429 not in statuses[:-1]
