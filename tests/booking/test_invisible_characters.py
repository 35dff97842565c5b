"""Invisible and control characters never reach the admin, the CSV or emails (issue 9, item 10)."""

import pytest

from booking.models import Booking
from tests.conftest import VALID_BOOKING_POST

pytestmark = pytest.mark.django_db

INVISIBLE = {
    "right-to-left override": "\u202e",
    "zero-width space": "\u200b",
    "escape": "\x1b",
    "bell": "\x07",
    "byte order mark": "\ufeff",
    "left-to-right isolate": "\u2066",
    "C1 control": "\x85",
}


def post(client, **fields):
    return client.post("/book/", {**VALID_BOOKING_POST, **fields})


@pytest.mark.parametrize("character", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_a_name_with_an_invisible_character_is_refused_kindly(client, now, character):
    response = post(client, name=f"Pat{character} Example")

    assert response.status_code == 200
    assert Booking.objects.count() == 0
    assert response.context["form"].errors["name"] == [
        "Please write your name on one line, without special characters."
    ]


@pytest.mark.parametrize("character", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_a_note_with_an_invisible_character_is_refused_kindly(client, now, character):
    response = post(client, notes=f"Question{character} about aftercare")

    assert response.status_code == 200
    assert Booking.objects.count() == 0
    (message,) = response.context["form"].errors["notes"]
    assert "hidden special character" in message


def test_a_note_keeps_its_line_breaks(client, now):
    response = post(client, notes="First line\r\n\r\nSecond line\tend")

    assert response.status_code == 302
    assert Booking.objects.get().notes == "First line\n\nSecond line end"


def test_a_note_keeps_an_emoji_sequence(client, now):
    nurse = "\U0001f469\u200d\u2695\ufe0f"
    response = post(client, notes=f"Thanks {nurse}")

    assert response.status_code == 302
    assert Booking.objects.get().notes == f"Thanks {nurse}"


def test_accents_and_other_scripts_are_welcome_in_a_name(client, now):
    response = post(client, name="José Ñúñez-O'Brien 李")

    assert response.status_code == 302
    assert Booking.objects.get().name == "José Ñúñez-O'Brien 李"


@pytest.mark.parametrize("field", ["name", "notes"])
def test_the_desk_refuses_them_too(field, now):
    from booking.admin.forms import DeskBookingForm

    form = DeskBookingForm(
        data={
            "service": Booking._meta.get_field("service")
            .related_model.objects.get(slug="consultation")
            .pk,
            "name": "Pat Example",
            "email": "pat@example.com",
            "phone": "+1 404 555 0100",
            "notes": "",
            "day": "2026-12-08",
            "time": "10:00",
            field: "Pat\u202e Example",
        }
    )

    assert not form.is_valid()
    assert "special character" in form.errors[field][0]
