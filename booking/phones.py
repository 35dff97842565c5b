"""
Patients' phone numbers: stored in E.164 ("+14045550100") so one number is one
value however it was typed, shown the way people in the US write it.
"""

import re

import phonenumbers
from django.db.models import QuerySet

# A number without a country code is a US one: the clinic is in Georgia.
REGION = "US"


class InvalidPhone(ValueError):
    pass


def normalise(text: str) -> str:
    """`text` as E.164, or InvalidPhone if it is not a number one could call."""
    try:
        # Tabs and runs of spaces (pasted numbers) are not understood by the parser.
        number = phonenumbers.parse(" ".join(text.split()), REGION)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone(str(error)) from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"not a valid number: {text!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(stored: str) -> str:
    """'(404) 555-0100' for a US number, '+44 20 7946 0958' for others, else as stored."""
    try:
        number = phonenumbers.parse(stored, REGION)
    except phonenumbers.NumberParseException:
        return stored
    if number.country_code == 1:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def digits(text: str) -> str:
    """The digits of what someone typed to search for a number."""
    return "".join(character for character in text if character.isdigit())


# What someone types to look a number up: "(404) 555-01", "404-555-0100", "+1 404".
_SEARCH = re.compile(r"[\d\s()+.\-]+")


def matching(queryset: QuerySet, term: str, field: str = "phone") -> QuerySet:
    """
    The rows of `queryset` whose stored number holds the digits of `term`, for an
    admin search; none if `term` does not look like (part of) a phone number.
    """
    term = term.strip()
    found = digits(term)
    if len(found) < 4 or not _SEARCH.fullmatch(term):
        return queryset.none()
    return queryset.filter(**{f"{field}__contains": found})
