"""A patient's visits at the desk: one number one way, their other bookings, a second one that day."""

from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from booking import phones
from booking.models import Booking
from tests.conftest import at, make_booking, make_staff

Status = Booking.Status
TUESDAY = date(2026, 12, 8)  # make_booking's day


@pytest.fixture
def desk(client, db, now):
    client.force_login(make_staff("rita", "Receptionists"))
    return client


def change_page(client, booking: Booking) -> str:
    return client.get(reverse("admin:booking_booking_change", args=[booking.pk])).text


# --- Numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+14045550100", "(404) 555-0100"),
        ("+442079460958", "+44 20 7946 0958"),
        ("not a number", "not a number"),  # kept as typed by an old row: shown as is
    ],
)
def test_a_number_is_shown_as_people_write_it(stored, shown):
    assert phones.display(stored) == shown


def test_the_list_and_day_sheet_show_the_number_the_us_way(desk):
    make_booking(phone="+17705550123")

    listing = desk.get(reverse("admin:booking_booking_changelist")).text
    sheet = desk.get(reverse("admin:booking_booking_day_sheet"), {"day": "2026-12-08"}).text

    assert "(770) 555-0123" in listing and "(770) 555-0123" in sheet
    assert "+17705550123" not in sheet


def test_the_migration_stores_old_numbers_in_e164_and_keeps_unreadable_ones(db):
    from importlib import import_module

    typed = ["(404) 555-0155", "404-555-0111", "770.555.0133", "+1 404 555 0144", "ask Pat"]
    for index, phone in enumerate(typed):
        booking = make_booking(start=at(TUESDAY, 9 + index))
        Booking.objects.filter(pk=booking.pk).update(phone=phone)

    import_module("booking.migrations.0007_phones_in_e164").to_e164(apps, None)

    assert sorted(Booking.objects.values_list("phone", flat=True)) == [
        "+14045550111",
        "+14045550144",
        "+14045550155",
        "+17705550133",
        "ask Pat",
    ]


def test_the_desk_finds_a_number_by_its_digits_however_typed(desk):
    patient = make_booking(phone="+14045550177")
    make_booking(start=at(TUESDAY, 11), phone="+14045550100")

    for typed in ["(404) 555-0177", "404.555.0177", "555-0177", "+1 404 555 0177"]:
        response = desk.get(reverse("admin:booking_booking_changelist"), {"q": typed})
        assert [b.pk for b in response.context["cl"].result_list] == [patient.pk], typed


# --- Other visits -------------------------------------------------------------------------


def test_a_booking_lists_the_patients_other_visits_by_email_or_phone(desk):
    booking = make_booking()
    by_email = make_booking(
        start=at(date(2026, 11, 3), 9),
        status=Status.COMPLETED,
        email="PAT@example.com",
        phone="+14045550999",
    )
    by_phone = make_booking(
        start=at(date(2026, 12, 15), 9), email="other@example.com", status=Status.CANCELLED
    )
    stranger = make_booking(
        start=at(date(2026, 12, 16), 9), email="sam@example.com", phone="+17705550100"
    )

    page = change_page(desk, booking)

    assert by_email.reference in page and "Completed" in page
    assert by_phone.reference in page and "Cancelled" in page
    assert stranger.reference not in page


def test_a_first_booking_says_it_is_the_only_one(desk):
    assert "this is the patient&#x27;s only booking" in change_page(desk, make_booking())


def test_another_booking_the_same_day_is_marked(desk):
    booking = make_booking()
    make_booking(start=at(TUESDAY, 15))

    assert "<strong>Same day</strong>" in change_page(desk, booking)


def caller(service) -> dict:
    """The desk's add form for a caller on Thursday, December 10 at 11:00."""
    return {
        "service": service.pk,
        "day": "2026-12-10",
        "time": "11:00",
        "name": "Phone Caller",
        "email": "caller@example.com",
        "phone": "(404) 555-0199",
        "notes": "",
        "internal_notes": "",
        "consent": "on",
    }


def test_booking_a_caller_who_already_holds_a_time_that_day_warns_the_desk(desk, consultation):
    held = make_booking(start=at(date(2026, 12, 10), 9), phone="+14045550199")

    response = desk.post(
        reverse("admin:booking_booking_add"),
        caller(consultation),
        follow=True,
    )

    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [
        f"This patient already has {held.reference} at 9:00 am on the same day. Check with "
        "them whether both are wanted; cancel one if not."
    ]
    assert Booking.objects.filter(phone="+14045550199").count() == 2


def test_a_caller_with_no_other_booking_that_day_gets_no_warning(desk, consultation):
    make_booking(start=at(date(2026, 12, 11), 9), phone="+14045550199")

    response = desk.post(
        reverse("admin:booking_booking_add"),
        caller(consultation),
        follow=True,
    )

    assert [m for m in response.context["messages"] if m.level_tag == "warning"] == []


def test_saving_a_booking_without_touching_the_number_changes_nothing(desk):
    booking = make_booking(status=Status.CONFIRMED)
    response = desk.get(reverse("admin:booking_booking_change", args=[booking.pk]))
    form = response.context["adminform"].form
    assert 'value="(404) 555-0100"' in response.text

    assert not form.fields["phone"].has_changed("+14045550100", "(404) 555-0100")
    assert form.fields["phone"].has_changed("+14045550100", "(404) 555-0101")
