"""
The signed links of the waitlist's emails: one to see or leave an entry, one per offer.

As for bookings (booking.links): the token names the row and carries the entry's
access key, signed with SECRET_KEY; it holds no personal data and cannot be
guessed or altered. An ended entry's page still opens (it says so) until the
entry is deleted (purge_old_bookings).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from waitlist.models import Entry, Offer

ENTRY_SALT = "waitlist.entry"
OFFER_SALT = "waitlist.offer"


def _load(token: str, salt: str) -> tuple[int, str] | None:
    if len(token) > 200:
        return None
    try:
        pk, key = signing.loads(token, salt=salt)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(key, str):
        return None
    return pk, key


def entry_token(entry: Entry) -> str:
    return signing.dumps([entry.pk, entry.access_key], salt=ENTRY_SALT, compress=False)


def offer_token(offer: Offer) -> str:
    return signing.dumps([offer.pk, offer.entry.access_key], salt=OFFER_SALT, compress=False)


def entry_from_token(token: str) -> Entry | None:
    loaded = _load(token, ENTRY_SALT)
    if loaded is None:
        return None
    entry = Entry.objects.select_related("service").filter(pk=loaded[0]).first()
    if entry is None or not signing.constant_time_compare(entry.access_key, loaded[1]):
        return None
    return entry


def offer_from_token(token: str) -> Offer | None:
    loaded = _load(token, OFFER_SALT)
    if loaded is None:
        return None
    offer = Offer.objects.select_related("entry__service").filter(pk=loaded[0]).first()
    if offer is None or not signing.constant_time_compare(offer.entry.access_key, loaded[1]):
        return None
    return offer


def _absolute(language: str, name: str, token: str) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(name, args=[token])


def entry_url(entry: Entry) -> str:
    return _absolute(entry.language, "waitlist:entry", entry_token(entry))


def offer_url(offer: Offer) -> str:
    return _absolute(offer.entry.language, "waitlist:offer", offer_token(offer))
