"""`manage.py run_jobs`: reminders and mail, once or in a loop, with an overridable clock."""

import os
import signal
import threading
from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from booking import outbox, reminders
from booking.management.commands.run_jobs import parse_now
from booking.models import Booking, OutgoingEmail
from clinic import ratelimit
from clinic.models import RateLimitBucket
from tests.conftest import at, complete_intake, make_booking

LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def run_jobs(*args: str) -> str:
    out = StringIO()
    call_command("run_jobs", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def confirmed(treatment, now) -> Booking:
    """
    Confirmed for Tuesday, December 8, 2026 at 10:00; NSAID reminder due Sat, Dec 5 9:00.
    The real clock is frozen before it (`now`): a claim's lease counts from the later
    of --now and the real time, so on a real day after 5 December the runs at
    --now would find every row still leased. The patient has done their health
    questions and consent, so the intake reminder is not among them.
    """
    booking = make_booking(service=treatment, status=Booking.Status.CONFIRMED)
    complete_intake(booking)
    return booking


@pytest.mark.django_db
def test_it_queues_and_sends_a_due_reminder_and_says_so(confirmed):
    output = run_jobs("--now", "2026-12-05T09:00")

    assert output == "reminders queued: 1, sent: 1, failed: 0, gave up: 0"
    (message,) = mail.outbox
    assert message.to == ["pat@example.com"]
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


@pytest.mark.django_db
def test_running_twice_sends_one_message(confirmed):
    run_jobs("--now", "2026-12-05T09:00")
    output = run_jobs("--now", "2026-12-05T09:05")

    assert output == "reminders queued: 0, sent: 0, failed: 0, gave up: 0"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_time_without_offset_is_clinic_time(confirmed):
    assert run_jobs("--now", "2026-12-05T08:59").startswith("reminders queued: 0,")
    assert run_jobs("--now", "2026-12-05T09:00").startswith("reminders queued: 1,")


@pytest.mark.django_db
def test_a_time_with_an_offset_is_taken_as_given(confirmed):
    # 13:59 UTC is 8:59 in Atlanta in December; 14:00 UTC is 9:00.
    assert run_jobs("--now", "2026-12-05T13:59+00:00").startswith("reminders queued: 0,")
    assert run_jobs("--now", "2026-12-05T14:00Z").startswith("reminders queued: 1,")


@pytest.mark.django_db
def test_it_catches_up_after_an_outage(confirmed):
    # The worker was down from Friday; on Monday it still sends the NSAID
    # reminder (the appointment is ahead) and the day-before one.
    output = run_jobs("--now", "2026-12-07T17:30")

    assert output == "reminders queued: 2, sent: 2, failed: 0, gave up: 0"


@pytest.mark.django_db
def test_it_retries_failed_mail_whose_time_has_come(confirmed):
    with mock.patch(LOCMEM_SEND, side_effect=OSError("Network is unreachable")):
        assert run_jobs("--now", "2026-12-05T09:00") == (
            "reminders queued: 1, sent: 0, failed: 1, gave up: 0"
        )
    assert run_jobs("--now", "2026-12-05T09:00:30").endswith("sent: 0, failed: 0, gave up: 0")

    assert run_jobs("--now", "2026-12-05T09:01") == (
        "reminders queued: 0, sent: 1, failed: 0, gave up: 0"
    )
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@override_settings(MAIL_MAX_ATTEMPTS=2)
def test_it_reports_mail_it_gives_up_on(confirmed):
    with mock.patch(LOCMEM_SEND, side_effect=OSError("Network is unreachable")):
        run_jobs("--now", "2026-12-05T09:00")
        output = run_jobs("--now", "2026-12-05T10:00")

    assert output == "reminders queued: 0, sent: 0, failed: 0, gave up: 1"
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.GAVE_UP


@pytest.mark.parametrize("value", ["tomorrow", "2026-13-01T09:00", "05/12/2026 09:00", ""])
def test_a_bad_now_is_a_clear_error(value):
    with pytest.raises(CommandError, match=r"--now must be an ISO date and time such as"):
        parse_now(value)


def test_now_cannot_be_combined_with_loop():
    with pytest.raises(CommandError, match="cannot be combined with --loop"):
        call_command("run_jobs", "--loop", "--now", "2026-12-05T09:00")


def test_the_interval_must_be_at_least_a_second():
    with pytest.raises(CommandError, match="--interval must be at least 1 second"):
        call_command("run_jobs", "--loop", "--interval", "0")


def stop_during_the_run(queued: int):
    """A queue_due stand-in that reports `queued` and receives SIGTERM mid-run."""
    calls = []

    def queue_due(now):
        calls.append(now)
        os.kill(os.getpid(), signal.SIGTERM)
        return queued

    return calls, mock.patch.object(reminders, "queue_due", side_effect=queue_due)


# Not inside a test transaction: the loop closes stale connections between runs,
# as a long-running worker must.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_loop_finishes_its_run_and_stops_on_sigterm():
    handler_before = signal.getsignal(signal.SIGTERM)
    calls, patch = stop_during_the_run(queued=1)
    with patch:
        output = run_jobs("--loop", "--interval", "60")

    assert len(calls) == 1
    assert output.splitlines() == [
        "reminders queued: 1, sent: 0, failed: 0, gave up: 0",
        "Stopped.",
    ]
    assert signal.getsignal(signal.SIGTERM) == handler_before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_loop_prints_nothing_for_an_idle_run():
    calls, patch = stop_during_the_run(queued=0)
    with patch:
        output = run_jobs("--loop")

    assert output == "Stopped."


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_queue_and_send_one_message(treatment):
    complete_intake(make_booking(service=treatment, status=Booking.Status.CONFIRMED))
    start = threading.Barrier(2)
    outputs, errors = [], []

    def worker():
        try:
            start.wait()
            outputs.append(run_jobs("--now", "2026-12-05T09:00"))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.REMINDER).count() == 1
    queued = sorted(int(out.split(",")[0].rsplit(" ", 1)[1]) for out in outputs)
    assert queued == [0, 1]


@pytest.mark.django_db
def test_send_due_is_what_sends_queued_mail(confirmed):
    reminders.queue_due(at(date(2026, 12, 5), 9))
    assert mail.outbox == []

    assert outbox.send_due(at(date(2026, 12, 5), 9) + timedelta(seconds=1)).sent == 1


# --- The rate limiter's table -----------------------------------------------------


def fill_buckets() -> None:
    """One bucket last used two days ago (stale), one an hour ago (still counting)."""
    with time_machine.travel("2026-11-29 12:00", tick=False):
        ratelimit.take(ratelimit.BOOKING_PER_ADDRESS, "203.0.113.7")
    with time_machine.travel("2026-12-01 11:00", tick=False):
        ratelimit.take(ratelimit.BOOKING_PER_ADDRESS, "198.51.100.1")


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_it_removes_stale_rate_limit_buckets(now):
    fill_buckets()

    run_jobs()

    (kept,) = RateLimitBucket.objects.all()
    assert kept.key == ratelimit.hashed_key(ratelimit.BOOKING_PER_ADDRESS, "198.51.100.1")


@pytest.mark.django_db
@override_settings(REDIS_URL="redis://127.0.0.1:6379/11")
def test_with_redis_a_run_does_not_touch_the_limits_table(now):
    # The limits then live in Redis, which expires them itself.
    with CaptureQueriesContext(connection) as queries:
        run_jobs()

    assert not [q for q in queries if RateLimitBucket._meta.db_table in q["sql"]]
