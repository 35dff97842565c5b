"""
The calendar file (.ics) sent with confirmations, changes and cancellations.

It holds the appointment and, as all-day events, each instruction over its own
dates (no NSAIDs from three days before, fluids the day before…), so the patient's
own calendar shows and reminds them. Every event has a UID that never changes and
SEQUENCE = booking.sequence (raised on every change), so a new time or a
cancellation updates the entries already in the calendar instead of adding more.

Titles name the clinic and the step, never the treatment: calendars are shared
and shown on lock screens.
"""

from datetime import UTC, date, datetime, timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from booking.models import Booking, Instruction

PRODID = "-//Vinings Surgery Center//Appointments//EN"
# Part of every UID: must never change, or calendars would hold duplicates.
UID_DOMAIN = "viningssurgery"

Status = Booking.Status
EVENT_STATUS = {
    Status.REQUESTED: "TENTATIVE",
    Status.CONFIRMED: "CONFIRMED",
    Status.COMPLETED: "CONFIRMED",
    Status.NO_SHOW: "CONFIRMED",
    Status.CANCELLED: "CANCELLED",
}


def appointment_uid(booking: Booking) -> str:
    return f"booking-{booking.reference}@{UID_DOMAIN}"


def instruction_uid(booking: Booking, instruction: Instruction) -> str:
    return f"booking-{booking.reference}-instruction-{instruction.pk}@{UID_DOMAIN}"


def method_for(booking: Booking) -> str:
    """CANCEL removes the entries from the patient's calendar; REQUEST adds or updates them."""
    return "CANCEL" if booking.status == Status.CANCELLED else "REQUEST"


def _address() -> str:
    clinic = settings.CLINIC
    return (
        f"{clinic['name']}, {clinic['street']}, {clinic['locality']}, "
        f"{clinic['region']} {clinic['postal_code']}"
    )


def _common(
    event: icalendar.Event, booking: Booking, uid: str, stamp: datetime, method: str
) -> None:
    clinic = settings.CLINIC
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", booking.sequence)
    event.add("status", EVENT_STATUS[booking.status])
    event.add("organizer", f"mailto:{clinic['email']}", parameters={"CN": clinic["name"]})
    if method != "PUBLISH":
        # An invitation (REQUEST/CANCEL) names the attendee it is for; mail
        # clients match it to the recipient. RSVP=FALSE: no reply is expected.
        event.add(
            "attendee",
            f"mailto:{booking.email}",
            parameters={"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED", "RSVP": "FALSE"},
        )


def _appointment(booking: Booking, stamp: datetime, method: str) -> icalendar.Event:
    clinic = settings.CLINIC
    event = icalendar.Event()
    _common(event, booking, appointment_uid(booking), stamp, method)
    event.add("summary", f"Appointment at {clinic['name']}")
    event.add("dtstart", booking.local_start)
    event.add("dtend", booking.local_end)
    event.add("location", _address())
    # No self-service link here: calendars are often shared, and the link lets its
    # holder change the booking. It stays in the patient's own emails.
    event.add(
        "description",
        f"Reference: {booking.reference}\n"
        f"To change or cancel, use the link in your email or call {clinic['phone']}.",
    )
    if booking.status != Status.CANCELLED:
        event.add_component(_alarm(timedelta(hours=-2), f"Appointment at {clinic['name']}"))
    return event


def _instruction(
    booking: Booking, item: dict, appointment_day: date, stamp: datetime, method: str
) -> icalendar.Event:
    instruction: Instruction = item["instruction"]
    first, last = item["dates"]
    event = icalendar.Event()
    _common(event, booking, instruction_uid(booking, instruction), stamp, method)
    event.add("summary", f"{instruction.title} ({settings.CLINIC['name']})")
    # All-day: DTSTART;VALUE=DATE and an exclusive DTEND, the day after the last day.
    event.add("dtstart", first)
    event.add("dtend", (last or first) + timedelta(days=1))
    # A window of days must not show the patient as busy.
    event.add("transp", "TRANSPARENT")
    event.add("description", f"{instruction.text}\n\n{instruction.when(appointment_day)}.")
    if booking.status != Status.CANCELLED:
        # 6 pm the evening before its first day (an all-day event starts at
        # midnight): breakfast or "no NSAIDs" is best known before the day begins.
        event.add_component(_alarm(timedelta(hours=-6), f"Tomorrow: {instruction.title}"))
    return event


def _alarm(trigger: timedelta, text: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", trigger)
    return alarm


def booking_ics(
    booking: Booking, *, method: str | None = None, now: datetime | None = None
) -> str:
    """
    The booking's calendar file, as text with CRLF line ends.

    By default an invitation for email (REQUEST, or CANCEL once cancelled);
    method="PUBLISH" gives a plain file to download and import.
    """
    method = method or method_for(booking)
    stamp = (now or timezone.now()).astimezone(UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(_appointment(booking, stamp, method))
    appointment_day = booking.local_start.date()
    for item in booking.schedule():
        calendar.add_component(_instruction(booking, item, appointment_day, stamp, method))
    # The clinic's zone as a VTIMEZONE, only for the years around the appointment
    # (the full 1970–2038 table would make every file several kilobytes longer).
    year = booking.local_start.year
    calendar.add_missing_timezones(first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
    return calendar.to_ical().decode()
