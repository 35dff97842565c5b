"""The clinic's numbers for managers, checked against counts made here from the seeded bookings."""

import csv
import io
import random
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from booking import numbers, workflow
from booking.models import Booking
from tests.conftest import NOW, at, make_booking, make_staff

Status = Booking.Status
NUMBERS = reverse("admin:booking_booking_numbers")
FIRST, LAST = date(2026, 11, 2), date(2026, 11, 29)  # four whole weeks, Monday to Sunday


@pytest.fixture
def office(client, db, now):
    client.force_login(make_staff("mona", "Managers"))
    return client


def seed(count: int, *, seed_value: int = 8) -> list[Booking]:
    """`count` bookings on weekdays of the period, in every status, made days ahead."""
    chooser = random.Random(seed_value)
    made = []
    for index in range(count):
        day = FIRST + timedelta(days=chooser.randrange(0, 28))
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        with time_machine.travel(
            at(day, 9) - timedelta(days=chooser.randrange(1, 20)), tick=False
        ):
            booking = make_booking(
                start=at(day, 9 + index % 8, 30 * (index % 2)),
                status=chooser.choice(list(numbers.STATUSES)),
                email=f"patient{index}@example.com",
            )
        made.append(booking)
    return made


def test_the_weekly_counts_match_the_bookings(db):
    made = seed(40)
    make_booking(start=at(date(2026, 11, 30), 10))  # after the period: not counted

    figures = numbers.figures(FIRST, LAST)

    assert [week.monday for week in figures.weeks] == [
        FIRST + timedelta(weeks=n) for n in range(4)
    ]
    for week in figures.weeks:
        in_week = [
            b
            for b in made
            if week.monday <= b.local_start.date() < week.monday + timedelta(days=7)
        ]
        for status in numbers.STATUSES:
            assert week.counts[status] == sum(1 for b in in_week if b.status == status)
    assert figures.total == 40


def test_the_rates_match_the_bookings(db):
    made = seed(40)
    by_status = {s: sum(1 for b in made if b.status == s) for s in numbers.STATUSES}

    figures = numbers.figures(FIRST, LAST)

    due = by_status[Status.COMPLETED] + by_status[Status.NO_SHOW]
    assert figures.no_show_rate == pytest.approx(by_status[Status.NO_SHOW] / due)
    assert figures.cancellation_rate == pytest.approx(by_status[Status.CANCELLED] / 40)
    ahead = sum((b.start - b.created_at).total_seconds() for b in made) / 40 / 86400
    assert figures.average_days_ahead == pytest.approx(ahead)


def test_time_to_confirmation_counts_requests_confirmed_later(db):
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        booking = make_booking(start=at(date(2026, 11, 24), 10))
    with time_machine.travel(NOW - timedelta(days=10) + timedelta(hours=5), tick=False):
        workflow.confirm(booking)
    booking.refresh_from_db()
    assert booking.confirmed_at is not None

    figures = numbers.figures(FIRST, LAST)

    assert figures.average_hours_to_confirm == pytest.approx(5)


def test_the_query_count_does_not_grow_with_the_bookings(db, django_assert_num_queries):
    seed(5)
    with django_assert_num_queries(4):
        numbers.figures(FIRST, LAST)
    seed(60, seed_value=9)
    with django_assert_num_queries(4):
        numbers.figures(FIRST, LAST)


def test_the_page_shows_the_figures_and_a_chart_and_tables(office):
    made = seed(12)

    response = office.get(NUMBERS, {"first": FIRST.isoformat(), "last": LAST.isoformat()})

    assert response.status_code == 200
    assert "12 bookings" in response.text
    assert "<svg" in response.text and "<rect" in response.text
    assert "Bookings per week, by status" in response.text
    assert "Consultation" in response.text
    assert response.context["figures"].total == len(made)


def test_the_csv_has_the_same_weekly_figures(office):
    seed(12)
    figures = numbers.figures(FIRST, LAST)

    response = office.get(
        NUMBERS, {"first": FIRST.isoformat(), "last": LAST.isoformat(), "format": "csv"}
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Week of",
        "Requested",
        "Confirmed",
        "Completed",
        "Cancelled",
        "No-show",
        "Total",
    ]
    assert [int(row[-1]) for row in rows[1:5]] == [week.total for week in figures.weeks]


@pytest.mark.parametrize(
    ("first", "last"),
    [("2026-11-30", "2026-11-01"), ("soon", "2026-11-01"), ("2020-01-01", "2026-01-01")],
)
def test_a_bad_period_is_explained(office, first, last):
    response = office.get(NUMBERS, {"first": first, "last": last})

    assert response.status_code == 200
    assert not response.context["form"].is_valid()
    assert 'class="errornote"' in response.text


def test_receptionists_do_not_see_the_numbers(client, db, now):
    client.force_login(make_staff("rita", "Receptionists"))

    assert client.get(NUMBERS).status_code == 403
    assert "Numbers</a>" not in client.get(reverse("admin:booking_booking_changelist")).text
