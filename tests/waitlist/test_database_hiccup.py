"""
A waitlist POST whose database connection is cut in the middle answers with its page
and a message, never an error page, and never says "nothing was booked" (or "not on
the list") when the change was in fact saved.
"""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import Client

from booking import workflow
from booking.models import Booking
from tests.conftest import NOW
from tests.waitlist.test_waitlist import JOIN, fill_day, join, offer_path, run_jobs
from waitlist import offers
from waitlist.models import Entry

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CUT = OperationalError("terminating connection due to administrator command")


def test_a_cut_join_shows_the_form_again_and_stores_nothing(client, now, monkeypatch):
    def cut(**fields):
        raise CUT

    monkeypatch.setattr(offers, "join", cut)
    response = client.post("/book/waitlist/", JOIN)

    assert response.status_code == 200
    assert "so you are not on the waitlist yet" in response.text
    assert 'value="Wanda Waiting"' in response.text
    assert not Entry.objects.exists()


def test_a_join_cut_during_its_commit_goes_to_the_joined_page(client, now, monkeypatch):
    real = offers.join

    def saved_then_cut(**fields):
        real(**fields)
        raise CUT

    monkeypatch.setattr(offers, "join", saved_then_cut)
    response = client.post("/book/waitlist/", JOIN)

    assert response["Location"] == "/book/waitlist/joined/"
    assert Entry.objects.count() == 1


@pytest.fixture
def offered(now, consultation):
    bookings = fill_day(consultation)
    run_jobs()
    join()
    workflow.cancel(bookings[0])
    run_jobs(NOW + timedelta(minutes=1))
    return offer_path("wanda@example.com") + "book/", bookings[0].start


def test_a_cut_claim_books_nothing_and_keeps_the_button(offered, monkeypatch):
    path, start = offered

    def cut(offer, **kwargs):
        raise CUT

    monkeypatch.setattr(offers, "claim", cut)
    response = Client().post(path)

    assert response.status_code == 200
    assert "so nothing was booked" in response.text
    assert "Book this time" in response.text
    assert not Booking.objects.filter(start=start, status=Booking.Status.REQUESTED).exists()


def test_a_claim_cut_during_its_commit_goes_to_the_confirmation(offered, monkeypatch):
    path, start = offered
    real = offers.claim

    def saved_then_cut(offer, **kwargs):
        real(offer, **kwargs)
        raise CUT

    monkeypatch.setattr(offers, "claim", saved_then_cut)
    response = Client().post(path)

    assert response["Location"] == "/book/done/"
    assert Booking.objects.filter(start=start, status=Booking.Status.REQUESTED).count() == 1
