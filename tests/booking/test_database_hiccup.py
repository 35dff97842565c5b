"""
A booking POST whose database connection is cut in the middle (bench/faults.py's
pg_terminate_backend) answers with the form and a message, never an error page,
and never tells a patient "nothing was booked" when the booking was in fact saved.
"""

import pytest
from django.db import OperationalError

from booking import workflow
from booking.models import Booking
from booking.views import DATABASE_HICCUP
from tests.conftest import VALID_BOOKING_POST

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_cut_before_commit_shows_the_form_again_and_books_nothing(client, now, monkeypatch):
    def cut(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(workflow, "request", cut)

    response = client.post("/book/", VALID_BOOKING_POST)

    assert response.status_code == 200
    assert DATABASE_HICCUP.split(",")[0] in response.text
    assert 'value="Pat Example"' in response.text  # what was typed stays
    assert not Booking.objects.exists()


def test_a_cut_during_commit_of_a_saved_booking_goes_to_the_confirmation(client, now, monkeypatch):
    real = workflow.request

    def saved_then_cut(*args, **kwargs):
        real(*args, **kwargs)  # committed; the answer to COMMIT never arrives
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(workflow, "request", saved_then_cut)

    response = client.post("/book/", VALID_BOOKING_POST)

    assert response.status_code == 302
    assert response["Location"] == "/book/done/"
    assert Booking.objects.count() == 1
