"""
The reminder for unfinished health questions or consent, run by `run_jobs`.

The rule, data-driven like booking.reminders: each service's current questionnaire
says when (Questionnaire.reminder_day days before the appointment, at reminder_at,
clinic time; empty: none). From that moment until the appointment starts, a booking
that holds its place (confirmed; requested too when the booking rules remind
requested ones), is not anonymised and still has the questions or the consent to do
gets one email, once per booking and appointment time (a unique constraint on the
outbox, as for the other reminders; a moved booking gets it again for its new time).
None once both are done, none after a cancellation. The email has the links only:
never a question or an answer.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from booking import emails, outbox
from booking.models import Booking, BookingPolicy, OutgoingEmail
from clinic import clock
from intake.models import Questionnaire
from intake.steps import intake_states

logger = logging.getLogger(__name__)

Kind = OutgoingEmail.Kind


def due_at(questionnaire: Questionnaire, start: datetime) -> datetime | None:
    if questionnaire.reminder_day is None:
        return None
    day = clock.today(start) + timedelta(days=questionnaire.reminder_day)
    return clock.at(day, questionnaire.reminder_at)


def due(now: datetime | None = None) -> list[Booking]:
    """Bookings whose intake reminder is due at `now` and not yet queued."""
    now = now or timezone.now()
    questionnaires = {
        q.service_id: q
        for q in Questionnaire.objects.current().filter(reminder_day__isnull=False)
        if q.service_id
    }
    if not questionnaires:
        return []
    policy = BookingPolicy.current()
    statuses = [Booking.Status.CONFIRMED]
    if policy.remind_requested:
        statuses.append(Booking.Status.REQUESTED)
    reach = max(-q.reminder_day for q in questionnaires.values()) + 2
    bookings = list(
        Booking.objects.filter(
            service_id__in=questionnaires,
            status__in=statuses,
            anonymised_at__isnull=True,
            start__gt=now,
            start__lte=now + timedelta(days=reach),
        ).select_related("service")
    )
    if not bookings:
        return []
    already = set(
        OutgoingEmail.objects.filter(booking__in=bookings, kind=Kind.INTAKE_REMINDER).values_list(
            "booking_id", "appointment_start"
        )
    )
    states = intake_states(bookings)
    found = []
    for booking in bookings:
        moment = due_at(questionnaires[booking.service_id], booking.start)
        if moment is None or not moment <= now < booking.start:
            continue
        if (booking.pk, booking.start) in already or states[booking.pk].complete:
            continue
        found.append(booking)
    return found


@emails.in_booking_language
def queue_reminder(booking: Booking, *, now: datetime) -> OutgoingEmail:
    """Inside a transaction: the outbox's unique constraint stops a second one."""
    return outbox.queue(
        to=booking.email,
        kind=Kind.INTAKE_REMINDER,
        template="intake_reminder",
        context=emails.patient_context(booking, **emails.intake_context(booking)),
        booking=booking,
        appointment_start=booking.start,
        now=now,
        send_on_commit=False,
    )


def queue_due(now: datetime | None = None) -> int:
    now = now or timezone.now()
    queued = 0
    for booking in due(now):
        try:
            with transaction.atomic():
                queue_reminder(booking, now=now)
        except IntegrityError:
            continue  # another run_jobs queued it a moment ago
        queued += 1
        logger.info("intake reminder queued booking=%s", booking.reference)
    return queued
