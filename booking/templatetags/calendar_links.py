"""{% web_calendar_links booking as links %}: "Add to Google Calendar" / "Outlook.com" URLs."""

from django import template

from booking import ics
from booking.models import Booking

register = template.Library()


@register.simple_tag
def web_calendar_links(booking: Booking) -> dict[str, str]:
    return ics.web_calendar_links(booking)
