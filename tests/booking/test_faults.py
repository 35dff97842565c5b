"""
The fault benchmark's faults, small enough for CI (bench/faults.py runs them at
load): a worker killed in the middle of a send, and the database dropping the
connections of a web process and of a worker. Nothing is lost, nothing sent twice
by a live worker, no 5xx.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.signals import request_started
from django.db import close_old_connections, connection

from booking import links, outbox, workflow
from booking.models import OutgoingEmail
from tests.conftest import NOW, make_booking


@pytest.mark.django_db
def test_a_message_whose_worker_was_killed_mid_send_is_sent_once_after_its_lease(
    consultation, now
):
    workflow.confirm(make_booking(service=consultation))
    email = OutgoingEmail.objects.get()
    # The killed worker claimed the row (its attempt counted) and never said "sent".
    assert outbox._claim(email.pk, NOW)
    assert outbox.send_due(NOW).sent == 0  # a live worker leaves a leased row alone

    later = NOW + outbox.LEASE + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        first = outbox.send_due(later)
        second = outbox.send_due(later)

    assert (first.sent, second.sent) == (1, 0)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 2)


def drop_connection() -> None:
    """What pg_terminate_backend does to a process: its connection is gone."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    other = connection.copy()  # a second session, as the database administrator's
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def on_postgresql(test):
    """A server whose sessions can be ended; serialized_rollback keeps the seeded services."""
    marks = [
        pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL sessions only"),
        pytest.mark.postgres_only,
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
    ]
    for mark in marks:
        test = mark(test)
    return test


@on_postgresql
def test_a_dropped_database_connection_costs_no_page(client, consultation):
    assert client.get("/book/").status_code == 200
    drop_connection()

    # The server's start of a request (request_started: Django's test client skips
    # it, a real server does not) checks the connection's health, finds it dead and
    # opens a new one: the patient sees the page, not an error.
    request_started.send(sender=__name__)
    assert client.get("/book/?service=consultation").status_code == 200
    assert client.get("/healthz").status_code == 200


@on_postgresql
def test_a_connection_dropped_in_the_middle_of_a_page_costs_no_page(
    client, consultation, monkeypatch
):
    booking = make_booking(service=consultation)
    url = links.manage_url(booking)
    real = links.booking_from_token
    dropped = []

    def dropped_once(token):
        # After the request's health check, before its first query: only a second
        # run on a new connection (SafeRequestRetryMiddleware) can answer it.
        if not dropped:
            dropped.append(token)
            drop_connection()
        return real(token)

    monkeypatch.setattr(links, "booking_from_token", dropped_once)

    response = client.get(url)

    assert response.status_code == 200
    assert booking.reference in response.text


@on_postgresql
def test_a_worker_whose_connection_was_dropped_sends_on_its_next_run(consultation):
    with time_machine.travel(NOW, tick=False):
        workflow.confirm(make_booking(service=consultation))
        drop_connection()
        with pytest.raises(Exception):  # noqa: B017 - the run that meets the cut fails
            call_command("run_jobs", verbosity=0)
        # What run_jobs --loop does before each run: an unusable connection is closed.
        close_old_connections()
        call_command("run_jobs", verbosity=0)

    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
    assert len(mail.outbox) == 1
