from django.conf import settings
from django.urls import translate_url

from clinic.languages import entry_page


def clinic(request):
    """The clinic's contact details and opening hours, for the header and footer."""
    from booking.models import OpeningHours

    return {
        "clinic": settings.CLINIC,
        "opening_hours": OpeningHours.objects.summary,
        "admin_url": "/" + settings.ADMIN_URL,
    }


def languages(request):
    """
    The page in each language: for `hreflang` alternates and the switch in the header.
    Only the public pages have alternates (a patient's own link is nobody else's page).
    """
    path = request.path
    alternates = []
    if entry_page(_english(path)):
        alternates = [
            {"code": code, "name": name, "url": settings.SITE_URL + translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ]
    return {"language_alternates": alternates}


def _english(path: str) -> str:
    for code, _ in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE and path.startswith(f"/{code}/"):
            return path[len(code) + 1 :]
    return path
