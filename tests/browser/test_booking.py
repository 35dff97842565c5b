import re
from datetime import timedelta

import pytest
from django.utils import timezone

from booking.models import Booking
from clinic.clock import zone as clinic_zone
from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def next_weekday(days_ahead: int = 3):
    day = (timezone.now().astimezone(clinic_zone()) + timedelta(days=days_ahead)).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_a_patient_books_from_the_home_page_to_the_confirmation(page):
    day = next_weekday()
    page.goto("/")
    page.get_by_role("link", name="Book a consultation").first.click()
    page.wait_for_url("**/book/")
    assert axe_violations(page) == []

    with page.expect_response(lambda response: "/book/times/" in response.url):
        page.get_by_text("Exosome hair-loss treatment", exact=True).click()
    page.locator("#id_date").fill(day.isoformat())  # booking.js fetches that day's times
    page.wait_for_selector(f"[data-time-picker-content][data-day='{day.isoformat()}']")
    page.wait_for_function(
        "!document.querySelector('[data-time-picker]').hasAttribute('aria-busy')"
    )
    page.locator("label[for='time-1000']").click()
    page.locator("#id_name").fill("Pat Example")
    page.locator("#id_email").fill("pat@example.com")
    page.locator("#id_phone").fill("+1 404 555 0100")
    page.locator("#id_consent").check()
    screenshot(page, "book-filled")
    page.get_by_role("button", name="Request appointment").click()

    page.wait_for_load_state()
    assert page.url.endswith("/book/done/"), page.inner_text(".error-summary, main")[:600]
    booking = Booking.objects.get()
    text = page.inner_text("main")
    assert booking.reference in text
    assert "No NSAIDs" in text
    nsaid_start = day - timedelta(days=3)
    assert f"{nsaid_start:%A} {nsaid_start.day} {nsaid_start:%B}" in text
    assert "pat@example.com" not in page.url
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.other_hosts == []
    screenshot(page, "book-done")


def test_errors_are_summarised_and_focus_moves_to_the_summary(page):
    page.goto("/book/")
    page.get_by_role("button", name="Request appointment").click()

    page.wait_for_load_state()
    summary = page.locator("[role=alert], .error-summary").first
    assert summary.is_visible()
    assert re.search(r"(?i)there (is|are) \w+ problems?|please", summary.inner_text())
    assert page.evaluate("document.activeElement.closest('.error-summary, [role=alert]') !== null")
    assert axe_violations(page) == []
    screenshot(page, "book-errors")


def test_the_form_works_without_javascript(browser, live_server):
    day = next_weekday()
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/book/?service=consultation&date={day.isoformat()}")
    page.locator("label[for='time-0930']").click()
    page.locator("#id_name").fill("Sam Example")
    page.locator("#id_email").fill("sam@example.com")
    page.locator("#id_phone").fill("+1 404 555 0101")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Request appointment").click()

    page.wait_for_url("**/book/done/")
    assert Booking.objects.get().local_start.strftime("%H:%M") == "09:30"
    context.close()


def test_the_self_service_page_has_no_axe_violations(page):
    from booking.links import manage_path
    from tests.conftest import at, make_booking

    booking = make_booking(start=at(next_weekday(5), 11))
    page.goto(manage_path(booking))

    assert booking.reference in page.inner_text("main")
    assert axe_violations(page) == []
    assert page.console_errors == []
    screenshot(page, "manage")
