"""Closures and shorter hours that would strand bookings warn first, and flag them after."""

from datetime import date, time

import pytest
from django.urls import reverse

from booking import availability
from booking.models import Booking, Closure, OpeningHours
from tests.conftest import at, make_booking, make_staff

Status = Booking.Status
TUESDAY = date(2026, 12, 8)  # make_booking's day
FRIDAY = date(2026, 12, 11)


@pytest.fixture
def office(client, db, now):
    client.force_login(make_staff("mona", "Managers"))
    return client


@pytest.fixture
def desk(client, db, now):
    client.force_login(make_staff("rita", "Receptionists"))
    return client


def friday_hours() -> OpeningHours:
    return OpeningHours.objects.get(weekday=4)


def test_closing_a_day_with_bookings_is_held_back_and_lists_them(office):
    booking = make_booking(status=Status.CONFIRMED)

    response = office.post(
        reverse("admin:booking_closure_add"), {"date": "2026-12-08", "reason": "Burst pipe"}
    )

    assert response.status_code == 200
    assert not Closure.objects.exists()
    assert "leaves 1 upcoming booking on a closed day" in response.text
    assert booking.reference in response.text


def test_save_anyway_closes_the_day_and_flags_the_booking(office):
    booking = make_booking(status=Status.CONFIRMED)

    response = office.post(
        reverse("admin:booking_closure_add"),
        {"date": "2026-12-08", "reason": "Burst pipe", "strand_anyway": "on"},
    )

    assert response.status_code == 302
    assert Closure.objects.filter(date=TUESDAY).exists()
    [(flagged, reason)] = availability.stranded(availability.Rules.load())
    assert flagged == booking
    assert reason == "The clinic is closed on Tuesday, December 8, 2026."


def test_closing_a_day_without_bookings_saves_at_once(office):
    make_booking(start=at(date(2026, 12, 9), 10), status=Status.CANCELLED)

    response = office.post(reverse("admin:booking_closure_add"), {"date": "2026-12-09"})

    assert response.status_code == 302


def test_cutting_the_hours_is_held_back_for_a_booking_outside_them(office):
    late = make_booking(start=at(FRIDAY, 14))
    make_booking(start=at(FRIDAY, 10))
    period = friday_hours()

    response = office.post(
        reverse("admin:booking_openinghours_change", args=[period.pk]),
        {"weekday": 4, "opens": "09:00", "closes": "13:00"},
    )

    assert response.status_code == 200
    assert f"{late.reference} " in response.text
    assert "leaves 1 upcoming booking" in response.text
    period.refresh_from_db()
    assert period.closes == time(17, 0)


def test_deleting_hours_says_which_bookings_it_strands(office):
    booking = make_booking(start=at(FRIDAY, 14))

    response = office.get(reverse("admin:booking_openinghours_delete", args=[friday_hours().pk]))

    assert "leaves 1 upcoming booking outside the opening hours" in response.text
    assert booking.reference in response.text


def test_the_desk_sees_the_flag_on_its_home_the_list_the_day_sheet_and_the_booking(desk):
    booking = make_booking(status=Status.CONFIRMED)
    fine = make_booking(start=at(date(2026, 12, 9), 10))
    Closure.objects.create(date=TUESDAY, reason="Burst pipe")

    home = desk.get(reverse("admin:index")).text
    listing = desk.get(reverse("admin:booking_booking_changelist"), {"attention": "needed"})
    sheet = desk.get(reverse("admin:booking_booking_day_sheet"), {"day": "2026-12-08"}).text
    page = desk.get(reverse("admin:booking_booking_change", args=[booking.pk])).text

    assert "Needs attention: 1 booking" in home and booking.reference in home
    assert [b.pk for b in listing.context["cl"].result_list] == [booking.pk]
    assert fine.reference not in home
    assert "Needs attention: The clinic is closed on Tuesday, December 8, 2026." in sheet
    assert "Needs attention: The clinic is closed on Tuesday, December 8, 2026." in page


def test_a_flagged_booking_moved_away_is_flagged_no_more(desk):
    from booking import workflow

    booking = make_booking(status=Status.CONFIRMED)
    Closure.objects.create(date=TUESDAY, reason="Burst pipe")
    workflow.move(booking, at(date(2026, 12, 9), 11), skip_notice=True)

    assert availability.stranded(availability.Rules.load()) == []
    assert "Needs attention" not in desk.get(reverse("admin:index")).text
