"""Patients' links survive a key rotation and end some weeks after the appointment (issue 9, item 9)."""

from datetime import date, datetime

import pytest
import time_machine
from django.test import override_settings

from booking import links
from clinic import clock
from tests.conftest import make_booking

pytestmark = pytest.mark.django_db

OLD_KEY = "old-" + "o" * 60
NEW_KEY = "new-" + "n" * 60
PHONE = "(770) 555-0142"


def manage(client, token: str):
    return client.get(f"/book/manage/{token}/")


def at_clinic_time(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=clock.zone())


# --- Key rotation -----------------------------------------------------------------


def test_a_link_signed_with_the_previous_key_still_opens_after_a_rotation(client, now):
    booking = make_booking()
    with override_settings(SECRET_KEY=OLD_KEY):
        token = links.make_token(booking)

    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        response = manage(client, token)

    assert response.status_code == 200
    assert booking.reference in response.content.decode()


def test_without_the_fallback_the_old_link_is_not_valid(client, now):
    booking = make_booking()
    with override_settings(SECRET_KEY=OLD_KEY):
        token = links.make_token(booking)

    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        response = manage(client, token)

    assert response.status_code == 404


def test_new_links_are_signed_with_the_current_key(now):
    booking = make_booking()
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        token = links.make_token(booking)

    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        assert links.booking_from_token(token) == booking


# --- Expiry -----------------------------------------------------------------------


def test_a_link_opens_on_the_last_day_after_the_appointment(client, db):
    booking = make_booking()  # Tuesday, December 8, 2026
    token = links.make_token(booking)

    with time_machine.travel(at_clinic_time(date(2027, 1, 7), 23), tick=False):
        response = manage(client, token)

    assert response.status_code == 200


def test_a_link_ends_the_day_after_its_last_day(client, db):
    booking = make_booking()
    token = links.make_token(booking)

    with time_machine.travel(at_clinic_time(date(2027, 1, 8), 0), tick=False):
        response = manage(client, token)

    page = response.content.decode()
    assert response.status_code == 410
    assert "This link has expired" in page
    assert PHONE in page
    assert booking.reference not in page
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("suffix", ["cancel/", "calendar.ics", "times/"])
def test_every_page_of_an_expired_link_answers_the_expired_page(client, db, suffix):
    booking = make_booking()
    token = links.make_token(booking)

    with time_machine.travel(at_clinic_time(date(2027, 2, 1)), tick=False):
        response = client.get(f"/book/manage/{token}/{suffix}")

    assert response.status_code == 410


def test_an_expired_link_changes_nothing(client, db):
    booking = make_booking()
    token = links.make_token(booking)

    with time_machine.travel(at_clinic_time(date(2027, 2, 1)), tick=False):
        response = client.post(f"/book/manage/{token}/cancel/")

    booking.refresh_from_db()
    assert response.status_code == 410
    assert booking.status == booking.Status.REQUESTED


@override_settings(BOOKING_LINK_DAYS_AFTER=2)
def test_the_number_of_days_is_a_setting(client, db):
    booking = make_booking()
    token = links.make_token(booking)

    with time_machine.travel(at_clinic_time(date(2026, 12, 11)), tick=False):
        assert manage(client, token).status_code == 410
    with time_machine.travel(at_clinic_time(date(2026, 12, 10)), tick=False):
        assert manage(client, token).status_code == 200
