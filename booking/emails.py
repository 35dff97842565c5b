"""
Every email the booking app sends, and to whom.

Each function queues its messages in the outbox (booking.outbox) inside the
caller's transaction; they are sent after commit and retried while the mail
server is away. The words live in templates/emails/: a subject, a text and an
HTML template per kind.

Subjects and calendar titles name the clinic and the appointment's time, never the
service: "Exosome hair-loss treatment" is a treatment, and subjects are read on
lock screens and in shared mailboxes. Patient input (name, notes) goes only into
bodies, never into a header.

Every message to a patient is written in the booking's language (Booking.language),
whoever causes it: a receptionist confirming in the English admin, run_jobs, a
patient on the other language's page. The public functions below are the one place
that decides it (`in_booking_language`): the subject, the bodies, the dates
(clinic.clock writes in the active language), the calendar files and the
self-service link (reversed under /es/ for a Spanish booking) are all made inside
it. Messages to reception are for staff and stay English (`_to_reception`).
"""

import functools
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from booking import links, outbox
from booking.ics import invitation_ics, preparation_ics
from booking.models import Booking, FollowUp, OutgoingEmail, Reminder
from clinic import clock
from clinic.clock import format_day, format_moment, format_time

Kind = OutgoingEmail.Kind
Status = OutgoingEmail.Status


