"""
The patient's flows in Chromium, as a person clicks them: booking, the Enter key,
no JavaScript, and moving and cancelling from the emailed link.

The dates come from the site's own rules (availability.free_slots_by_day), never
from "a few days ahead", so the tests pass on any day and at any hour.
"""

import re
from datetime import timedelta

import pytest
from django.utils import translation

from booking import availability
from booking.links import manage_path
from booking.models import Booking, Service
from clinic.clock import format_day
from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import make_booking, make_past_consultation

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Slots closer than this to the minimum notice are skipped: the test takes a few
# seconds between choosing a time and posting it, and the notice moves on meanwhile.
MARGIN = timedelta(hours=1)


def free_slots(slug: str, *, days: int = 1, exclude: Booking | None = None) -> list:
    """The first free slot of each of the first `days` days that have one."""
    rules = availability.Rules.load()
    service = Service.objects.get(slug=slug)
    found = []
    for slots in availability.free_slots_by_day(rules, service, exclude=exclude).values():
        usable = [slot for slot in slots if slot.start >= rules.earliest + MARGIN]
        if usable:
            found.append(usable[0])
        if len(found) == days:
            return found
    raise AssertionError(f"no {days} days with a free {slug} in the booking horizon")


def pick_time(page, slot) -> None:
    """Choose the slot's day in the date field and its time, as booking.js offers them."""
    day = slot.start.date().isoformat()
    page.locator("#id_date").fill(day)  # booking.js fetches that day's times
    page.wait_for_selector(f"[data-time-picker-content][data-day='{day}']")
    # A locator, not wait_for_function: polling a string of JavaScript needs
    # 'unsafe-eval', which the page's Content-Security-Policy rightly refuses.
    page.locator("[data-time-picker]:not([aria-busy])").wait_for()
    page.locator(f"label[for='time-{slot.value.replace(':', '')}']").click()


def fill_details(page, name: str = "Pat Example", email: str = "pat@example.com") -> None:
    page.locator("#id_name").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_phone").fill("+1 404 555 0100")
    page.locator("#id_consent").check()


