"""The reception desk in Chromium: from the bookings list to the week and a booking."""

from datetime import timedelta

import pytest

from booking import availability
from booking.models import Booking, Service
from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import at, make_booking, make_staff

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
        with page.expect_navigation():
            page.get_by_role("link", name="Next week →").click()
    assert page.get_by_role("button", name="Print this week").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "desk-week")

    page.get_by_role("link", name="Wendy Weekview").click()
    page.wait_for_url(f"**/admin/booking/booking/{booking.pk}/change/")
    assert booking.reference in page.inner_text("#content")
    assert Booking.objects.get().status == Booking.Status.REQUESTED
    assert page.console_errors == []


def test_a_stranded_booking_is_flagged_and_the_desk_moves_it_with_the_patient_told(page):
    from booking.models import Closure, OutgoingEmail

    rules = availability.Rules.load()
    service = Service.objects.get(slug="consultation")
    days = [
        (day, slots)
        for day, slots in availability.free_slots_by_day(rules, service).items()
        if slots
    ]
    (first_day, first_slots), (later_day, later_slots) = days[0], days[1]
    booking = make_booking(start=first_slots[0].start, service=service, name="Stella Stranded")
    booking.status = Booking.Status.CONFIRMED
    booking.save()

    # A manager closes the day: held back with the booking listed, then saved anyway.
    log_in(page, "mona", "Managers")
    page.goto("/admin/booking/closure/add/")
    page.locator("#id_date").fill(first_day.isoformat())
    page.locator("#id_reason").fill("Burst pipe")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    assert booking.reference in page.inner_text("#content-main")
    assert not Closure.objects.exists()
    page.get_by_label("Save anyway").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/booking/closure/")
    assert Closure.objects.filter(date=first_day).exists()

    # The desk finds it flagged on its home page and moves it.
    page.context.clear_cookies()
    log_in(page, "rita", "Receptionists")

    assert page.get_by_role("heading", name="Needs attention: 1 booking").is_visible()
    page.get_by_role("link", name=f"{booking.reference} ").click()
    page.wait_for_url(f"**/admin/booking/booking/{booking.pk}/change/")
    assert "Needs attention: The clinic is closed on" in page.inner_text("#content")
    page.locator("#id_day").fill(later_day.isoformat())  # the picker shows that day
    page.wait_for_selector(f"[data-time-picker-content][data-day='{later_day.isoformat()}']")
    page.locator(f"label[for='time-{later_slots[0].value.replace(':', '')}']").click()
    with page.expect_navigation():  # the add or change page itself matches any wider URL pattern
        page.get_by_role("button", name="Save", exact=True).click()

    booking.refresh_from_db()
    assert booking.start == later_slots[0].start
    assert booking.emails.filter(kind=OutgoingEmail.Kind.RESCHEDULED).exists()
    page.goto("/admin/")
    assert not page.get_by_role("heading", name="Needs attention: 1 booking").count()


def test_a_manager_reads_the_clinics_numbers(page):
    last_week = availability.Rules.load().today - timedelta(days=7)
    for hour in (9, 10, 11):
        make_booking(start=at(last_week, hour))
    log_in(page, "mona", "Managers")

    page.goto("/admin/booking/booking/")
    page.get_by_role("link", name="Numbers").click()
    page.wait_for_url("**/numbers/")
    assert page.get_by_role("table", name="Bookings per week, by status").is_visible()
    assert "3 bookings" in page.inner_text("#content")
    assert axe_violations(page) == []
    assert page.console_errors == []
    screenshot(page, "desk-numbers")


def test_a_receptionist_books_a_caller_through_the_picker_and_the_week_shows_it(page):
    from booking.models import OutgoingEmail

    rules = availability.Rules.load(skip_notice=True)
    service = Service.objects.get(slug="consultation")
    day, slots = next(
        (day, slots)
        for day, slots in availability.free_slots_by_day(rules, service).items()
        if len(slots) > 1 and day > rules.today
    )
    slot = slots[1]
    log_in(page, "rita", "Receptionists")

    page.goto("/admin/booking/booking/add/")
    page.get_by_label("Consultation", exact=True).check()
    page.locator("#id_day").fill(day.isoformat())  # booking.js fetches that day's times
    page.wait_for_selector(f"[data-time-picker-content][data-day='{day.isoformat()}']")
    page.locator(f"label[for='time-{slot.value.replace(':', '')}']").click()
    page.locator("#id_name").fill("Carl Caller")
    page.locator("#id_email").fill("carl@example.com")
    page.locator("#id_phone").fill("404 555 0123")
    page.locator("#id_consent").check()
    assert page.get_by_role("button", name="Show free times").is_hidden()
    screenshot(page, "desk-add")
    with page.expect_navigation():  # the add or change page itself matches any wider URL pattern
        page.get_by_role("button", name="Save", exact=True).click()

    booking = Booking.objects.get()
    assert booking.start == slot.start
    assert booking.phone == "+14045550123"
    assert booking.emails.filter(kind=OutgoingEmail.Kind.CONFIRMED).exists()
    page.goto(f"/admin/booking/booking/week/?week={day.isoformat()}")
    assert page.get_by_role("link", name="Carl Caller").is_visible()
    assert page.console_errors == []


def test_a_receptionist_sees_the_patients_other_visits_from_a_booking(page):
    rules = availability.Rules.load()
    service = Service.objects.get(slug="consultation")
    slots = [
        s
        for day_slots in availability.free_slots_by_day(rules, service).values()
        for s in day_slots
    ]
    booking = make_booking(start=slots[0].start, service=service, phone="+14045550188")
    earlier = make_booking(
        start=at(rules.today - timedelta(days=30), 10),
        service=service,
        email="someone.else@example.com",
        phone="+14045550188",
        status=Booking.Status.COMPLETED,
    )
    log_in(page, "rita", "Receptionists")

    page.goto("/admin/booking/booking/")
    page.locator("#searchbar").fill("(404) 555-0188")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2  # the phone number finds both visits
    rows.filter(has_text=booking.reference).locator("a").first.click()
    page.wait_for_url(lambda url: f"/admin/booking/booking/{booking.pk}/change/" in url)

    visits = page.locator("table.other-visits")
    assert visits.is_visible()
    assert earlier.reference in visits.inner_text()
    assert "Completed" in visits.inner_text()
    visits.get_by_role("link").first.click()
    page.wait_for_url(f"**/admin/booking/booking/{earlier.pk}/change/")
    assert page.console_errors == []
