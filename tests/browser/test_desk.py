"""The reception desk in Chromium: from the bookings list to the week and a booking."""

import pytest

from booking import availability
from booking.models import Booking, Service
from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import make_booking, make_staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def log_in(page, username: str, group: str) -> None:
    make_staff(username, group)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")


def test_a_receptionist_finds_a_booking_in_the_week_and_opens_it(page):
    rules = availability.Rules.load()
    service = Service.objects.get(slug="consultation")
    by_day = availability.free_slots_by_day(rules, service)
    slot = next(slots[0] for slots in by_day.values() if slots)
    booking = make_booking(start=slot.start, name="Wendy Weekview", service=service)
    log_in(page, "rita", "Receptionists")

    page.goto("/admin/booking/booking/")
    page.get_by_role("link", name="Week", exact=True).click()
    page.wait_for_url("**/week/")
    while not page.get_by_role("link", name="Wendy Weekview").count():
        page.get_by_role("link", name="Next week →").click()
        page.wait_for_load_state()
    assert page.get_by_role("button", name="Print this week").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "desk-week")

    page.get_by_role("link", name="Wendy Weekview").click()
    page.wait_for_url(f"**/admin/booking/booking/{booking.pk}/change/")
    assert booking.reference in page.inner_text("#content")
    assert Booking.objects.get().status == Booking.Status.REQUESTED
    assert page.console_errors == []
