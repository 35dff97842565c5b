"""The desk's week at a glance: places free per time, each booking a link, closures shown."""

from datetime import date

import pytest
from django.urls import reverse

from booking.models import Booking, BookingPolicy, Closure
from tests.conftest import at, make_booking, make_staff

WEEK = reverse("admin:booking_booking_week")
MONDAY = date(2026, 12, 7)
TUESDAY = date(2026, 12, 8)  # make_booking's day


@pytest.fixture
def desk(client, db, now):
    client.force_login(make_staff("rita", "Receptionists"))
    return client


def cell(response, day: date, label: str):
    """The week's cell for `day` at the time written `label` ("10:00 am")."""
    [row] = [row for row in response.context["rows"] if row["time"] == label]
    [found] = [c for c in row["cells"] if c.day == day]
    return found


def test_it_opens_on_the_current_week(desk):
    response = desk.get(WEEK)

    assert response.status_code == 200
    assert response.context["monday"] == date(2026, 11, 30)
    assert "Week of Monday, November 30, 2026" in response.text
    # The days' headings the US way, as everywhere else.
    assert ">Mon, Nov 30<" in response.text and ">Sun, Dec 6<" in response.text


def test_any_day_opens_its_week_from_monday(desk):
    response = desk.get(WEEK, {"week": "2026-12-10"})

    assert response.context["monday"] == MONDAY
    assert [column.day.day for column in response.context["days"]] == [7, 8, 9, 10, 11, 12, 13]
    assert '?week=2026-11-30">← Previous week' in response.text
    assert '?week=2026-12-14">Next week →' in response.text


def test_a_booking_shows_in_its_time_as_a_link_with_its_status_in_words(desk):
    booking = make_booking(status=Booking.Status.CONFIRMED)  # Tuesday, December 8, 10:00

    response = desk.get(WEEK, {"week": "2026-12-08"})

    assert cell(response, TUESDAY, "10:00 am").bookings == [booking]
    change = reverse("admin:booking_booking_change", args=[booking.pk])
    assert f'href="{change}"' in response.text
    assert "Confirmed</span>" in response.text


def test_each_time_counts_the_places_left(desk):
    capacity = BookingPolicy.current().capacity
    make_booking()  # 10:00–10:30
    make_booking(status=Booking.Status.CANCELLED)  # frees its place

    response = desk.get(WEEK, {"week": "2026-12-08"})

    assert cell(response, TUESDAY, "10:00 am").places_left == capacity - 1
    assert cell(response, TUESDAY, "10:30 am").places_left == capacity
    assert cell(response, TUESDAY, "10:00 am").bookings != []


def test_times_already_past_offer_no_places(desk):
    response = desk.get(WEEK)  # the current week; the clock says Tuesday noon

    assert cell(response, date(2026, 12, 1), "11:30 am").past
    assert not cell(response, date(2026, 12, 1), "12:00 pm").past
    assert cell(response, date(2026, 11, 30), "4:30 pm").past


def test_weekends_and_closures_are_shown_closed(desk):
    Closure.objects.create(date=date(2026, 12, 9), reason="Staff training")

    response = desk.get(WEEK, {"week": "2026-12-08"})

    closed = {column.day: column.closed for column in response.context["days"]}
    assert closed[date(2026, 12, 9)] == "Staff training"
    assert closed[date(2026, 12, 12)] == "Closed"  # Saturday
    assert closed[TUESDAY] == ""
    assert not cell(response, date(2026, 12, 9), "10:00 am").open
    assert "Staff training" in response.text


def test_a_booking_on_a_day_closed_since_is_flagged(desk):
    booking = make_booking(status=Booking.Status.CONFIRMED)
    Closure.objects.create(date=TUESDAY, reason="Burst pipe")

    response = desk.get(WEEK, {"week": "2026-12-08"})

    [shown] = cell(response, TUESDAY, "10:00 am").bookings
    assert shown == booking and shown.stranded
    assert "Needs attention: The clinic is closed on Tuesday, December 8, 2026." in response.text


@pytest.mark.parametrize("week", ["soon", "2026-02-31", "0001-01-01"])
def test_a_bad_week_is_explained_and_this_week_shown(desk, week):
    response = desk.get(WEEK, {"week": week})

    assert response.status_code == 200
    assert response.context["form"].errors["week"]
    assert response.context["monday"] == date(2026, 11, 30)


def test_its_query_count_does_not_grow_with_the_bookings(desk, django_assert_max_num_queries):
    make_booking()
    with django_assert_max_num_queries(20) as few:
        desk.get(WEEK, {"week": "2026-12-08"})
    for hour in range(9, 16):
        make_booking(start=at(TUESDAY, hour, 30))
        make_booking(start=at(date(2026, 12, 10), hour))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = desk.get(WEEK, {"week": "2026-12-08"})
    assert sum(len(c.bookings) for row in response.context["rows"] for c in row["cells"]) == 15


def test_staff_without_the_bookings_view_permission_are_refused(client, db, now):
    client.force_login(make_staff("fay", "FAQ editors"))

    assert client.get(WEEK).status_code == 403


def test_the_bookings_list_links_to_the_week(desk):
    response = desk.get(reverse("admin:booking_booking_changelist"))

    assert f'href="{WEEK}"' in response.text