def in_booking_language[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Run `function(booking, ...)` with the booking's language active."""

    @functools.wraps(function)
    def wrapper(booking: Booking, *args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(booking.language or settings.LANGUAGE_CODE):
            return function(booking, *args, **kwargs)

    return wrapper


# --- Context ------------------------------------------------------------------


def _previous_start(booking: Booking) -> datetime | None:
    """The time the booking had before its latest move, from its history."""
    return (
        booking.history.exclude(start=booking.start)
        .order_by("-history_date", "-history_id")
        .values_list("start", flat=True)
        .first()
    )


def patient_context(booking: Booking, **extra) -> dict:
    local = booking.local_start
    context = {
        "booking": booking,
        "reference": booking.reference,
        "service": booking.service.name,
        "when": booking.when,
        "day": format_day(local.date()),
        "time": format_time(local),
        "schedule": booking.schedule(),
        "manage_url": links.manage_url(booking),
        "is_confirmed": booking.status == Booking.Status.CONFIRMED,
    }
    context.update(extra)
    return context


def _when(moment: datetime | None) -> str:
    return format_moment(moment) if moment else ""


def _admin_url(booking: Booking) -> str:
    return settings.SITE_URL + reverse("admin:booking_booking_change", args=[booking.pk])


# --- Queueing -------------------------------------------------------------------


def _to_patient(
    booking: Booking, kind: str, context: dict, *, ics: str = "", preparation: str = ""
) -> None:
    outbox.queue(
        to=booking.email,
        kind=kind,
        template=kind,
        context=context,
        booking=booking,
        ics=ics,
        preparation_ics=preparation,
    )


def _to_reception(booking: Booking, kind: str, **extra) -> None:
    address = settings.CLINIC_RECEPTION_EMAIL
    if not address:
        return
    # For staff: English, whatever the patient's language.
    with translation.override(settings.LANGUAGE_CODE):
        _queue_for_reception(booking, kind, address, **extra)


def _queue_for_reception(booking: Booking, kind: str, address: str, **extra) -> None:
    if "previous" in extra:
        extra["previous_when"] = _when(extra.pop("previous"))
    context = {
        "booking": booking,
        "reference": booking.reference,
        "name": booking.name,
        "service": booking.service.name,
        "when": booking.when,
        "status": booking.get_status_display(),
        "admin_url": _admin_url(booking),
        **extra,
    }
    outbox.queue(to=address, kind=kind, template=kind, context=context, booking=booking)


def intake_context(booking: Booking) -> dict:
    """What is still to do before a treatment, and its links (never a question or answer)."""
    from intake.steps import intake_state  # intake builds on booking

    manage_url = links.manage_url(booking)
    return {
        "intake": intake_state(booking),
        "health_url": manage_url + "health/",
        "consent_url": manage_url + "consent/",
    }


@in_booking_language
def notify_requested(booking: Booking) -> None:
    """Patient: 'we have your request' with instructions; reception: new request."""
    _to_patient(
        booking, Kind.REQUEST_RECEIVED, patient_context(booking, **intake_context(booking))
    )
    _to_reception(booking, Kind.RECEPTION_NEW)


@in_booking_language
def notify_confirmed(booking: Booking) -> None:
    """Patient: confirmation with instructions, the invitation and the preparation days."""
    _to_patient(
        booking,
        Kind.CONFIRMED,
        patient_context(booking),
        ics=invitation_ics(booking),
        preparation=preparation_ics(booking),
    )


@in_booking_language
def notify_rescheduled(booking: Booking, *, by_patient: bool = False) -> None:
    """Patient: the new time (with .ics); reception too when the patient moved it."""
    withdraw_pending_reminders(booking)
    previous = _previous_start(booking)
    _to_patient(
        booking,
        Kind.RESCHEDULED,
        patient_context(booking, by_patient=by_patient, previous_when=_when(previous)),
        ics=invitation_ics(booking),
        preparation=preparation_ics(booking),
    )
    if by_patient:
        _to_reception(booking, Kind.RECEPTION_CHANGE, change="moved", previous=previous)


@in_booking_language
def notify_cancelled(booking: Booking, *, by_patient: bool = False) -> None:
    """Patient: cancelled (with a cancelling .ics); reception too when the patient cancelled."""
    withdraw_pending_reminders(booking)
    # Only withdraw a calendar entry the patient was sent: a request that was
    # never confirmed or moved has none, and a stray CANCEL confuses calendars.
    had_calendar_entry = booking.emails.exclude(ics="").exists()
    had_preparation_file = booking.emails.exclude(preparation_ics="").exists()
    _to_patient(
        booking,
        Kind.CANCELLED,
        patient_context(
            booking,
            by_patient=by_patient,
            has_calendar=had_calendar_entry,
            has_preparation_file=had_preparation_file,
        ),
        ics=invitation_ics(booking) if had_calendar_entry else "",
        preparation=preparation_ics(booking) if had_preparation_file else "",
    )
    if by_patient:
        _to_reception(booking, Kind.RECEPTION_CHANGE, change="cancelled")


@in_booking_language
def resend_instructions(booking: Booking) -> None:
    """Patient: the instructions with their dates again."""
    _to_patient(booking, Kind.INSTRUCTIONS, patient_context(booking))


# --- Reminders ------------------------------------------------------------------


@in_booking_language
def queue_reminder(booking: Booking, reminder: Reminder, *, now: datetime) -> OutgoingEmail:
    """
    One reminder for the booking's current time. Must run in a transaction or
    savepoint: the outbox's unique constraint raises IntegrityError when this
    reminder was already queued for this appointment time (see booking.reminders).
    """
    context = patient_context(
        booking,
        # Worded for the moment it is sent: a late one says "since", not "today".
        message=reminder.render(booking.start, now),
        topic=reminder.render_subject(booking.start, now),
        instruction=reminder.instruction,
        # Its Spanish is not reviewed yet: the message is the English one, marked so.
        reminder_pending=reminder.translation_pending,
        appointment_ahead=booking.start > now,
    )
    return outbox.queue(
        to=booking.email,
        kind=Kind.REMINDER,
        template="reminder",
        context=context,
        booking=booking,
        reminder=reminder,
        appointment_start=booking.start,
        now=now,
        send_on_commit=False,
    )


@in_booking_language
def queue_appointment_reminder(booking: Booking, *, now: datetime) -> OutgoingEmail:
    """
    The service's own appointment reminder (Service.reminder_day) for the
    booking's current time; like queue_reminder, once per appointment time.
    """
    return outbox.queue(
        to=booking.email,
        kind=Kind.APPOINTMENT_REMINDER,
        template="appointment_reminder",
        context=patient_context(booking, relative_day=_relative_day(booking, now)),
        booking=booking,
        appointment_start=booking.start,
        now=now,
        send_on_commit=False,
    )


@in_booking_language
def queue_follow_up(booking: Booking, follow_up: FollowUp, *, now: datetime) -> OutgoingEmail:
    """
    One follow-up after a completed appointment (booking.followups); like the
    reminders, the outbox's unique key makes a second one raise IntegrityError.
    """
    from booking import followups

    invite_url = ""
    if follow_up.invite_to_id:
        invite_url = (
            settings.SITE_URL + reverse("booking:book") + f"?service={follow_up.invite_to.slug}"
        )
    stop_url = followups.stop_url(booking)
    # An English text (its Spanish not reviewed yet) gets its date in English too.
    text_language = settings.LANGUAGE_CODE if follow_up.translation_pending else None
    with translation.override(text_language or translation.get_language()):
        message = follow_up.render(booking.start)
        topic = follow_up.render_subject(booking.start)
    context = {
        "booking": booking,
        "message": message,
        "topic": topic,
        "pending": follow_up.translation_pending,
        "invite_url": invite_url,
        "invite_service": follow_up.invite_to.name if follow_up.invite_to_id else "",
        "stop_url": stop_url,
    }
    return outbox.queue(
        to=booking.email,
        kind=Kind.FOLLOW_UP,
        template="follow_up",
        context=context,
        booking=booking,
        follow_up=follow_up,
        unsubscribe_url=stop_url,
        now=now,
        send_on_commit=False,
    )


def _relative_day(booking: Booking, now: datetime) -> str:
    """'today' or 'tomorrow' when the appointment is that close, else ''."""
    days = (booking.local_start.date() - clock.today(now)).days
    # A key, not words: each template words the whole sentence for each case.
    return {0: "today", 1: "tomorrow"}.get(days, "")


def withdraw_pending_reminders(booking: Booking) -> int:
    """
    Drop reminders queued but not yet sent that no longer fit the booking: all of
    them once it is cancelled, those for an earlier time once it has moved. They
    were never sent, so no record is lost; the booking's new time gets its own.
    """
    pending = booking.emails.pending().filter(
        Q(reminder__isnull=False) | Q(kind=Kind.APPOINTMENT_REMINDER)
    )
    if booking.status != Booking.Status.CANCELLED:
        pending = pending.exclude(appointment_start=booking.start)
    deleted, _ = pending.delete()
    return deleted
