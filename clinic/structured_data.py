"""
The clinic as schema.org MedicalClinic, for the JSON-LD of the home, contact and FAQ
pages: its details from settings, its hours and closures from the same records as
the footer and the booking page, so search engines are told what patients are.
"""

from datetime import date, timedelta

from django.conf import settings
from django.utils import translation

from clinic import clock

# Closures and holidays this far ahead are listed as special opening hours.
SPECIAL_DAYS_AHEAD = timedelta(days=90)
# schema.org's inLanguage for each language of the site (US English, US Spanish).
SCHEMA_LANGUAGES = {"en": "en-US", "es": "es-US"}
SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def clinic_id() -> str:
    return f"{settings.SITE_URL}/#clinic"


def medical_clinic(today: date | None = None) -> dict:
    """Two queries: the opening hours and the closures ahead."""
    from booking.availability import Rules
    from booking.models import OpeningHours

    clinic = settings.CLINIC
    today = today or clock.today()
    rules = Rules.load()
    closed = sorted(day for day in rules.closed if today <= day <= today + SPECIAL_DAYS_AHEAD)
    return {
        "@type": "MedicalClinic",
        "@id": clinic_id(),
        "name": clinic["name"],
        "url": settings.SITE_URL + "/",
        "telephone": clinic["phone_e164"],
        "availableLanguage": [
            {"@type": "Language", "name": "English", "alternateName": "en"},
            {"@type": "Language", "name": "Spanish", "alternateName": "es"},
        ],
        "email": clinic["email"],
        "address": {
            "@type": "PostalAddress",
            "streetAddress": clinic["street"],
            "addressLocality": clinic["locality"],
            "addressRegion": clinic["region"],
            "postalCode": clinic["postal_code"],
            "addressCountry": clinic["country"],
        },
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[row.weekday]}",
                "opens": f"{row.opens:%H:%M}",
                "closes": f"{row.closes:%H:%M}",
            }
            for row in OpeningHours.objects.order_by("weekday", "opens")
        ],
        # schema.org's way to say "closed that day": opens and closes at midnight.
        "specialOpeningHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "validFrom": day.isoformat(),
                "validThrough": day.isoformat(),
                "opens": "00:00",
                "closes": "00:00",
            }
            for day in closed
        ],
    }


def schema_language() -> str:
    """The page's language as schema.org's inLanguage writes it."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return SCHEMA_LANGUAGES.get(language, SCHEMA_LANGUAGES["en"])


def clinic_graph(path: str, name: str) -> dict:
    """The JSON-LD of a page about the clinic: the page, in its language, and the clinic."""
    page = {
        "@type": "WebPage",
        "@id": settings.SITE_URL + path,
        "url": settings.SITE_URL + path,
        "name": str(name),
        "inLanguage": schema_language(),
        "about": {"@id": clinic_id()},
    }
    return {"@context": "https://schema.org", "@graph": [page, medical_clinic()]}
