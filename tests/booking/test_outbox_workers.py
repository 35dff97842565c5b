"""
Two mail workers at once: every queued message is delivered exactly once.

A claim leases its row for outbox.LEASE from the moment of the claim. A lease
counted from the start of a long run (slow mail server, many messages) would have
expired before the send began, and a second worker would send the row again.
"""

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.utils import timezone

from booking import outbox
from booking.models import OutgoingEmail
from tests.booking.conftest import Inbox
from tests.conftest import NOW


def queue_numbered(count: int) -> list[str]:
    """`count` queued messages to reception with distinct subjects; the subjects."""
    subjects = []
    for number in range(count):
        reference = f"REF{number:05d}"
        outbox.queue(
            to="reception@viningssurgery.example",
            kind=OutgoingEmail.Kind.INSTRUCTIONS,
            template="reception_new",
            context={"reference": reference, "name": "Pat", "when": "", "service": ""},
            send_on_commit=False,
        )
        subjects.append(f"New appointment request {reference}")
    return subjects


@pytest.mark.django_db
def test_a_second_worker_leaves_a_row_claimed_late_in_a_long_run_alone():
    # One worker's run: the first message takes longer than the lease (the fixed
    # clock jumps inside the "mail server"); while the second one is being sent,
    # another worker runs. It must find nothing to send.
    with time_machine.travel(NOW, tick=False) as clock:
        subjects = queue_numbered(2)
        calls, other_worker = [], []
        real_send = LocmemBackend.send_messages

        def slow_server(backend, messages):
            calls.append(messages[0].subject)
            if len(calls) == 1:
                clock.shift(outbox.LEASE + timedelta(minutes=1))
            elif len(calls) == 2:
                other_worker.append(outbox.send_due(timezone.now()))
            return real_send(backend, messages)

        with mock.patch.object(
            LocmemBackend, "send_messages", autospec=True, side_effect=slow_server
        ):
            report = outbox.send_due(NOW)

    assert report.sent == 2
    assert other_worker == [outbox.SendReport()]
    assert sorted(message.subject for message in mail.outbox) == subjects


# Real threads and a real, slow SMTP server; transaction=True so both workers see
# the committed rows. On SQLite (a file in tests) the claims' UPDATEs take turns.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_against_a_slow_server_deliver_each_message_once(
    monkeypatch, smtp_mailer, server
):
    monkeypatch.setattr(outbox, "LEASE", timedelta(seconds=1))
    inbox = server(Inbox(delay=0.2))
    subjects = queue_numbered(12)
    reports, errors = [], []

    def worker(start_after: float) -> None:
        try:
            time.sleep(start_after)
            reports.append(outbox.send_due())
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    # The second worker starts once the first has been running longer than the
    # lease: the rows the first claims from then on are the ones at risk.
    threads = [threading.Thread(target=worker, args=(delay,)) for delay in (0, 1.5)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(inbox.subjects()) == subjects
    assert sum(report.sent for report in reports) == 12
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert time.monotonic() - started < 15
