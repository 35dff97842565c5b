"""The desk books a caller through the same free-time picker as patients, with its own powers."""

from datetime import date

import pytest
from django.urls import reverse

from booking import availability
from booking.models import Booking, BookingPolicy, OpeningHours, Service
from tests.conftest import at, make_booking, make_staff

ADD = reverse("admin:booking_booking_add")
TIMES = reverse("admin:booking_booking_times")
THURSDAY = date(2026, 12, 10)


@pytest.fixture
def desk(client, db, now):
    client.force_login(make_staff("rita", "Receptionists"))
    return client


def caller(service: Service, **changes) -> dict:
    data = {
        "service": service.pk,
        "day": THURSDAY.isoformat(),
        "name": "Phone Caller",
        "email": "caller@example.com",
        "phone": "(404) 555-0199",
        "notes": "",
        "internal_notes": "",
        "consent": "on",
        "skip_notice": "on",
    }
    data.update(changes)
    return data


def test_the_add_page_offers_the_services_as_choices_and_the_picker(desk):
    response = desk.get(ADD)

    assert response.status_code == 200
    assert 'type="radio" name="service"' in response.text
    assert "data-booking-form" in response.text and 'data-date-name="day"' in response.text
    assert "Choose a service to see its free times." in response.text


def test_show_free_times_lists_the_days_times_and_saves_nothing(desk, consultation):
    make_booking(start=at(THURSDAY, 10), service=consultation)
    capacity = BookingPolicy.current().capacity

    response = desk.post(ADD, caller(consultation, _show_times="1"))

    assert response.status_code == 200
    assert Booking.objects.count() == 1
    assert "Choose one of the free times below, then save." in response.text
    assert "Free times on Thursday, December 10, 2026" in response.text
    assert 'value="11:00"' in response.text
    assert ('value="10:00"' in response.text) == (capacity > 1)
    assert 'value="Phone Caller"' in response.text  # what was typed stays


def test_a_day_button_shows_that_days_times(desk, consultation):
    response = desk.post(ADD, caller(consultation, pick_date="2026-12-11"))

    assert response.status_code == 200
    assert "Free times on Friday, December 11, 2026" in response.text
    assert not Booking.objects.exists()


def test_a_free_time_from_the_picker_books_the_caller(desk, consultation):
    response = desk.post(ADD, caller(consultation, time="11:00"))

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.start == at(THURSDAY, 11)
    assert booking.status == Booking.Status.CONFIRMED


def test_saving_without_a_time_asks_for_one(desk, consultation):
    response = desk.post(ADD, caller(consultation))

    assert response.status_code == 200
    assert not Booking.objects.exists()
    assert "This field is required." in response.text


def test_the_times_fragment_offers_times_inside_the_minimum_notice(desk, consultation):
    # The clock says Tuesday noon; patients need the notice, the desk does not.
    today = date(2026, 12, 1)
    patients = availability.free_slots(consultation, today)
    response = desk.get(TIMES, {"service": consultation.pk, "date": today.isoformat()})

    assert response.status_code == 200
    assert "<html" not in response.text
    assert patients == []
    assert 'value="13:00"' in response.text


def test_staff_who_cannot_add_bookings_get_no_times(client, db, now, consultation):
    client.force_login(make_staff("fay", "FAQ editors"))

    response = client.get(TIMES, {"service": consultation.pk, "date": "2026-12-10"})

    assert response.status_code == 403


def test_a_booking_page_offers_the_same_picker_to_move_it(desk, consultation):
    booking = make_booking(service=consultation)  # Tuesday, December 8, 10:00

    response = desk.get(reverse("admin:booking_booking_change", args=[booking.pk]))

    assert "Free times on Tuesday, December 8, 2026" in response.text
    assert 'name="time" id="time-1030"' in response.text
    assert 'name="time" id="time-1000"' not in response.text  # its own time is not "free"
    assert f"?booking={booking.pk}" in response.text


def test_a_new_day_without_a_time_asks_for_one_and_moves_nothing(desk, consultation):
    booking = make_booking(service=consultation)
    change = reverse("admin:booking_booking_change", args=[booking.pk])
    data = {
        "name": booking.name,
        "email": booking.email,
        "phone": "(404) 555-0100",
        "internal_notes": "",
        "day": "2026-12-09",
        "skip_notice": "on",
    }

    response = desk.post(change, data)

    assert response.status_code == 200
    assert "Choose one of the free times on the new day, then save." in response.text
    booking.refresh_from_db()
    assert booking.start == at(date(2026, 12, 8), 10)


def test_the_times_fragment_for_a_booking_leaves_out_its_own_time(desk, consultation):
    booking = make_booking(service=consultation)

    response = desk.get(TIMES, {"booking": booking.pk, "date": "2026-12-08"})

    assert 'value="10:30"' in response.text
    assert 'value="10:00"' not in response.text


def test_a_time_inside_the_notice_is_explained_for_staff(desk, consultation):
    data = caller(consultation, day="2026-12-01", time="15:00")
    del data["skip_notice"]

    response = desk.post(ADD, data)

    assert response.status_code == 200
    assert "Tick “Skip the minimum notice” to book it anyway." in response.text
    assert "call us" not in response.text


def test_a_full_time_is_explained_for_staff(desk, consultation):
    for _ in range(BookingPolicy.current().capacity):
        make_booking(start=at(THURSDAY, 11), service=consultation)

    response = desk.post(ADD, caller(consultation, time="11:00"))

    assert "That time is full now (another booking took it)." in response.text
    assert "Sorry" not in response.text


def test_with_no_free_time_anywhere_the_desk_is_told_what_to_do_not_to_call_us(desk, consultation):
    OpeningHours.objects.all().delete()

    response = desk.post(ADD, caller(consultation, day="", _show_times="1"))

    assert response.status_code == 200
    assert "No free times in the booking horizon" in response.text
    assert "Offer the waitlist" in response.text
    assert "Please call us" not in response.text
    assert not Booking.objects.exists()
