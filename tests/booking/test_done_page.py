"""/book/done/ shows the patient's details only just after the request (issue 9, item 10)."""

from datetime import timedelta

import pytest
import time_machine

from booking.models import Booking
from tests.conftest import NOW, VALID_BOOKING_POST

pytestmark = pytest.mark.django_db

DONE = "/book/done/"


@pytest.fixture
def requested(client, now) -> Booking:
    response = client.post("/book/", VALID_BOOKING_POST)
    assert response["Location"] == DONE
    return Booking.objects.get()


def test_right_after_the_request_the_page_shows_the_details(client, requested):
    with time_machine.travel(NOW + timedelta(minutes=4), tick=False):
        page = client.get(DONE).content.decode()

    assert requested.reference in page
    assert "/book/manage/" in page


def test_minutes_later_the_next_person_sees_no_details(client, requested):
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        response = client.get(DONE)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Thank you, we have your request" in page
    assert requested.reference not in page
    assert "Pat Example" not in page
    assert "pat@example.com" not in page
    assert "/book/manage/" not in page


def test_once_the_details_are_gone_they_stay_gone(client, requested):
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        client.get(DONE)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        response = client.get(DONE)

    assert response.status_code == 302
    assert requested.reference not in response.content.decode()
