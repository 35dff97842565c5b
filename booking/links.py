"""
Signed links that let a patient see and change their booking without an account.

The token names the booking and carries its access key, signed with SECRET_KEY:
it cannot be guessed or altered, holds no personal data, and replacing the
booking's access key (or anonymising it) revokes every link sent before.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from booking.models import Booking

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