def test_a_patient_books_from_the_home_page_to_the_confirmation(page):
    # The treatment comes after a consultation: this patient has had theirs.
    make_past_consultation()
    [slot] = free_slots("exosome-treatment")
    day = slot.start.date()
    page.goto("/")
    page.get_by_role("link", name="Book a consultation").first.click()
    page.wait_for_url("**/book/")
    assert axe_violations(page) == []

    with page.expect_response(lambda response: "/book/times/" in response.url):
        page.get_by_text("Exosome hair-loss treatment", exact=True).click()
    pick_time(page, slot)
    fill_details(page)
    screenshot(page, "book-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="Request appointment").click()

    assert page.url.endswith("/book/done/"), page.inner_text(".error-summary, main")[:600]
    booking = Booking.objects.get(service__slug="exosome-treatment")
    assert booking.start == slot.start
    text = page.inner_text("main")
    assert booking.reference in text
    assert "No NSAIDs" in text
    nsaid_start = day - timedelta(days=3)
    with translation.override("en"):
        assert format_day(nsaid_start, day) in text  # "Saturday, December 5"
    assert "pat@example.com" not in page.url
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.other_hosts == []
    screenshot(page, "book-done")


def test_errors_are_summarised_and_focus_moves_to_the_summary(page):
    page.goto("/book/")
    with page.expect_navigation():
        page.get_by_role("button", name="Request appointment").click()

    summary = page.locator("[role=alert], .error-summary").first
    assert summary.is_visible()
    assert re.search(r"(?i)there (is|are) \w+ problems?|please", summary.inner_text())
    assert page.evaluate("document.activeElement.closest('.error-summary, [role=alert]') !== null")
    assert axe_violations(page) == []
    screenshot(page, "book-errors")


def test_pressing_enter_in_a_text_field_requests_the_appointment(page):
    # The form's first submit button is the hidden no-JavaScript "Show times"; Enter
    # must press "Request appointment" instead, as a person expects.
    [slot] = free_slots("consultation")
    page.goto("/book/")
    page.get_by_text("Consultation", exact=True).click()
    pick_time(page, slot)
    fill_details(page)
    page.locator("#id_name").press("Enter")

    page.wait_for_url("**/book/done/")
    assert Booking.objects.get().start == slot.start


def test_the_form_works_without_javascript(browser, live_server):
    [slot] = free_slots("consultation")
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/book/?service=consultation&date={slot.start.date().isoformat()}")
    page.locator(f"label[for='time-{slot.value.replace(':', '')}']").click()
    fill_details(page, "Sam Example", "sam@example.com")
    page.get_by_role("button", name="Request appointment").click()

    page.wait_for_url("**/book/done/")
    assert Booking.objects.get().start == slot.start
    context.close()


def test_a_patient_moves_their_appointment_from_the_link(page):
    first, later = free_slots("consultation", days=2)
    booking = make_booking(start=first.start)
    page.goto(manage_path(booking))
    pick_time(page, later)
    with page.expect_navigation():
        page.get_by_role("button", name="Move my appointment").click()

    assert "Your appointment is now on" in page.inner_text("main"), page.inner_text("main")
    booking.refresh_from_db()
    assert booking.start == later.start
    assert page.console_errors == []
    screenshot(page, "manage-moved")


def test_a_patient_cancels_their_appointment_from_the_link(page):
    [slot] = free_slots("consultation")
    booking = make_booking(start=slot.start)
    page.goto(manage_path(booking))
    page.get_by_role("link", name="Cancel this appointment…").click()
    page.wait_for_url("**/cancel/")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, cancel my appointment").click()

    assert "Your appointment has been cancelled" in page.inner_text("main")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    screenshot(page, "manage-cancelled")


def test_the_self_service_page_has_no_axe_violations(page):
    [slot] = free_slots("consultation")
    booking = make_booking(start=slot.start)
    page.goto(manage_path(booking))

    assert booking.reference in page.inner_text("main")
    assert axe_violations(page) == []
    assert page.console_errors == []
    screenshot(page, "manage")


# --- In Spanish, on a phone -------------------------------------------------------------


@pytest.fixture
def phone_page(page):
    """The page at a 360 px wide phone screen."""
    page.set_viewport_size({"width": 360, "height": 800})
    return page


def test_a_spanish_speaking_patient_books_on_a_phone_and_manages_the_booking(phone_page):
    page = phone_page
    make_past_consultation(name="Lucía Pérez", email="lucia@example.com", language="es")
    [slot] = free_slots("exosome-treatment")
    page.goto("/es/book/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == "Reserve una cita"
    assert axe_violations(page) == []

    with page.expect_response(lambda response: "/es/book/times/" in response.url):
        # Its Spanish name is not reviewed yet: the English name, marked lang="en".
        page.get_by_text("Exosome hair-loss treatment", exact=True).click()
    pick_time(page, slot)
    fill_details(page, name="Lucía Pérez", email="lucia@example.com")
    with page.expect_navigation():
        page.get_by_role("button", name="Solicitar cita").click()

    assert page.url.endswith("/es/book/done/"), page.inner_text(".error-summary, main")[:600]
    booking = Booking.objects.get(service__slug="exosome-treatment")
    assert booking.language == "es"
    text = page.inner_text("main")
    assert "Gracias, hemos recibido su solicitud" in text
    with translation.override("es"):
        assert booking.when in text  # "viernes, 11 de diciembre de 2026, a las 10:00 a. m."
    assert page.locator(".instruction-title[lang='en']").first.inner_text() == "No NSAIDs"
    assert axe_violations(page) == []
    assert page.console_errors == []
    screenshot(page, "book-done-es")
    page.set_viewport_size({"width": 360, "height": 800})  # screenshot() left it at 1280

    # The link in the email, opened without /es/: the booking's own language.
    page.goto(manage_path(booking))
    assert "/es/book/manage/" in page.url
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == "Su cita"
    assert page.get_by_role("button", name="Cambiar mi cita").is_visible()
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.other_hosts == []
    screenshot(page, "manage-es")


@pytest.mark.parametrize(
    ("path", "requirement", "link", "refusal"),
    [
        (
            "/book/",
            "Given only after a consultation with us.",
            "Book a consultation first",
            "is given only after a consultation",
        ),
        (
            "/es/book/",
            "Se realiza solo después de una consulta con nosotros.",
            "Reserve primero una consulta",
            "se realiza solo después de una consulta",
        ),
    ],
    ids=["en", "es"],
)
def test_a_new_patient_choosing_the_treatment_is_offered_the_consultation_first(
    page, path, requirement, link, refusal
):
    [slot] = free_slots("exosome-treatment")
    page.goto(path)
    with page.expect_response(lambda response: "/book/times/" in response.url):
        page.get_by_text("Exosome hair-loss treatment", exact=True).click()
    assert requirement in page.inner_text(".service-options")
    assert axe_violations(page) == []
    screenshot(page, f"book-treatment-chosen-{path.strip('/').replace('/', '-')}")

    pick_time(page, slot)
    fill_details(page, email="new.patient@example.com")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Request appointment|Solicitar cita")).click()
    assert refusal in page.inner_text(".error-summary")
    assert not Booking.objects.exists()
    assert axe_violations(page) == []
    screenshot(page, f"book-treatment-refused-{path.strip('/').replace('/', '-')}")

    with page.expect_navigation():
        page.get_by_role("link", name=link, exact=True).click()
    assert page.locator("input[name=service][value=consultation]").is_checked()
    assert page.console_errors == []
    assert page.other_hosts == []
