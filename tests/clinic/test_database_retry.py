"""
A GET or HEAD whose database connection is cut in the middle is answered on a new
connection (clinic.middleware.SafeRequestRetryMiddleware): bench/faults.py's
pg_terminate_backend once cost a patient the error page of their booking link.
"""

import pytest
from django.db import OperationalError

from booking import links
from tests.conftest import make_booking

# transaction=True: closing the connection, as the middleware does, would end a test's
# own transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def cut_once(monkeypatch):
    """links.booking_from_token meets a dropped connection the first time it runs."""
    real = links.booking_from_token
    calls = []

    def cut_then_real(token):
        calls.append(token)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return real(token)

    monkeypatch.setattr(links, "booking_from_token", cut_then_real)
    return calls


@pytest.mark.parametrize("method", ["get", "head"])
def test_it_answers_a_cut_safe_request_on_a_new_connection(client, now, cut_once, method):
    booking = make_booking()

    response = getattr(client, method)(links.manage_url(booking))

    assert response.status_code == 200
    assert len(cut_once) == 2
    if method == "get":
        assert booking.reference in response.text


def test_it_tries_only_once(client, now, monkeypatch):
    calls = []

    def always_cut(token):
        calls.append(token)
        raise OperationalError("the database is gone")

    monkeypatch.setattr(links, "booking_from_token", always_cut)
    client.raise_request_exception = False

    response = client.get(links.manage_url(make_booking()))

    assert response.status_code == 500
    assert len(calls) == 2


def test_it_never_repeats_a_post(client, now, cut_once):
    booking = make_booking()
    client.raise_request_exception = False

    response = client.post(links.manage_url(booking) + "cancel/")

    assert response.status_code == 500
    assert len(cut_once) == 1
    booking.refresh_from_db()
    assert booking.status == booking.Status.REQUESTED


def test_other_errors_are_not_retried(client, now, monkeypatch):
    calls = []

    def broken(token):
        calls.append(token)
        raise ValueError("a bug, not a cut")

    monkeypatch.setattr(links, "booking_from_token", broken)
    client.raise_request_exception = False

    assert client.get(links.manage_url(make_booking())).status_code == 500
    assert len(calls) == 1
