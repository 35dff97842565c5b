"""Federal holidays close the clinic by rule, in any year."""

from datetime import date

import pytest

from booking.availability import Rules, SlotUnavailable, check_slot, free_slots
from booking.holidays import federal_holidays
from booking.models import BookingPolicy
from tests.conftest import at

# As published by the US Office of Personnel Management for 2027 (observed dates).
OPM_2027 = {
    date(2027, 1, 1),
    date(2027, 1, 18),
    date(2027, 2, 15),
    date(2027, 5, 31),
    date(2027, 6, 18),
    date(2027, 7, 5),
    date(2027, 9, 6),
    date(2027, 10, 11),
    date(2027, 11, 11),
    date(2027, 11, 25),
    date(2027, 12, 24),
    date(2027, 12, 31),  # New Year's Day 2028 is a Saturday
}


def test_the_rule_gives_the_published_dates_of_2027():
    assert set(federal_holidays(date(2027, 1, 1), date(2027, 12, 31))) == OPM_2027


def test_the_rule_does_not_run_out():
    found = federal_holidays(date(2031, 11, 1), date(2031, 11, 30))
    assert found == {date(2031, 11, 11): "Veterans Day", date(2031, 11, 27): "Thanksgiving Day"}


def test_a_sunday_holiday_is_observed_on_the_monday():
    assert federal_holidays(date(2027, 7, 4), date(2027, 7, 5)) == {
        date(2027, 7, 5): "Independence Day (observed)"
    }


@pytest.mark.django_db
def test_a_holiday_has_no_times(now, consultation):
    assert free_slots(consultation, date(2026, 12, 25)) == []
    with pytest.raises(SlotUnavailable, match="closed on Friday, December 25"):
        check_slot(Rules.load(), consultation, at(date(2026, 12, 25), 10))


@pytest.mark.django_db
def test_managers_can_open_on_holidays(now, consultation):
    BookingPolicy.objects.update(closed_on_federal_holidays=False)
    assert free_slots(consultation, date(2026, 12, 25))
