"""
A slow mail server holds neither a patient nor a worker (issue 9, item 2).

Raw socket servers on 127.0.0.1 misbehave as real ones do: one accepts and never
answers, one dribbles an endless multi-line greeting ("220-" lines). Each delivery
has an overall deadline (booking.smtp, EMAIL_DEADLINE), shorter than the per-read
EMAIL_TIMEOUT here, so only the deadline can end these in time.
"""

import socket
import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from booking import outbox
from booking.models import OutgoingEmail
from tests.booking.conftest import free_port
from tests.conftest import VALID_BOOKING_POST

pytestmark = pytest.mark.django_db

Status = OutgoingEmail.Status
DEADLINE = 1  # seconds for a whole delivery
READ_TIMEOUT = 5  # seconds for one read: longer than the deadline on purpose


class BadServer:
    """
    Accepts connections on 127.0.0.1 and then either says nothing ("silent") or
    sends a "220-" line every 0.1 s ("dribble"), until stopped (at most 30 s).
    """

    def __init__(self, behaviour: str):
        self.behaviour = behaviour
        self.port = free_port()
        self.connections = 0
        self.stopped = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.1)
        self.ends_at = time.monotonic() + 30
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self) -> None:
        while not self.stopped.is_set() and time.monotonic() < self.ends_at:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            while not self.stopped.wait(0.1) and time.monotonic() < self.ends_at:
                if self.behaviour == "dribble":
                    try:
                        client.sendall(b"220-still here\r\n")
                    except OSError:
                        return

    def stop(self) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=2)
        self.listener.close()


@pytest.fixture
def bad_server():
    servers = []

    def start(behaviour: str) -> BadServer:
        server = BadServer(behaviour)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def mailer_at(port: int, **options):
    return override_settings(
        MAILERS={
            "default": {
                "BACKEND": "booking.smtp.EmailBackend",
                "OPTIONS": {
                    "host": "127.0.0.1",
                    "port": port,
                    "use_tls": False,
                    "timeout": READ_TIMEOUT,
                    "deadline": DEADLINE,
                    **options,
                },
            }
        }
    )


def queue_one() -> OutgoingEmail:
    return outbox.queue(
        to="pat@example.com",
        kind=OutgoingEmail.Kind.INSTRUCTIONS,
        template="reception_new",
        context={"reference": "ABCDEFGH", "name": "Pat", "when": "", "service": ""},
        send_on_commit=False,
    )


def timed_send_due(now) -> tuple[outbox.SendReport, float]:
    started = time.monotonic()
    report = outbox.send_due(now)
    return report, time.monotonic() - started


@pytest.mark.parametrize("behaviour", ["silent", "dribble"])
def test_a_delivery_gives_up_at_its_deadline(behaviour, bad_server, now):
    server = bad_server(behaviour)
    email = queue_one()

    with mailer_at(server.port):
        report, elapsed = timed_send_due(now)

    email.refresh_from_db()
    assert report == outbox.SendReport(failed=1)
    assert DEADLINE <= elapsed < DEADLINE + 1.5
    assert email.status == Status.FAILED
    assert "did not finish within 1 s" in email.last_error
    assert email.next_attempt_at == now + timedelta(minutes=1)


def test_run_jobs_is_held_no_longer_than_the_deadline(bad_server, now):
    server = bad_server("dribble")
    for _ in range(5):
        queue_one()
    out = StringIO()

    started = time.monotonic()
    with mailer_at(server.port):
        call_command("run_jobs", stdout=out)
    elapsed = time.monotonic() - started

    # One delivery meets the dead server; the other four wait for the next run
    # instead of a deadline each.
    assert out.getvalue().strip() == "reminders queued: 0, sent: 0, failed: 1, gave up: 0"
    assert elapsed < DEADLINE + 1.5
    assert server.connections == 1


def test_a_timed_out_delivery_is_sent_once_later(bad_server, server, port, now):
    silent = bad_server("silent")
    email = queue_one()
    with mailer_at(silent.port):
        outbox.send_due(now)

    inbox = server()
    with mailer_at(port):
        assert outbox.send_due(now + timedelta(seconds=59)) == outbox.SendReport()
        assert outbox.send_due(now + timedelta(minutes=1)).sent == 1
        assert outbox.send_due(now + timedelta(days=1)) == outbox.SendReport()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 2)
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["Message-ID"] == outbox.message_id(email)


def test_a_server_within_the_deadline_delivers(server, port, now):
    inbox = server()
    queue_one()

    with mailer_at(port, deadline=5):
        assert outbox.send_due(now).sent == 1

    assert len(inbox.messages) == 1


def test_a_booking_request_never_talks_to_the_mail_server(
    client, bad_server, now, django_capture_on_commit_callbacks
):
    silent = bad_server("silent")

    started = time.monotonic()
    with mailer_at(silent.port), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/book/", VALID_BOOKING_POST)
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 0.9 * DEADLINE
    assert silent.connections == 0
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {Status.QUEUED}
