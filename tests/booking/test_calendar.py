"""The .ics files: parsed back with icalendar, as a calendar program would read them."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from booking import workflow
from booking.ics import invitation_ics, preparation_ics
from booking.models import Booking
from tests.conftest import at, make_booking

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def parse(ics: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(ics)


def events_by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def appointment(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.walk("VEVENT")
    return event


def instruction_events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def booking_ics(booking: Booking, **kwargs) -> str:
    return invitation_ics(booking, **kwargs)


@pytest.fixture
def confirmed(treatment, now) -> Booking:
    return make_booking(service=treatment, status=Booking.Status.CONFIRMED)


def test_the_appointment_is_at_its_time_in_the_clinics_zone(confirmed):
    event = appointment(parse(booking_ics(confirmed)))

    assert event.decoded("DTSTART") == datetime(2026, 12, 8, 10, 0, tzinfo=NEW_YORK)
    assert event.decoded("DTEND") == datetime(2026, 12, 8, 11, 0, tzinfo=NEW_YORK)
    assert event["DTSTART"].params["TZID"] == "America/New_York"


def test_the_file_defines_the_clinics_time_zone(confirmed):
    calendar = parse(booking_ics(confirmed))

    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "America/New_York"


def test_an_appointment_after_the_clocks_change_keeps_its_local_time(treatment, now):
    booking = make_booking(service=treatment, start=at(date(2027, 3, 16), 10))

    event = appointment(parse(booking_ics(booking)))

    start = event.decoded("DTSTART")
    assert (start.hour, start.utcoffset()) == (10, timedelta(hours=-4))


def test_the_title_names_the_clinic_never_the_treatment(confirmed):
    calendar = parse(booking_ics(confirmed))

    assert appointment(calendar)["SUMMARY"] == "Appointment at Vinings Surgery Center"
    for event in calendar.walk("VEVENT"):
        assert "exosome" not in str(event["SUMMARY"]).lower()
        assert "treatment" not in str(event["SUMMARY"]).lower()


def test_the_entry_has_the_address_and_phone_but_not_the_self_service_link(confirmed):
    """Calendars are often shared; the link would let anyone who sees it cancel."""
    event = appointment(parse(booking_ics(confirmed)))

    assert event["LOCATION"] == (
        "Vinings Surgery Center, 2810 Paces Ferry Road SE, Suite 100, Atlanta, GA 30339"
    )
    assert "(770) 555-0142" in event["DESCRIPTION"]
    assert "/book/manage/" not in event["DESCRIPTION"]
    assert confirmed.access_key not in booking_ics(confirmed)


def test_a_confirmed_booking_is_a_confirmed_invitation(confirmed):
    calendar = parse(booking_ics(confirmed))

    assert calendar["METHOD"] == "REQUEST"
    event = appointment(calendar)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ATTENDEE"]) == "mailto:pat@example.com"
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"


def test_the_invitation_holds_the_appointment_alone(confirmed):
    """Outlook and others act on one event per invitation."""
    (event,) = parse(booking_ics(confirmed)).walk("VEVENT")

    assert str(event["UID"]) == f"booking-{confirmed.reference}@viningssurgery"


def test_the_organizer_is_the_address_replies_reach_sent_by_the_sender(confirmed):
    event = appointment(parse(booking_ics(confirmed)))

    assert str(event["ORGANIZER"]) == "mailto:info@viningssurgery.example"
    assert event["ORGANIZER"].params["SENT-BY"] == "mailto:appointments@viningssurgery.example"
    assert event["ORGANIZER"].params["CN"] == "Vinings Surgery Center"


def test_a_request_is_tentative(treatment, now):
    booking = make_booking(service=treatment)

    assert str(appointment(parse(booking_ics(booking)))["STATUS"]) == "TENTATIVE"


# --- The preparation days: a file of their own ------------------------------------


def test_the_preparation_days_are_published_not_an_invitation(confirmed):
    calendar = parse(preparation_ics(confirmed))

    assert calendar["METHOD"] == "PUBLISH"
    events = calendar.walk("VEVENT")
    assert len(events) == 4
    for event in events:
        assert "-instruction-" in str(event["UID"])
        assert "ATTENDEE" not in event
        assert "ORGANIZER" not in event
        assert str(event["STATUS"]) == "CONFIRMED"


def test_each_instruction_is_an_all_day_event_over_its_dates(confirmed):
    events = instruction_events(parse(preparation_ics(confirmed)))

    nsaids = events["No NSAIDs (Vinings Surgery Center)"]
    assert nsaids.decoded("DTSTART") == date(2026, 12, 5)
    # DTEND of an all-day event is exclusive: the window ends on 29 December.
    assert nsaids.decoded("DTEND") == date(2026, 12, 30)
    assert nsaids["DTSTART"].params["VALUE"] == "DATE"
    fluids = events["Drink plenty of fluids (Vinings Surgery Center)"]
    assert (fluids.decoded("DTSTART"), fluids.decoded("DTEND")) == (
        date(2026, 12, 7),
        date(2026, 12, 8),
    )
    assert str(fluids["TRANSP"]) == "TRANSPARENT"


def test_an_instruction_reminds_the_evening_before_it_starts(confirmed):
    nsaids = instruction_events(parse(preparation_ics(confirmed)))[
        "No NSAIDs (Vinings Surgery Center)"
    ]

    (alarm,) = nsaids.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(hours=-6)
    assert str(alarm["DESCRIPTION"]) == "Tomorrow: No NSAIDs"


def test_an_alert_for_the_appointment_day_says_so(confirmed):
    """'Tomorrow: After the procedure' on the evening before reads as if it were over."""
    after = instruction_events(parse(preparation_ics(confirmed)))[
        "After the procedure (Vinings Surgery Center)"
    ]

    (alarm,) = after.walk("VALARM")
    assert str(alarm["DESCRIPTION"]) == (
        "Tomorrow, the day of your appointment: After the procedure"
    )


def test_the_appointments_alert_says_when(confirmed):
    (alarm,) = appointment(parse(booking_ics(confirmed))).walk("VALARM")

    assert alarm.decoded("TRIGGER") == timedelta(hours=-2)
    assert str(alarm["DESCRIPTION"]) == "In 2 hours: Appointment at Vinings Surgery Center"


def test_the_instruction_text_is_in_the_event(confirmed):
    nsaids = instruction_events(parse(preparation_ics(confirmed)))[
        "No NSAIDs (Vinings Surgery Center)"
    ]

    assert "ibuprofen" in nsaids["DESCRIPTION"]
    assert "from Saturday, December 5 until Tuesday, December 29" in nsaids["DESCRIPTION"]


def test_uids_stay_and_sequence_rises_when_the_time_changes(
    confirmed, django_capture_on_commit_callbacks
):
    before = events_by_uid(parse(booking_ics(confirmed)))
    preparation_before = events_by_uid(parse(preparation_ics(confirmed)))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.move(confirmed, at(date(2026, 12, 9), 11))

    after = events_by_uid(parse(booking_ics(confirmed)))
    preparation_after = events_by_uid(parse(preparation_ics(confirmed)))

    assert after.keys() == before.keys()
    assert preparation_after.keys() == preparation_before.keys()
    assert len(preparation_after) == 4
    assert not after.keys() & preparation_after.keys()
    for old, new in ((before, after), (preparation_before, preparation_after)):
        for uid, event in new.items():
            assert event["SEQUENCE"] == old[uid]["SEQUENCE"] + 1
    moved = after[f"booking-{confirmed.reference}@viningssurgery"]
    assert moved.decoded("DTSTART") == datetime(2026, 12, 9, 11, tzinfo=NEW_YORK)


def test_a_cancelled_booking_cancels_the_invitation(confirmed, django_capture_on_commit_callbacks):
    before = appointment(parse(booking_ics(confirmed)))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.cancel(confirmed)

    calendar = parse(booking_ics(confirmed))

    assert calendar["METHOD"] == "CANCEL"
    event = appointment(calendar)
    assert event["UID"] == before["UID"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] > before["SEQUENCE"]
    assert calendar.walk("VALARM") == []


def test_a_cancelled_booking_marks_its_preparation_days_cancelled(
    confirmed, django_capture_on_commit_callbacks
):
    before = events_by_uid(parse(preparation_ics(confirmed)))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.cancel(confirmed)

    calendar = parse(preparation_ics(confirmed))

    after = events_by_uid(calendar)
    assert after.keys() == before.keys()
    assert {str(e["STATUS"]) for e in after.values()} == {"CANCELLED"}
    assert all(e["SEQUENCE"] > before[uid]["SEQUENCE"] for uid, e in after.items())
    assert calendar.walk("VALARM") == []


def test_a_consultation_has_only_the_appointment(consultation, now):
    booking = make_booking(service=consultation, status=Booking.Status.CONFIRMED)

    assert len(parse(booking_ics(booking)).walk("VEVENT")) == 1
    assert preparation_ics(booking) == ""


def test_a_file_to_download_is_published_without_an_attendee(confirmed):
    calendar = parse(booking_ics(confirmed, method="PUBLISH"))

    assert calendar["METHOD"] == "PUBLISH"
    assert all("ATTENDEE" not in event for event in calendar.walk("VEVENT"))
