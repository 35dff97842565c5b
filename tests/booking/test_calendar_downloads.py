"""The calendar files and web-calendar links on the confirmation and self-service pages."""

from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest

from booking import links, workflow
from booking.models import Booking
from tests.conftest import VALID_BOOKING_POST, make_booking

pytestmark = pytest.mark.django_db


def download(client, booking: Booking, name: str):
    return client.get(links.manage_path(booking) + name)


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content.decode())


@pytest.fixture
def confirmed(treatment, now) -> Booking:
    return make_booking(service=treatment, status=Booking.Status.CONFIRMED)


def test_the_appointment_file_is_the_appointment_alone_to_import(client, confirmed):
    calendar = parse(download(client, confirmed, "calendar.ics"))

    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"booking-{confirmed.reference}@viningssurgery"
    assert "ATTENDEE" not in event


def test_the_preparation_days_download_on_their_own(client, confirmed):
    response = download(client, confirmed, "preparation.ics")

    assert response.status_code == 200
    assert f"vinings-preparation-{confirmed.reference}.ics" in response["Content-Disposition"]
    assert response["Referrer-Policy"] == "same-origin"
    calendar = parse(response)
    assert calendar["METHOD"] == "PUBLISH"
    assert len(calendar.walk("VEVENT")) == 4


def test_a_consultation_has_no_preparation_file(client, consultation, now):
    booking = make_booking(service=consultation)

    assert download(client, booking, "preparation.ics").status_code == 404


def test_a_cancelled_bookings_file_is_the_cancellation(client, confirmed):
    workflow.cancel(confirmed)

    response = download(client, confirmed, "calendar.ics")

    assert response.status_code == 200
    calendar = parse(response)
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == confirmed.sequence


def test_a_cancelled_bookings_preparation_file_marks_them_cancelled(client, confirmed):
    workflow.cancel(confirmed)

    calendar = parse(download(client, confirmed, "preparation.ics"))

    assert {str(event["STATUS"]) for event in calendar.walk("VEVENT")} == {"CANCELLED"}


def test_a_forged_token_gets_no_preparation_file(client, now):
    assert client.get("/book/manage/forged-token/preparation.ics").status_code == 404


# --- Google Calendar and Outlook.com links -----------------------------------------


def web_links(content: str) -> dict[str, dict]:
    found = {}
    for host in ("calendar.google.com", "outlook.live.com"):
        start = content.index(f'href="https://{host}')
        url = content[start + 6 : content.index('"', start + 6)].replace("&amp;", "&")
        found[host] = parse_qs(urlsplit(url).query)
    return found


def test_the_self_service_page_links_google_and_outlook_with_the_appointment(client, confirmed):
    content = client.get(links.manage_path(confirmed)).content.decode()

    found = web_links(content)
    google, outlook = found["calendar.google.com"], found["outlook.live.com"]
    # 10:00–11:00 on 8 December, New York (UTC-5), in UTC.
    assert google["dates"] == ["20261208T150000Z/20261208T160000Z"]
    assert google["text"] == ["Appointment at Vinings Surgery Center"]
    assert google["location"] == [
        "Vinings Surgery Center, 2810 Paces Ferry Road SE, Suite 100, Atlanta, GA 30339"
    ]
    assert outlook["startdt"] == ["2026-12-08T15:00:00Z"]
    assert outlook["enddt"] == ["2026-12-08T16:00:00Z"]
    assert outlook["subject"] == ["Appointment at Vinings Surgery Center"]
    assert "Add to Google Calendar" in content
    assert "Add to Outlook.com" in content
    assert links.manage_path(confirmed) + "preparation.ics" in content


def test_the_web_calendar_links_name_no_treatment_and_no_reference(client, confirmed):
    content = client.get(links.manage_path(confirmed)).content.decode()

    for query in web_links(content).values():
        text = " ".join(value for values in query.values() for value in values).lower()
        assert "exosome" not in text
        assert "treatment" not in text
        assert confirmed.reference.lower() not in text
        assert confirmed.access_key.lower() not in text


def test_the_confirmation_page_offers_the_calendar_links(client, now):
    response = client.post("/book/", VALID_BOOKING_POST, follow=True)

    content = response.content.decode()
    booking = Booking.objects.get()
    assert links.manage_path(booking) + "calendar.ics" in content
    # The 30-minute consultation at 10:00 on 8 December.
    assert web_links(content)["calendar.google.com"]["dates"] == [
        "20261208T150000Z/20261208T153000Z"
    ]
    # A consultation has no preparation days to download.
    assert "preparation.ics" not in content
