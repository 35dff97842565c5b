"""
English at today's URLs, Spanish under /es/: the first visit follows the browser, a
chosen language wins, every page names its alternates, the admin stays English.
"""

import re
from datetime import date, datetime, time
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, translation

from clinic import clock
from clinic.settings import _clinic_phone

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-US,es;q=0.9,en;q=0.5"}
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
ENTRY_PAGES = ["/", "/faq/", "/book/", "/contact/", "/privacy/"]


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ENTRY_PAGES)
def test_a_browser_that_prefers_spanish_opens_the_same_page_in_spanish(client, path):
    response = client.get(path, **SPANISH_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == f"/es{path}"
    assert html_lang(client.get(f"/es{path}", **SPANISH_BROWSER)) == "es"
    # Shared caches must keep browsers of each language apart.
    assert {"Accept-Language", "Cookie"} <= {part.strip() for part in response["Vary"].split(",")}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ENTRY_PAGES)
def test_an_english_browser_stays_at_todays_urls(client, path):
    response = client.get(path, **ENGLISH_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_a_language_chosen_with_the_switch_wins_over_the_browser(client):
    response = client.post("/language/", {"language": "en", "next": "/es/faq/"})
    assert response.status_code == 302
    assert response["Location"] == "/faq/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/faq/", **SPANISH_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "en"


@pytest.mark.django_db
def test_the_switch_keeps_the_visitor_on_the_same_page(client):
    response = client.post("/language/", {"language": "es", "next": "/book/?service=consultation"})
    assert response["Location"] == "/es/book/?service=consultation"
    response = client.post("/language/", {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/es/"  # never off the site


@pytest.mark.django_db
def test_the_switch_is_a_post_form_in_the_header_of_every_page(client):
    html = client.get("/contact/").content.decode()
    form = re.search(
        r'<form class="language-switch" action="/language/" method="post">(.*?)</form>', html, re.S
    )
    assert form is not None
    assert 'name="next" value="/contact/"' in form.group(1)
    assert 'name="language" value="es" lang="es">Español</button>' in form.group(1)
    spanish = client.get("/es/contact/").content.decode()
    assert 'name="language" value="en" lang="en">English</button>' in spanish


@pytest.mark.django_db
def test_a_get_of_the_switch_changes_nothing(client):
    response = client.get("/language/?language=es&next=/faq/")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize("path", ENTRY_PAGES)
def test_every_public_page_names_both_languages_as_absolute_alternates(client, path):
    for shown in (path, f"/es{path}"):
        html = client.get(shown).content.decode()
        alternates = dict(
            re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
        )
        assert alternates == {
            "en": f"{settings.SITE_URL}{path}",
            "es": f"{settings.SITE_URL}/es{path}",
            "x-default": f"{settings.SITE_URL}{path}",
        }


@pytest.mark.django_db
def test_the_sitemap_lists_each_page_in_both_languages_with_alternates(client):
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locations = {url.findtext("s:loc", namespaces=ns) for url in root.findall("s:url", ns)}
    for path in ENTRY_PAGES:
        assert f"http://testserver{path}" in locations
        assert f"http://testserver/es{path}" in locations
    first = root.find("s:url", ns)
    assert {link.get("hreflang") for link in first.findall("x:link", ns)} == {
        "en",
        "es",
        "x-default",
    }


@pytest.mark.django_db
def test_the_admin_stays_in_english_for_a_spanish_browser(client):
    response = client.get(f"/{settings.ADMIN_URL}login/", **SPANISH_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert "Log in" in response.content.decode()


@pytest.mark.django_db
def test_a_missing_spanish_page_answers_in_spanish(client):
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    assert html_lang(response) == "es"
    assert "No encontramos esa página" in response.content.decode()


@pytest.mark.django_db
def test_the_page_cache_stores_each_language_apart(client):
    english = client.get("/contact/")
    spanish = client.get("/es/contact/")
    assert html_lang(english) == "en" and html_lang(spanish) == "es"
    # Answered from the store this time, each still in its own language.
    assert html_lang(client.get("/es/contact/")) == "es"
    assert html_lang(client.get("/contact/", **ENGLISH_BROWSER)) == "en"


def test_the_server_error_page_speaks_the_visitors_language(rf):
    from clinic.views import server_error

    with translation.override("es"):
        response = server_error(rf.get("/es/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="es">' in html
    assert "(770) 555-0142" in html and 'href="tel:+17705550142"' in html


# --- Dates, times and the phone number -----------------------------------------------

FRIDAY = date(2026, 12, 11)
TEN_AM = clock.at(FRIDAY, time(10, 0))


@pytest.mark.parametrize(
    ("language", "day", "day_in_year", "short", "moment", "short_moment"),
    [
        (
            "en",
            "Friday, December 11, 2026",
            "Friday, December 11",
            "Fri, Dec 11",
            "Friday, December 11, 2026 at 10:00 am",
            "Fri, Dec 11, 2026, 10:00 am",
        ),
        (
            "es",
            "viernes, 11 de diciembre de 2026",
            "viernes, 11 de diciembre",
            "vie 11 dic",
            "viernes, 11 de diciembre de 2026, a las 10:00 a. m.",
            "vie 11 dic 2026, 10:00 a. m.",
        ),
    ],
)
def test_the_clock_writes_dates_the_way_each_language_does(
    language, day, day_in_year, short, moment, short_moment
):
    with translation.override(language):
        assert clock.format_day(FRIDAY) == day
        assert clock.format_day(FRIDAY, reference=date(2026, 1, 1)) == day_in_year
        assert clock.format_short_day(FRIDAY) == short
        assert clock.format_moment(TEN_AM) == moment
        assert clock.format_short_moment(TEN_AM) == short_moment


def test_afternoon_times_in_both_languages():
    with translation.override("en"):
        assert clock.format_time(time(14, 30)) == "2:30 pm"
        assert clock.format_time(time(0, 5)) == "12:05 am"
    with translation.override("es"):
        assert clock.format_time(time(14, 30)) == "2:30 p. m."


def test_the_admin_writes_us_dates():
    moment = datetime(2026, 12, 1, 20, 0)
    with translation.override("en"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "Dec 1, 2026, 8:00 PM"
        assert formats.date_format(moment.date()) == "Dec 1, 2026"


def test_the_clinic_phone_is_written_the_us_way_and_dialled_in_e164():
    assert _clinic_phone("+1 770-555-0142") == {
        "phone": "(770) 555-0142",
        "phone_e164": "+17705550142",
    }
    assert _clinic_phone("770 555 0142")["phone_e164"] == "+17705550142"
    with pytest.raises(ImproperlyConfigured, match="CLINIC_PHONE"):
        _clinic_phone("call us")


@pytest.mark.django_db
def test_the_footer_links_the_phone_in_e164(client):
    html = client.get("/").content.decode()
    assert '<a href="tel:+17705550142">(770) 555-0142</a>' in html
    assert "+1 770-555-0142" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("template", "spanish"),
    [
        ("429.html", "Por favor, inténtelo más tarde"),
        ("403_csrf.html", "Por favor, inténtelo de nuevo"),
        ("404.html", "No encontramos esa página"),
    ],
)
def test_the_error_pages_speak_spanish_under_es(rf, template, spanish):
    from django.shortcuts import render

    request = rf.get("/es/book/")
    with translation.override("es"):
        html = render(request, template).content.decode()
    assert '<html lang="es">' in html
    assert spanish in html
    assert "(770) 555-0142" in html
