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
- Either way a reminder is not sent once its instruction's window is over (the
  fluids reminder after the day of fluids): late, it would ask for what can no
  longer be done. A late one that is still useful is worded for the moment it is
  read ("From now (since Saturday, December 5)", see Reminder).
- A service may have an appointment reminder of its own (Service.reminder_day,
  e.g. the consultation's the day before at 9:00): sent from its moment until
  the appointment starts, once per booking and appointment time.
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
from django.db.models import Q
from django.utils import timezone

from booking import emails
from booking.models import Booking, BookingPolicy, OutgoingEmail, Reminder, Service
from clinic import clock

logger = logging.getLogger(__name__)

Status = Booking.Status
LATE_LIMIT = timedelta(days=1)


@dataclass(frozen=True)
class Due:
    booking: Booking
    reminder: Reminder | None  # None: the service's own appointment reminder
    at: datetime


def _before_start_is_due(
    booking: Booking, moment: datetime, now: datetime, *, remind_requested: bool
) -> bool:
    allowed = {Status.CONFIRMED, Status.REQUESTED} if remind_requested else {Status.CONFIRMED}
    return moment <= now < booking.start and booking.status in allowed


def is_due(booking: Booking, reminder: Reminder, now: datetime, *, remind_requested: bool) -> bool:
    """Whether `reminder` should go to `booking` at `now` (the rule in the module docstring)."""
    if not reminder.is_active or booking.anonymised_at is not None:
        return False
    moment = reminder.due_at(booking.start)
    if moment > now or clock.today(now) > reminder.last_day(booking.start):
        return False
    if moment < booking.start:
        return _before_start_is_due(booking, moment, now, remind_requested=remind_requested)
    return booking.status in {Status.CONFIRMED, Status.COMPLETED} and now < moment + LATE_LIMIT


def appointment_reminder_is_due(
    booking: Booking, now: datetime, *, remind_requested: bool
) -> bool:
    """Whether the service's own appointment reminder should go to `booking` at `now`."""
    moment = booking.service.reminder_due_at(booking.start)
    if moment is None or booking.anonymised_at is not None:
        return False
    return _before_start_is_due(booking, moment, now, remind_requested=remind_requested)


def due_reminders(now: datetime | None = None) -> list[Due]:
    """Reminders due at `now` that are not yet in the outbox. Five queries."""
    now = now or timezone.now()
    reminders = list(
        Reminder.objects.filter(is_active=True)
        .select_related("instruction")
        .order_by("instruction__service_id", "day", "at", "pk")
    )
    service_days = list(
        Service.objects.filter(reminder_day__isnull=False).values_list("reminder_day", flat=True)
    )
    if not reminders and not service_days:
        return []
    # Only bookings whose day is within reach of some reminder's day, with a
    # margin for time zones and the late limit.
    days = [r.day for r in reminders] + service_days
    first_day = min(days)
    last_day = max(days)
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
        OutgoingEmail.objects.filter(booking__in=bookings)
        .filter(Q(reminder__isnull=False) | Q(kind=OutgoingEmail.Kind.APPOINTMENT_REMINDER))
        .values_list("booking_id", "reminder_id", "appointment_start")
    )
    by_service: dict[int, list[Reminder]] = {}
    for reminder in reminders:
        by_service.setdefault(reminder.instruction.service_id, []).append(reminder)
    found = []
    for booking in bookings:
        if (booking.pk, None, booking.start) not in already and appointment_reminder_is_due(
            booking, now, remind_requested=policy.remind_requested
        ):
            found.append(Due(booking, None, booking.service.reminder_due_at(booking.start)))
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
                if item.reminder is None:
                    emails.queue_appointment_reminder(item.booking, now=now)
                else:
                    emails.queue_reminder(item.booking, item.reminder, now=now)
        except IntegrityError:
            # Another run_jobs queued it a moment ago: exactly once, as intended.
            continue
        except Exception:  # noqa: BLE001 - one reminder that cannot be rendered must not hold back the rest
            # Its savepoint is rolled back, so nothing is queued and the next run
            # tries again; the log names the booking and the reminder, no patient data.
            logger.exception(
                "reminder failed booking=%s reminder=%s",
                item.booking.reference,
                item.reminder.pk if item.reminder else "appointment",
            )
            continue
        queued += 1
        logger.info(
            "reminder queued booking=%s reminder=%s",
            item.booking.reference,
            item.reminder.pk if item.reminder else "appointment",
        )
    return queued
