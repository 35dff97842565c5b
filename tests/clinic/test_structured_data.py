"""The clinic's structured data: on home, contact and FAQ, from the same records as the footer."""

import json
import re
from datetime import date

import pytest

from booking.models import Closure, OpeningHours


def node(response, kind: str) -> dict:
    script = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    graph = json.loads(script.group(1))["@graph"]
    return next(item for item in graph if item["@type"] == kind)


def clinic_node(response) -> dict:
    return node(response, "MedicalClinic")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "language", "name"),
    [
        ("/", "en-US", "Exosome therapy for hair loss"),
        ("/es/", "es-US", "Terapia con exosomas para la caída del cabello"),
        ("/contact/", "en-US", "Contact and opening hours"),
        ("/es/contact/", "es-US", "Contacto y horario"),
    ],
)
def test_a_clinic_page_says_its_language_and_its_visible_title(client, now, path, language, name):
    response = client.get(path)

    page = node(response, "WebPage")
    assert page["inLanguage"] == language
    assert page["name"] == name
    assert page["url"].endswith(path)
    assert f"<title>{name} |" in response.content.decode()
    assert page["about"] == {"@id": clinic_node(response)["@id"]}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/contact/", "/faq/", "/es/faq/"])
def test_each_page_about_the_clinic_states_its_opening_hours(client, now, path):
    hours = clinic_node(client.get(path))["openingHoursSpecification"]

    assert len(hours) == OpeningHours.objects.count()
    monday = next(h for h in hours if h["dayOfWeek"] == "https://schema.org/Monday")
    row = OpeningHours.objects.get(weekday=0)
    assert (monday["opens"], monday["closes"]) == (f"{row.opens:%H:%M}", f"{row.closes:%H:%M}")


@pytest.mark.django_db
def test_closures_and_holidays_are_special_opening_hours(client, now):
    Closure.objects.create(date=date(2026, 12, 14), reason="Training")

    special = clinic_node(client.get("/contact/"))["specialOpeningHoursSpecification"]

    closed = {item["validFrom"] for item in special}
    assert {"2026-12-14", "2026-12-25", "2027-01-01"} <= closed
    assert all(item["opens"] == item["closes"] == "00:00" for item in special)


@pytest.mark.django_db
def test_a_new_closure_reaches_the_stored_home_page_at_once(client, now):
    client.get("/")
    Closure.objects.create(date=date(2026, 12, 15))

    special = clinic_node(client.get("/"))["specialOpeningHoursSpecification"]

    assert "2026-12-15" in {item["validFrom"] for item in special}
