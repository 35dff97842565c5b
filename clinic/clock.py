"""
The clinic's clock: its zone, "now", "today", the start of a day, and how dates and
times are written for patients and staff.

Every app asks this module, never the server's zone: a receptionist's "today" and
a patient's "three days before" are the clinic's, in Georgia, whatever zone the
server runs in. "Now" is Django's timezone.now(), so tests move it with
time-machine and libfaketime alike.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def zone() -> ZoneInfo:
    return ZoneInfo(settings.CLINIC_TIME_ZONE)


def now() -> datetime:
    """This moment, aware, in the clinic's zone."""
    return timezone.now().astimezone(zone())


def today(moment: datetime | None = None) -> date:
    """The clinic's calendar day at `moment` (default: now)."""
    return (moment or timezone.now()).astimezone(zone()).date()


def start_of_day(day: date) -> datetime:
    """Midnight at the clinic on `day`: the boundary days are counted from."""
    return datetime.combine(day, time.min, tzinfo=zone())


def day_bounds(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """[midnight of `first`, midnight after `last`) in the clinic's zone."""
    return start_of_day(first), start_of_day((last or first) + timedelta(days=1))


def at(day: date, clock_time: time) -> datetime:
    """`clock_time` on the clinic's wall clock on `day` (9:00 stays 9:00 across DST)."""
    return datetime.combine(day, clock_time, tzinfo=zone())


# --- Writing dates and times ------------------------------------------------------


def format_day(day: date, reference: date | None = None) -> str:
    """'Tuesday 8 December 2026'; without the year when `reference` is in the same year."""
    text = f"{day:%A} {day.day} {day:%B}"
    if reference is None or reference.year != day.year:
        text += f" {day.year}"
    return text


def format_short_day(day: date) -> str:
    """'Tue 8 Dec': for buttons and lists where space is short."""
    return f"{day:%a} {day.day} {day:%b}"


def format_time(moment: datetime | time) -> str:
    """'9:00 am', '2:30 pm': how the clinic writes times."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d} {suffix}"


def format_moment(moment: datetime) -> str:
    """'Tuesday 8 December 2026 at 10:00 am', in the clinic's zone."""
    local = moment.astimezone(zone())
    return f"{format_day(local.date())} at {format_time(local)}"


def format_short_moment(moment: datetime) -> str:
    """'Tue 8 Dec 2026, 10:00 am', in the clinic's zone: for the desk's lists."""
    local = moment.astimezone(zone())
    return f"{format_short_day(local.date())} {local.year}, {format_time(local)}"
