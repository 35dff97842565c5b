"""
One bad message never stops the others: each reminder and each outbox row fails alone,
and a run_jobs --loop worker outlives a failed run.
"""

import logging
import os
import signal
from datetime import date
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError

from booking import emails, outbox, reminders
from booking.models import Booking, OutgoingEmail
from tests.conftest import at, complete_intake, make_booking

Status = OutgoingEmail.Status
# Both bookings' NSAID reminder (treatment, day -3 at 9:00) is due then.
NSAID_DUE = "2026-12-05T09:00"


def run_jobs(*args: str) -> str:
    out = StringIO()
    call_command("run_jobs", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def two_confirmed(treatment) -> tuple[Booking, Booking]:
    pat = make_booking(service=treatment, status=Booking.Status.CONFIRMED)
    sam = make_booking(
        service=treatment,
        status=Booking.Status.CONFIRMED,
        name="Sam Second",
        email="sam@example.com",
        start=at(pat.start.date(), 11),
    )
    for booking in (pat, sam):
        complete_intake(booking)  # no intake reminder beside the NSAID one
    return pat, sam


def failing_for(booking: Booking):
    """queue_reminder that raises (a template error, say) for `booking` only."""
    real = emails.queue_reminder

    def queue_reminder(item, reminder, *, now):
        if item.pk == booking.pk:
            raise ValueError("template error")
        return real(item, reminder, now=now)

    return mock.patch.object(emails, "queue_reminder", side_effect=queue_reminder)


# --- Reminders --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reminder_that_cannot_be_rendered_does_not_stop_the_others(two_confirmed):
    pat, sam = two_confirmed
    with failing_for(pat):
        output = run_jobs("--now", NSAID_DUE)

    assert output == "reminders queued: 1, sent: 1, failed: 0, gave up: 0"
    (message,) = mail.outbox
    assert message.to == ["sam@example.com"]
    assert list(OutgoingEmail.objects.values_list("booking", flat=True)) == [sam.pk]


@pytest.mark.django_db
def test_a_reminder_that_cannot_be_rendered_is_logged_by_reference(two_confirmed, caplog):
    pat, _ = two_confirmed
    with failing_for(pat), caplog.at_level(logging.ERROR, logger="booking.reminders"):
        reminders.queue_due(at(date(2026, 12, 5), 9))

    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert pat.reference in record.getMessage()
    assert "reminder=" in record.getMessage()
    assert record.exc_info is not None
    assert "pat@example.com" not in record.getMessage()
    assert "Pat Example" not in record.getMessage()


@pytest.mark.django_db
def test_the_failed_reminder_is_queued_by_a_later_run_once_it_renders(two_confirmed):
    pat, _ = two_confirmed
    with failing_for(pat):
        run_jobs("--now", NSAID_DUE)

    assert run_jobs("--now", "2026-12-05T09:05").startswith("reminders queued: 1, sent: 1,")
    assert len(mail.outbox) == 2


# --- Outbox rows ------------------------------------------------------------------


def queue_two() -> tuple[OutgoingEmail, OutgoingEmail]:
    return tuple(
        outbox.queue(
            to="reception@viningssurgery.example",
            kind=OutgoingEmail.Kind.INSTRUCTIONS,
            template="reception_new",
            context={"reference": reference, "name": "Pat", "when": "", "service": ""},
            send_on_commit=False,
        )
        for reference in ("FIRSTROW", "SECONDRW")
    )


@pytest.mark.django_db
def test_a_row_that_cannot_be_built_is_marked_failed_and_the_next_is_sent(now):
    # Guards the order in send(): the message is built inside the try that marks
    # the row failed, so a stored body or .ics that cannot be encoded fails alone.
    bad, good = queue_two()
    real_build = outbox.build_message

    def build(email):
        if email.pk == bad.pk:
            raise ValueError("bad stored ics")
        return real_build(email)

    with mock.patch.object(outbox, "build_message", side_effect=build):
        report = outbox.send_due(now)

    bad.refresh_from_db()
    assert report == outbox.SendReport(sent=1, failed=1)
    assert (bad.status, bad.last_error) == (Status.FAILED, "ValueError: bad stored ics")
    assert [m.subject for m in mail.outbox] == ["New appointment request SECONDRW"]


@pytest.mark.django_db
def test_a_database_error_after_one_send_does_not_stop_the_others(now, caplog):
    first, second = queue_two()
    real_filter = outbox.OutgoingEmail.objects.filter
    calls = []

    def flaky_filter(*args, **kwargs):
        # The first "mark sent" fails: the database went away for a moment.
        queryset = real_filter(*args, **kwargs)
        if kwargs == {"pk": first.pk} and not calls:
            calls.append(kwargs)
            broken = mock.Mock()
            broken.update.side_effect = OperationalError("server closed the connection")
            return broken
        return queryset

    with mock.patch.object(outbox.OutgoingEmail.objects, "filter", side_effect=flaky_filter):
        report = outbox.send_due(now)

    assert report.sent == 1
    assert len(mail.outbox) == 2  # the first was handed over; the row will say so later
    assert OutgoingEmail.objects.get(pk=second.pk).status == Status.SENT
    assert any(f"email={first.pk}" in r.getMessage() for r in caplog.records)


# --- The loop ---------------------------------------------------------------------


# Not inside a test transaction: the loop closes stale connections between runs.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_loop_outlives_a_run_that_fails(caplog):
    calls = []

    def queue_due(now):
        calls.append(now)
        if len(calls) == 1:
            raise OperationalError("could not connect to server")
        os.kill(os.getpid(), signal.SIGTERM)
        return 1

    with mock.patch.object(reminders, "queue_due", side_effect=queue_due):
        output = run_jobs("--loop", "--interval", "1")

    assert len(calls) == 2
    assert output.splitlines() == [
        "reminders queued: 1, sent: 0, failed: 0, gave up: 0",
        "Stopped.",
    ]
    (record,) = [r for r in caplog.records if r.name.endswith("run_jobs")]
    assert record.levelname == "ERROR"
    assert record.exc_info is not None
