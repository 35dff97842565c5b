"""
A booking's life: requested → confirmed → completed, or cancelled / no-show.

Every change to a booking is one of the steps below, and nothing else changes a
booking's status or time: the patient pages, the admin and the jobs all call
them. Each step runs in one transaction that locks the booking's row, re-reads
it, checks the step's guard on that fresh copy (never on a copy a page loaded a
minute ago), changes it and queues the emails it causes, so either all of it
happens or none. The caller's object is refreshed afterwards.

The guards live in STEPS and refusal(); allowed_steps() tells the admin which
buttons and actions to offer, from the same table.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from simple_history.utils import update_change_reason

from booking import availability, emails
from booking.models import Booking, BookingPolicy, Service

Status = Booking.Status


class TransitionNotAllowed(Exception):
    """The booking's state does not allow this step; the message is for staff or patient."""


@dataclass(frozen=True)
class Step:
    label: str  # the admin's button and action
    done: str  # completes "2 bookings …" in the admin's message
    allowed_from: frozenset[str]
    wrong_status: str  # why not, with {status}: the booking's status, in lower case
    # Completed and no-show describe what happened: not before it could happen.
    after_start: bool = False
    danger: bool = False


HOLDING = frozenset(Booking.HOLDS_PLACE)

STEPS: dict[str, Step] = {
    "confirm": Step(
        "Confirm",
        "confirmed; the patient has been emailed",
        frozenset({Status.REQUESTED}),
        "A {status} booking cannot be marked confirmed.",
    ),
    "complete": Step(
        "Mark completed",
        "marked completed",
        HOLDING,
        "A {status} booking cannot be marked completed.",
        after_start=True,
    ),
    "no_show": Step(
        "Mark no-show",
        "marked as no-show",
        HOLDING,
        "A {status} booking cannot be marked no-show.",
        after_start=True,
    ),
    "resend": Step(
        "Resend instructions",
        "had their instructions resent",
        HOLDING,
        "Instructions are resent only for requested or confirmed bookings.",
    ),
    "move": Step(
        "Move",
        "moved; the patient has been emailed",
        HOLDING,
        "Only requested or confirmed bookings can be moved.",
    ),
    "cancel": Step(
        "Cancel booking",
        "cancelled; the patient has been emailed",
        HOLDING,
        "A {status} booking cannot be marked cancelled.",
        danger=True,
    ),
}
# Steps the admin offers as buttons and list actions (moving is the change form's).
BUTTONS = ("confirm", "complete", "no_show", "resend", "cancel")

# For the patient (their self-service page), in their language.
NOT_ONLINE = gettext_lazy(
    "This appointment can no longer be changed online. Please call us if you need to."
)


def refusal(
    booking: Booking, key: str, *, now: datetime | None = None, by_patient: bool = False
) -> str | None:
    """Why `booking` cannot take step `key` now; None when it can."""
    step = STEPS[key]
    now = now or timezone.now()
    if booking.anonymised_at is not None:
        return "This booking's personal details have been removed; it cannot be changed."
    if by_patient and not booking.patient_can_change(now):
        return NOT_ONLINE
    if booking.status not in step.allowed_from:
        return step.wrong_status.format(status=booking.get_status_display().lower())
    if step.after_start and not booking.has_started(now):
        what = step.label.removeprefix("Mark ")
        return f"A booking cannot be marked {what} before its appointment has started."
    if key == "complete" and booking.service.kind == Service.Kind.TREATMENT:
        # Screened before treated: a signed consent and a clinician's clearance.
        from intake.steps import completion_refusal  # intake builds on this module

        return completion_refusal(booking)
    return None


def allowed_steps(
    booking: Booking, *, now: datetime | None = None, by_patient: bool = False
) -> list[str]:
    return [key for key in STEPS if refusal(booking, key, now=now, by_patient=by_patient) is None]


@contextmanager
def _locked(
    booking: Booking, key: str, *, now: datetime | None, by_patient: bool = False
) -> Iterator[Booking]:
    """The booking's row, locked and read afresh, once the step's guard allows it."""
    with transaction.atomic():
        current = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("service")
            .get(pk=booking.pk)
        )
        if problem := refusal(current, key, now=now, by_patient=by_patient):
            raise TransitionNotAllowed(problem)
        yield current
    booking.refresh_from_db()


CONSULTATION_WAIVED = "Booked at the desk without a consultation (override)"


# --- New bookings ------------------------------------------------------------------


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


