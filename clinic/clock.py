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
from django.utils import dateformat, timezone, translation


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
#
# Each language the way its readers write it: US English ("Friday, December 11, 2026",
# "Fri, Dec 11", "10:00 am") and Spanish ("viernes, 11 de diciembre de 2026",
# "vie 11 dic", "10:00 a. m."). The patterns are Django's date format characters; the names of
# days and months come from Django's own translations. Always written in the language
# active at the time (a booking's own language for its messages: booking.emails).

_FORMATS = {
    "en": {
        "day": "l, F j, Y",
        "day_in_year": "l, F j",
        "short_day": "D, M j",
        "short_day_year": "D, M j, Y",
        "at": "{day} at {time}",
        "short_at": "{day}, {time}",
    },
    "es": {
        "day": r"l, j \d\e F \d\e Y",
        "day_in_year": r"l, j \d\e F",
        "short_day": "D j b",
        "short_day_year": "D j b Y",
        "at": "{day}, a las {time}",
        "short_at": "{day}, {time}",
    },
}


def _formats() -> dict[str, str]:
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return _FORMATS.get(language, _FORMATS["en"])


def format_day(day: date, reference: date | None = None) -> str:
    """'Tuesday, December 8, 2026'; without the year when `reference` is in that year."""
    same_year = reference is not None and reference.year == day.year
    return dateformat.format(day, _formats()["day_in_year" if same_year else "day"])


def format_short_day(day: date, *, year: bool = False) -> str:
    """'Tue, Dec 8': for buttons and lists where space is short."""
    return dateformat.format(day, _formats()["short_day_year" if year else "short_day"])


def format_time(moment: datetime | time) -> str:
    """'9:00 am', '2:30 pm'; in Spanish '9:00 a. m.', '2:30 p. m.' (as US Spanish does)."""
    hour = moment.hour % 12 or 12
    morning = moment.hour < 12
    if _formats() is _FORMATS["es"]:
        suffix = "a. m." if morning else "p. m."
    else:
        suffix = "am" if morning else "pm"
    return f"{hour}:{moment.minute:02d} {suffix}"


def format_moment(moment: datetime) -> str:
    """'Tuesday, December 8, 2026 at 10:00 am', in the clinic's zone."""
    local = moment.astimezone(zone())
    return _formats()["at"].format(day=format_day(local.date()), time=format_time(local))


def format_short_moment(moment: datetime) -> str:
    """'Tue, Dec 8, 2026, 10:00 am', in the clinic's zone: for the desk's lists."""
    local = moment.astimezone(zone())
    day = format_short_day(local.date(), year=True)
    return _formats()["short_at"].format(day=day, time=format_time(local))
