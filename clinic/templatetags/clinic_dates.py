"""Dates in templates, written by the clinic clock (clinic.clock) in the page's language."""

from datetime import date, datetime

from django import template

from clinic import clock

register = template.Library()


@register.filter
def clinic_day(value: date | datetime | None) -> str:
    """'Tuesday, December 8, 2026' ('martes, 8 de diciembre de 2026'); a moment's clinic day."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = clock.today(value)
    return clock.format_day(value)


@register.filter
def clinic_moment(value: datetime | None) -> str:
    """'Tue, Dec 8, 2026, 10:00 am' in clinic time: for staff's lists and records."""
    return clock.format_short_moment(value) if value else ""


@register.filter
def clinic_short_day(value: date | None) -> str:
    """'Mon, Nov 30' ('lun 30 nov'): for headings where space is short."""
    return clock.format_short_day(value) if value else ""
