"""
The calendar files (.ics) sent with confirmations, changes and cancellations.

Two files, because calendar programs act on one event per invitation:

- the invitation (invitation_ics): the appointment alone, METHOD:REQUEST, then
  METHOD:CANCEL once cancelled. Outlook, Gmail and Apple Mail show it as a meeting
  request and keep it up to date by its UID and SEQUENCE.
- the preparation days (preparation_ics): each instruction as an all-day event over
  its own dates (no NSAIDs from three days before, fluids the day before…),
  METHOD:PUBLISH: a file the patient adds, not a meeting anyone is invited to.

Every event has a UID that never changes and SEQUENCE = booking.sequence (raised
on every change of time or status), so a newer file replaces the entries already in
the calendar instead of adding more. The preparation events have their own UIDs
(one per instruction) and carry their own SEQUENCE, so re-importing the
preparation file never touches the appointment and the other way round.

Titles name the clinic and the step, never the treatment: calendars are shared
and shown on lock screens.
"""

from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlencode

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from booking.models import Booking, Instruction
from booking.outbox import reply_address

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
    """CANCEL removes the appointment from the patient's calendar; REQUEST adds or updates it."""
    return "CANCEL" if booking.status == Status.CANCELLED else "REQUEST"


def appointment_title() -> str:
    """The one title of the appointment everywhere it is written down outside our site."""
    return gettext("Appointment at %(clinic)s") % {"clinic": settings.CLINIC["name"]}


def address() -> str:
    clinic = settings.CLINIC
    return (
        f"{clinic['name']}, {clinic['street']}, {clinic['locality']}, "
        f"{clinic['region']} {clinic['postal_code']}"
    )


def appointment_description(booking: Booking, *, with_reference: bool = True) -> str:
    # No self-service link here: calendars are often shared, and the link lets its
    # holder change the booking. It stays in the patient's own emails.
    phone = settings.CLINIC["phone"]
    lines = [gettext("Reference: %(reference)s") % {"reference": booking.reference}]
    if not with_reference:
        lines = []
    lines.append(
        gettext("To change or cancel, use the link in your email or call %(phone)s.")
        % {"phone": phone}
    )
    return "\n".join(lines)


def _calendar(method: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _finish(calendar: icalendar.Calendar, booking: Booking) -> str:
    # The clinic's zone as a VTIMEZONE, only for the years around the appointment
    # (the full 1970–2038 table would make every file several kilobytes longer).
    year = booking.local_start.year
    calendar.add_missing_timezones(first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
    return calendar.to_ical().decode()


def _common(event: icalendar.Event, booking: Booking, uid: str, stamp: datetime) -> None:
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", booking.sequence)
    event.add("status", EVENT_STATUS[booking.status])


def _organizer(event: icalendar.Event) -> None:
    # ORGANIZER is where a calendar program sends an Accept/Decline: the address
    # replies to our mail reach (reception's mailbox), the same as Reply-To.
    # SENT-BY names the unattended sending address, so clients that compare
    # ORGANIZER with From do not flag the invitation as forwarded or forged.
    parameters = {"CN": settings.CLINIC["name"]}
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if sender and sender.lower() != reply_address().lower():
        parameters["SENT-BY"] = f"mailto:{sender}"
    event.add("organizer", f"mailto:{reply_address()}", parameters=parameters)


def _appointment(booking: Booking, stamp: datetime, *, invitation: bool) -> icalendar.Event:
    event = icalendar.Event()
    _common(event, booking, appointment_uid(booking), stamp)
    if invitation:
        _organizer(event)
        # An invitation names the attendee it is for; mail clients match it to the
        # recipient. RSVP=FALSE: no reply is expected (see README, "Mail and reminders").
        event.add(
            "attendee",
            f"mailto:{booking.email}",
            parameters={"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED", "RSVP": "FALSE"},
        )
    event.add("summary", appointment_title())
    event.add("dtstart", booking.local_start)
    event.add("dtend", booking.local_end)
    event.add("location", address())
    event.add("description", appointment_description(booking))
    if booking.status != Status.CANCELLED:
        text = gettext("In 2 hours: %(title)s") % {"title": appointment_title()}
        event.add_component(_alarm(timedelta(hours=-2), text))
    return event


def _instruction(
    booking: Booking, item: dict, appointment_day: date, stamp: datetime
) -> icalendar.Event:
    instruction: Instruction = item["instruction"]
    first, last = item["dates"]
    event = icalendar.Event()
    _common(event, booking, instruction_uid(booking, instruction), stamp)
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
        # The words say "tomorrow" only for a step that starts before the
        # appointment; after it, "tomorrow: after the procedure" would be wrong.
        if first < appointment_day:
            text = gettext("Tomorrow: %(title)s")
        elif first == appointment_day:
            text = gettext("Tomorrow, the day of your appointment: %(title)s")
        else:
            text = gettext("From tomorrow, after your appointment: %(title)s")
        text %= {"title": instruction.title}
        event.add_component(_alarm(timedelta(hours=-6), text))
    return event


def _alarm(trigger: timedelta, text: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", trigger)
    return alarm


def _stamp(now: datetime | None) -> datetime:
    return (now or timezone.now()).astimezone(UTC)


def invitation_ics(
    booking: Booking, *, method: str | None = None, now: datetime | None = None
) -> str:
    """
    The appointment alone, as text with CRLF line ends.

    By default an invitation for email (REQUEST, or CANCEL once cancelled);
    method="PUBLISH" gives a plain file to download and import (no attendee).
    """
    method = method or method_for(booking)
    calendar = _calendar(method)
    calendar.add_component(_appointment(booking, _stamp(now), invitation=method != "PUBLISH"))
    return _finish(calendar, booking)


def preparation_ics(booking: Booking, *, now: datetime | None = None) -> str:
    """
    The preparation days as all-day events, METHOD:PUBLISH; "" when there are none.

    Once the booking is cancelled the same events come with STATUS:CANCELLED and a
    higher SEQUENCE: importing the file marks the entries already in the calendar.
    """
    schedule = booking.schedule()
    if not schedule:
        return ""
    stamp = _stamp(now)
    calendar = _calendar("PUBLISH")
    appointment_day = booking.local_start.date()
    for item in schedule:
        calendar.add_component(_instruction(booking, item, appointment_day, stamp))
    return _finish(calendar, booking)


# --- Web calendars ------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def web_calendar_links(booking: Booking) -> dict[str, str]:
    """
    "Add to Google Calendar" and "Outlook.com" links: plain URLs that open the
    calendar's own "new event" form filled in with the appointment. Nothing is
    sent to either until the patient follows the link and saves. Like the .ics,
    they name the clinic, never the treatment, and leave the reference out.
    """
    start, end = _utc(booking.start), _utc(booking.end)
    details = appointment_description(booking, with_reference=False)
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": appointment_title(),
            "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
            "location": address(),
            "details": details,
        }
    )
    outlook = "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": appointment_title(),
            "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}",
            "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
            "location": address(),
            "body": details,
        }
    )
    return {"google": google, "outlook": outlook}
