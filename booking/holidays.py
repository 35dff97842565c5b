"""
US federal holidays, worked out by rule for any year (5 U.S.C. 6103).

The clinic closes on them when BookingPolicy.closed_on_federal_holidays is on;
other closures are rows the managers add. A rule rather than a seeded list, so
the calendar never runs out: a list typed in 2026 would let patients book
Thanksgiving 2028.

A holiday on a Saturday is observed on the Friday before, one on a Sunday on the
Monday after (so New Year's Day 2028, a Saturday, closes Friday 31 December 2027).
"""

from datetime import date, timedelta
from functools import cache

MONDAY, THURSDAY = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` of the month; n = -1 is the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def _holidays_of(year: int) -> dict[date, str]:
    fixed = {
        date(year, 1, 1): "New Year's Day",
        date(year, 6, 19): "Juneteenth",
        date(year, 7, 4): "Independence Day",
        date(year, 11, 11): "Veterans Day",
        date(year, 12, 25): "Christmas Day",
    }
    found = {}
    for day, name in fixed.items():
        observed = _observed(day)
        found[observed] = name if observed == day else f"{name} (observed)"
    found[_nth_weekday(year, 1, MONDAY, 3)] = "Martin Luther King Jr. Day"
    found[_nth_weekday(year, 2, MONDAY, 3)] = "Washington's Birthday"
    found[_nth_weekday(year, 5, MONDAY, -1)] = "Memorial Day"
    found[_nth_weekday(year, 9, MONDAY, 1)] = "Labor Day"
    found[_nth_weekday(year, 10, MONDAY, 2)] = "Columbus Day"
    found[_nth_weekday(year, 11, THURSDAY, 4)] = "Thanksgiving Day"
    return found


@cache
def _by_year(year: int) -> dict[date, str]:
    # The next year's New Year's Day may be observed on 31 December of this one.
    merged = {**_holidays_of(year), **_holidays_of(year + 1), **_holidays_of(year - 1)}
    return {day: name for day, name in merged.items() if day.year == year}


def federal_holidays(first: date, last: date) -> dict[date, str]:
    """The federal holidays (as observed) from `first` to `last`, inclusive."""
    found = {}
    for year in range(first.year, last.year + 1):
        found.update({day: name for day, name in _by_year(year).items() if first <= day <= last})
    return found
