"""`manage.py run_jobs`: the site's deferred work, once or in a loop."""

import logging
import signal
import threading
from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from booking import followups, outbox, reminders
from clinic import clock, ratelimit
from intake import reminders as intake_reminders
from waitlist import offers as waitlist

logger = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def parse_now(value: str) -> datetime:
    """An ISO date and time; without an offset it is clinic time."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"--now must be an ISO date and time such as 2026-12-05T09:00 (clinic time) "
            f"or 2026-12-05T14:00+00:00, not {value!r}."
        ) from None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=clock.zone())
    return moment


class Command(BaseCommand):
    help = (
        "Do the deferred work once and exit: queue the reminders that are due, send "
        "queued mail, and retry failed mail whose next attempt has come. A reminder is "
        "due at its day and time in clinic time; one about the time before the "
        "appointment is sent at once if its moment has passed but the appointment "
        "has not started, one about the time after it only within a day of its "
        "moment; none once its instruction's last day has passed, and a late one is "
        "worded for the moment it is read. A service's own appointment reminder goes "
        "from its moment until the appointment starts. A treatment's health questions "
        "or consent still to do get one reminder from the questionnaire's day and time "
        "until the appointment (none once both are done or after a cancellation). Each "
        "is queued once per appointment time. Follow-ups go once per completed "
        "appointment, from their day and time after it until two weeks later, never to "
        "a patient who stopped them or has booked that service (or the one it invites "
        "to) again. A time that has freed up since the last run (a cancellation, a move, "
        "wider hours, a closure removed) is offered to the waitlisted patients it suits, "
        "in the order they joined, a batch at a time (the booking rules' numbers); "
        "waitlist entries end after their latest day or once the patient has booked. "
        "Failed mail is retried "
        "after 1, 2, 4, 8… minutes (at most 6 hours) and given up, visibly (status "
        "'gave up'), after MAIL_MAX_ATTEMPTS attempts. This is what sends every email "
        "of the site (requests only queue them): each delivery gives up after "
        "EMAIL_DEADLINE seconds, and a run stops at a mail server that is not taking "
        "mail, leaving the rest for the next run. Without Redis it also deletes "
        "rate-limit buckets untouched for a day. Run it from cron every few "
        "minutes, or keep it running with --loop."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", action="store_true", help="Repeat until stopped (SIGTERM or Ctrl-C)."
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=10,
            help="Seconds between runs with --loop (default 10).",
        )
        parser.add_argument(
            "--now",
            help="Pretend it is this time (ISO 8601; without an offset, clinic time). "
            "For tests and for catching up after an outage.",
        )

    def handle(self, *args, loop: bool, interval: int, now: str | None, **options) -> None:
        moment = parse_now(now) if now else None
        if loop and moment is not None:
            raise CommandError("--now fixes the clock, so it cannot be combined with --loop.")
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        if not loop:
            self.run_once(moment)
            return

        stop = threading.Event()

        def request_stop(signum, frame):
            # Finish the current run (a message half-sent would be sent again),
            # then leave.
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in STOP_SIGNALS}
        try:
            while not stop.is_set():
                # A long-running worker must not keep a connection the database
                # has dropped (CONN_MAX_AGE, restarts).
                close_old_connections()
                try:
                    self.run_once(None, quiet_when_idle=True)
                except Exception:  # noqa: BLE001 - the worker outlives one failed run
                    # A database restart or a bug met by one run must not stop
                    # every later reminder: log it, wait, and try again (the
                    # connection is closed above when the error left it unusable).
                    logger.exception("run_jobs run failed; retrying in %s s", interval)
                stop.wait(interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Stopped.")

    def run_once(self, now: datetime | None, *, quiet_when_idle: bool = False) -> None:
        now = now or timezone.now()
        queued = reminders.queue_due(now)
        followed_up = followups.queue_due(now)
        # Health questions or consent still to do before a treatment (the link only).
        queued += intake_reminders.queue_due(now)
        # Freed times offered to the waitlist, batch by batch (waitlist.offers).
        offered = waitlist.scan(now)
        report = outbox.send_due(now)
        if not settings.REDIS_URL:
            # Without Redis the rate limits are rows that nothing else deletes; a
            # bucket untouched for a day is full again, so dropping it loses
            # nothing. Real time, not --now: the buckets live on the real clock.
            purged = ratelimit.purge_stale_buckets()
            if purged:
                logger.info("rate limit buckets purged count=%s", purged)
        busy = queued or followed_up or offered or report.sent or report.failed or report.gave_up
        if quiet_when_idle and not busy:
            # A loop runs every few seconds: a line per idle run would bury the log.
            return
        self.stdout.write(
            f"reminders queued: {queued}, sent: {report.sent}, failed: {report.failed}, "
            f"gave up: {report.gave_up}"
            + (f", follow-ups queued: {followed_up}" if followed_up else "")
            + (f", waitlist offers: {offered}" if offered else "")
        )