def book_at_desk(
    service: Service,
    start: datetime,
    *,
    consent_version: str,
    skip_notice: bool = False,
    without_consultation: bool = False,
    now: datetime | None = None,
    **patient,
) -> Booking:
    """
    Reception books a caller: agreed on the phone, so confirmed at once and the
    patient gets the confirmation with their instructions. `skip_notice` lets the
    desk fit in a patient who calls this morning; `without_consultation` books a
    treatment that requires a consultation for a patient without one (the desk's
    explicit override, kept on the booking and in its history); every other rule
    still applies.
    """
    with transaction.atomic():
        # The rules' lock first (as in move()): the consultation looked for below
        # cannot change before the booking is written.
        BookingPolicy.objects.locked()
        waived = without_consultation and not availability.has_consultation_before(
            service, start, patient.get("email", "")
        )
        booking = availability.reserve(
            service,
            start,
            now=now,
            skip_notice=skip_notice,
            skip_consultation=without_consultation,
            status=Status.CONFIRMED,
            confirmed_at=timezone.now(),
            consent_at=timezone.now(),
            consent_version=consent_version,
            consultation_waived=waived,
            **patient,
        )
        if waived:
            update_change_reason(booking, CONSULTATION_WAIVED)
        emails.notify_confirmed(booking)
    return booking


# --- Steps on a booking ----------------------------------------------------------------


def _set_status(booking: Booking, status: str, **fields) -> None:
    """The new status (and any field that goes with it) in one save, one history row."""
    booking.status = status
    booking.sequence += 1
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save(update_fields=["status", "sequence", "updated_at", *fields])


def confirm(booking: Booking, *, now: datetime | None = None) -> None:
    """Reception confirms a request. Refused when a closure or new hours have stranded it."""
    with _locked(booking, "confirm", now=now) as current:
        # A day closed since the booking was made, or hours cut around it: the
        # patient must not be told "confirmed" for a time the clinic is shut.
        upcoming = not current.has_started(now)
        rules = availability.Rules.load(now=now) if upcoming else None
        if rules and (problem := availability.stranding(rules, current)):
            raise TransitionNotAllowed(f"{problem} Move the booking or cancel it first.")
        _set_status(current, Status.CONFIRMED, confirmed_at=now or timezone.now())
        emails.notify_confirmed(current)


def cancel(booking: Booking, *, by_patient: bool = False, now: datetime | None = None) -> None:
    with _locked(booking, "cancel", now=now, by_patient=by_patient) as current:
        _set_status(current, Status.CANCELLED)
        emails.notify_cancelled(current, by_patient=by_patient)


def move(
    booking: Booking,
    start: datetime,
    *,
    by_patient: bool = False,
    skip_notice: bool = False,
    now: datetime | None = None,
) -> None:
    """
    Move to another free time, under the same rules and lock as a new booking, and
    tell the patient (and reception, when the patient moved it).
    """
    with transaction.atomic():
        # The rules' lock first, as in reserve(): every step takes the locks in
        # one order, so two of them never wait for each other.
        BookingPolicy.objects.locked()
        with _locked(booking, "move", now=now, by_patient=by_patient) as current:
            if start == current.start:
                raise TransitionNotAllowed("That is already the appointment's time.")
            # A patient may not move a treatment before its consultation; the desk
            # decides (and a treatment the desk booked without one stays so).
            availability.move(
                current,
                start,
                now=now,
                skip_notice=skip_notice,
                skip_consultation=not by_patient or current.consultation_waived,
            )
            emails.notify_rescheduled(current, by_patient=by_patient)


# What staff may correct on a booking without a step of its own.
DETAIL_FIELDS = ("name", "email", "phone", "language", "internal_notes")


def update_details(booking: Booking, **details: str) -> None:
    """
    Save corrected details, and only them: a full save of a form's copy would write
    back a status or time that changed since the form was opened.
    """
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not a detail staff may edit: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        for name, value in details.items():
            setattr(current, name, value)
        current.save(update_fields=[*details, "updated_at"])
    booking.refresh_from_db()


def complete(booking: Booking, *, now: datetime | None = None) -> None:
    with _locked(booking, "complete", now=now) as current:
        _set_status(current, Status.COMPLETED)


def mark_no_show(booking: Booking, *, now: datetime | None = None) -> None:
    with _locked(booking, "no_show", now=now) as current:
        _set_status(current, Status.NO_SHOW)


def resend(booking: Booking, *, now: datetime | None = None) -> None:
    """Send the patient their instructions with their dates again."""
    with _locked(booking, "resend", now=now) as current:
        emails.resend_instructions(current)


RUN = {
    "confirm": confirm,
    "complete": complete,
    "no_show": mark_no_show,
    "resend": resend,
    "cancel": cancel,
}
