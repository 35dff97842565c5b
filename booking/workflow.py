"""
A booking's life: requested → confirmed → completed, or cancelled / no-show.

Each step changes the booking and queues the emails it causes in one transaction,
so either both happen or neither. Views and admin actions call these functions;
none of them changes a status by hand.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from booking import availability, emails
from booking.models import Booking, Service

Status = Booking.Status


class TransitionNotAllowed(Exception):
    """The booking's status does not allow this step; the message is for staff or patient."""


# Which statuses each step may start from.
ALLOWED_FROM = {
    Status.CONFIRMED: {Status.REQUESTED},
    Status.CANCELLED: {Status.REQUESTED, Status.CONFIRMED},
    Status.COMPLETED: {Status.CONFIRMED, Status.REQUESTED},
    Status.NO_SHOW: {Status.CONFIRMED, Status.REQUESTED},
}


def request(
    service: Service,
    start: datetime,
    *,
    consent_version: str,
    now: datetime | None = None,
    **patient,
) -> Booking:
    """A patient asks for a time. Raises availability.SlotUnavailable when it cannot be had."""
    with transaction.atomic():
        booking = availability.reserve(
            service,
            start,
            now=now,
            consent_at=timezone.now(),
            consent_version=consent_version,
            **patient,
        )
        emails.notify_requested(booking)
    return booking


def _set_status(booking: Booking, status: str) -> None:
    if booking.status not in ALLOWED_FROM[status]:
        raise TransitionNotAllowed(
            f"A {booking.get_status_display().lower()} booking cannot be marked "
            f"{Status(status).label.lower()}."
        )
    booking.status = status
    booking.sequence += 1
    booking.save(update_fields=["status", "sequence", "updated_at"])


def confirm(booking: Booking) -> None:
    with transaction.atomic():
        _set_status(booking, Status.CONFIRMED)
        emails.notify_confirmed(booking)


def cancel(booking: Booking, *, by_patient: bool = False) -> None:
    with transaction.atomic():
        _set_status(booking, Status.CANCELLED)
        emails.notify_cancelled(booking, by_patient=by_patient)


def complete(booking: Booking) -> None:
    with transaction.atomic():
        _set_status(booking, Status.COMPLETED)


def mark_no_show(booking: Booking) -> None:
    with transaction.atomic():
        _set_status(booking, Status.NO_SHOW)


def reschedule(
    booking: Booking, start: datetime, *, by_patient: bool = False, now: datetime | None = None
) -> None:
    """Move to another free time (same rules and lock as a new booking) and tell the patient."""
    if not booking.holds_place:
        raise TransitionNotAllowed("Only requested or confirmed bookings can be moved.")
    with transaction.atomic():
        availability.move(booking, start, now=now)
        emails.notify_rescheduled(booking, by_patient=by_patient)
