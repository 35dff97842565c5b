"""
The waitlist in Chromium, as people click it: a full day, two patients join from the
booking page, someone cancels, run_jobs offers the time, the first patient books it
from the email's link and the second is told it has just been taken; the desk then
finds the second patient on the waitlist and removes them.

The day comes from the site's own rules (availability.free_slots_by_day), so the
test passes on any day and at any hour.
"""

import re
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from booking import availability, workflow
from booking.models import Booking, OutgoingEmail, Service
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_desk import log_in
from tests.conftest import make_booking
from waitlist.models import Entry, Offer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def full_day() -> tuple:
    """A day whose every time is booked (back to back), all well past the minimum notice."""
    rules = availability.Rules.load()
    service = Service.objects.get(slug="consultation")
    day = next(
        day
        for day, slots in availability.free_slots_by_day(rules, service).items()
        if len(slots) > 2 and slots[0].start > rules.earliest + timedelta(hours=2)
    )
    bookings = []
    for start in rules.starts_on(service, day):
        if not bookings or start >= bookings[-1].end:
            bookings.append(
                make_booking(service=service, start=start, email=f"b{start:%H%M}@example.com")
            )
    assert availability.free_slots(service, day) == []
    return day, bookings


def run_jobs() -> str:
    out = StringIO()
    call_command("run_jobs", stdout=out)
    return out.getvalue()


def join_from_the_booking_page(page, day, name: str, email: str) -> None:
    page.goto(f"/book/?service=consultation&date={day.isoformat()}")
    assert "are taken" in page.locator("[data-time-picker]").inner_text()
    with page.expect_navigation():
        page.get_by_role(
            "link", name="Join the waitlist: we email you when a time frees up"
        ).click()
    assert page.locator("#id_earliest").input_value() == day.isoformat()
    assert page.get_by_role("radio", name=re.compile("^Consultation")).is_checked()
    page.locator("#id_latest").fill(day.isoformat())
    page.locator("#id_name").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_phone").fill("(404) 555-0142")
    page.locator("#id_consent").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Join the waitlist").click()
    assert page.get_by_role("heading", name="You are on the waitlist").is_visible()


def offer_path(email: str) -> str:
    message = OutgoingEmail.objects.get(to=email, kind=OutgoingEmail.Kind.WAITLIST_OFFER)
    return urlsplit(re.search(r"http\S+/book/waitlist/offer/\S+/", message.body_text)[0]).path


def test_a_freed_time_goes_to_the_first_waitlisted_patient_who_books_it(page):
    day, bookings = full_day()
    run_jobs()  # the first scan records the day as full

    page.set_viewport_size({"width": 360, "height": 800})
    join_from_the_booking_page(page, day, "Wanda First", "wanda@example.com")
    assert axe_violations(page) == []
    join_from_the_booking_page(page, day, "Sam Second", "sam@example.com")
    assert Entry.objects.active().count() == 2

    page.goto("/book/waitlist/?service=consultation")
    screenshot(page, "waitlist-join")
    page.get_by_role("button", name="Join the waitlist").click()
    assert page.locator("#error-summary").is_visible()  # nothing filled in: told, not stored
    # Focused, so a screen reader reads it first and Tab goes on to its links.
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'error-summary'"
    )
    assert axe_violations(page) == []
    assert Entry.objects.count() == 2

    freed = bookings[1]
    workflow.cancel(freed)
    assert "waitlist offers: 2" in run_jobs()

    first, second = offer_path("wanda@example.com"), offer_path("sam@example.com")
    page.goto(first)
    assert Booking.objects.filter(start=freed.start).exclude(pk=freed.pk).count() == 0
    assert axe_violations(page) == []
    screenshot(page, "waitlist-offer")
    with page.expect_navigation():
        page.get_by_role("button", name="Book this time").click()
    assert page.url.endswith("/book/done/")
    booking = Booking.objects.get(start=freed.start, status=Booking.Status.REQUESTED)
    assert booking.email == "wanda@example.com"

    page.goto(second)
    with page.expect_navigation():
        page.get_by_role("button", name="Book this time").click()
    assert page.get_by_role("heading", name="This time is no longer available").is_visible()
    assert "someone else booked this time a moment before you" in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, "waitlist-taken")
    assert Booking.objects.filter(start=freed.start, status=Booking.Status.REQUESTED).count() == 1
    sam = Entry.objects.get(email="sam@example.com")
    assert sam.is_active
    assert page.console_errors == []

    # The desk sees the waitlist with its offers and removes Sam.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "rita", "Receptionists")
    page.goto("/admin/waitlist/entry/?state=active")
    row = page.locator("#result_list tbody tr", has_text="Sam Second")
    assert row.locator("td.field-offers_sent").inner_text() == "1"
    screenshot(page, "waitlist-desk")
    row.locator("input[type=checkbox]").check()
    page.locator("select[name=action]").select_option("remove")
    with page.expect_navigation():
        page.get_by_role("button", name="Run").click()
    assert "1 entry removed from the waitlist" in page.inner_text("#main")
    sam.refresh_from_db()
    assert sam.end_reason == Entry.EndReason.REMOVED
    assert Offer.objects.get(entry=sam).status == Offer.Status.TAKEN
