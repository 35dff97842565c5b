import pytest
from django.urls import reverse

PUBLIC_PAGES = ["home", "contact", "privacy"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_it_renders_the_page_with_clinic_details_and_hours(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Vinings Surgery Center" in html
    assert "Monday – Friday" in html  # opening hours come from the booking data
    assert "9:00 am – 5:00 pm" in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_home_page_points_to_booking_and_faq(client):
    html = client.get("/").content.decode()

    assert reverse("booking:book") in html
    assert reverse("faq:index") in html
    assert "Exosome hair-loss treatment" in html  # services listed from the database


@pytest.mark.django_db
def test_footer_hours_follow_the_opening_hours_data(client):
    from datetime import time

    from booking.models import OpeningHours

    OpeningHours.objects.create(weekday=5, opens=time(9), closes=time(12))

    html = client.get(reverse("contact")).content.decode()

    assert "Saturday" in html
    assert "9:00 am – 12:00 pm" in html


@pytest.mark.django_db
def test_unknown_page_gets_the_branded_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_server_error_page_renders_without_a_request_context(rf):
    from clinic.views import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.django_db
def test_robots_txt_hides_patient_links_without_naming_the_admin(client, settings):
    body = client.get("/robots.txt").content.decode()

    assert settings.ADMIN_URL not in body  # a hidden admin path stays hidden
    assert "Disallow: /book/manage/" in body
    assert "Sitemap: " in body


@pytest.mark.django_db
def test_sitemap_lists_the_public_pages(client):
    body = client.get("/sitemap.xml").content.decode()

    for name in ["home", "faq:index", "booking:book", "contact", "privacy"]:
        assert reverse(name) in body


@pytest.mark.django_db
def test_healthz_reports_database_and_cache_only(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_says_503_when_the_cache_fails(client, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["cache"] == "error"


@pytest.mark.django_db
def test_privacy_notice_states_the_retention_period(client, settings):
    settings.BOOKING_RETENTION_DAYS = 365

    html = client.get(reverse("privacy")).content.decode()

    assert "365 days" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/faq/", "/book/", "/contact/", "/privacy/", "/robots.txt", "/healthz"]
)
def test_head_requests_are_answered_for_monitors(client, path):
    assert client.head(path).status_code == 200
