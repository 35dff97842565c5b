"""The clinic's clock: its time zone and how dates and times are written for patients."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings


def clinic_zone() -> ZoneInfo:
    return ZoneInfo(settings.CLINIC_TIME_ZONE)


def format_day(day: date, reference: date | None = None) -> str:
    """'Tuesday 8 December 2026'; without the year when `reference` is in the same year."""
    text = f"{day:%A} {day.day} {day:%B}"
    if reference is None or reference.year != day.year:
        text += f" {day.year}"
    return text


def format_time(moment: datetime | time) -> str:
    """'9:00 am', '2:30 pm': how the clinic writes times."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d} {suffix}"


def format_moment(moment: datetime) -> str:
    """'Tuesday 8 December 2026 at 10:00 am', in the clinic's zone."""
    local = moment.astimezone(clinic_zone())
    return f"{format_day(local.date())} at {format_time(local)}"
