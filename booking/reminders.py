"""
Which reminders are due, and queueing each one exactly once.

The rule (also in `manage.py run_jobs --help`):

- A reminder is due at reminder.due_at(booking.start): its day relative to the
  appointment day, at its time, on the clinic's calendar (so "3 days before at
  9:00" is 9:00 local time whether or not the clocks changed in between).
- A reminder due before the appointment starts (the NSAID stop, the fluids the
  day before) is sent once its moment has come and as long as the appointment
  has not started. A booking made or confirmed after that moment gets it at once;
  after the start it is pointless and is not sent.
- A reminder due at or after the start ("keep avoiding NSAIDs") is sent from its
  moment until LATE_LIMIT after it: after a long outage, a message about
  yesterday is noise, not help.
- Who gets them: confirmed bookings, and requested ones when
  BookingPolicy.remind_requested is on; after the appointment, confirmed or
  completed ones (a request nobody confirmed did not take place as far as we
  know). Cancelled, no-show and anonymised bookings get none; inactive
  reminders are never sent.
- A moved booking gets its reminders for its new time only: the appointment
  time is part of the outbox's unique key (booking, reminder, appointment_start),
  and emails.notify_rescheduled withdraws unsent ones for the old time.

Exactly once is the database's job: the row is inserted in its own transaction
and a second insert for the same key (another run_jobs at the same moment) fails
with IntegrityError, which means "already queued".
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from booking import emails
from booking.models import Booking, BookingPolicy, OutgoingEmail, Reminder

logger = logging.getLogger(__name__)

Status = Booking.Status
LATE_LIMIT = timedelta(days=1)


@dataclass(frozen=True)
class Due:
    booking: Booking
    reminder: Reminder
    at: datetime


def is_due(booking: Booking, reminder: Reminder, now: datetime, *, remind_requested: bool) -> bool:
    """Whether `reminder` should go to `booking` at `now` (the rule in the module docstring)."""
    if not reminder.is_active or booking.anonymised_at is not None:
        return False
    moment = reminder.due_at(booking.start)
    if moment > now:
        return False
    if moment < booking.start:
        allowed = {Status.CONFIRMED, Status.REQUESTED} if remind_requested else {Status.CONFIRMED}
        return booking.status in allowed and now < booking.start
    return booking.status in {Status.CONFIRMED, Status.COMPLETED} and now < moment + LATE_LIMIT


def due_reminders(now: datetime | None = None) -> list[Due]:
    """Reminders due at `now` that are not yet in the outbox. Four queries."""
    now = now or timezone.now()
    reminders = list(
        Reminder.objects.filter(is_active=True)
        .select_related("instruction")
        .order_by("instruction__service_id", "day", "at", "pk")
    )
    if not reminders:
        return []
    # Only bookings whose day is within reach of some reminder's day, with a
    # margin for time zones and the late limit.
    first_day = min(r.day for r in reminders)
    last_day = max(r.day for r in reminders)
    earliest = now - timedelta(days=max(last_day, 0) + 2)
    latest = now + timedelta(days=max(-first_day, 0) + 2)
    policy = BookingPolicy.current()
    bookings = list(
        Booking.objects.filter(
            status__in=[Status.REQUESTED, Status.CONFIRMED, Status.COMPLETED],
            anonymised_at__isnull=True,
            start__gte=earliest,
            start__lte=latest,
        ).select_related("service")
    )
    if not bookings:
        return []
    already = set(
        OutgoingEmail.objects.filter(booking__in=bookings, reminder__isnull=False).values_list(
            "booking_id", "reminder_id", "appointment_start"
        )
    )
    by_service: dict[int, list[Reminder]] = {}
    for reminder in reminders:
        by_service.setdefault(reminder.instruction.service_id, []).append(reminder)
    found = []
    for booking in bookings:
        for reminder in by_service.get(booking.service_id, []):
            if (booking.pk, reminder.pk, booking.start) in already:
                continue
            if is_due(booking, reminder, now, remind_requested=policy.remind_requested):
                found.append(Due(booking, reminder, reminder.due_at(booking.start)))
    return found


def queue_due(now: datetime | None = None) -> int:
    """Queue every due reminder once; returns how many were queued by this call."""
    now = now or timezone.now()
    queued = 0
    for item in due_reminders(now):
        try:
            with transaction.atomic():
                emails.queue_reminder(item.booking, item.reminder, now=now)
        except IntegrityError:
            # Another run_jobs queued it a moment ago: exactly once, as intended.
            continue
        except Exception:  # noqa: BLE001 - one reminder that cannot be rendered must not hold back the rest
            # Its savepoint is rolled back, so nothing is queued and the next run
            # tries again; the log names the booking and the reminder, no patient data.
            logger.exception(
                "reminder failed booking=%s reminder=%s", item.booking.reference, item.reminder.pk
            )
            continue
        queued += 1
        logger.info(
            "reminder queued booking=%s reminder=%s", item.booking.reference, item.reminder.pk
        )
    return queued
