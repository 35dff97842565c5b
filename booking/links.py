"""
Signed links that let a patient see and change their booking without an account.

The token names the booking and carries its access key, signed with SECRET_KEY:
it cannot be guessed or altered, holds no personal data, and replacing the
booking's access key (or anonymising it) revokes every link sent before. Links
signed with a key listed in SECRET_KEY_FALLBACKS (DJANGO_SECRET_KEY_FALLBACKS, a
key rotation) still open; new links are signed with the current key.

A link stops working settings.BOOKING_LINK_DAYS_AFTER days after its appointment's
day (clinic calendar): an old email in a shared or stolen mailbox should not open a
patient's details for ever. Django's signing checks the fallback keys itself.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from booking.models import Booking
from clinic import clock

SALT = "booking.manage"


def make_token(booking: Booking) -> str:
    return signing.dumps([booking.pk, booking.access_key], salt=SALT, compress=False)


def manage_path(booking: Booking) -> str:
    return reverse("booking:manage", args=[make_token(booking)])


def manage_url(booking: Booking) -> str:
    return settings.SITE_URL + manage_path(booking)


def booking_from_token(token: str) -> Booking | None:
    """The booking a token names, or None for a forged, altered or revoked token."""
    if len(token) > 200:
        return None
    try:
        pk, key = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(key, str):
        return None
    booking = Booking.objects.select_related("service").filter(pk=pk).first()
    if booking is None or booking.anonymised_at is not None:
        return None
    if not signing.constant_time_compare(booking.access_key, key):
        return None
    return booking


def last_day(booking: Booking):
    """The last day (clinic calendar) on which the booking's link opens."""
    return booking.local_start.date() + timedelta(days=settings.BOOKING_LINK_DAYS_AFTER)


def expired(booking: Booking, now: datetime | None = None) -> bool:
    """Whether the booking's link no longer opens: its appointment is long past."""
    return clock.today(now) > last_day(booking)
