"""
Two patients asking for the last place at the same moment: exactly one gets it.

Real threads post the form at once (a Barrier lines them up). On PostgreSQL
availability.reserve's row lock serialises them; on SQLite (a file database in
tests) IMMEDIATE transactions take the write lock at BEGIN (clinic.settings).

serialized_rollback: a transactional test empties the tables afterwards, and the
services, hours and rules come from data migrations that every test needs.
"""

import threading
from datetime import date

import pytest
from django.db import connection
from django.test import Client

from booking.models import Booking, BookingPolicy
from tests.conftest import at

FORM = {
    "service": "consultation",
    "date": "2026-12-08",
    "time": "10:00",
    "phone": "+1 404 555 0100",
    "notes": "",
    "consent": "on",
    "consent_version": "2026-11",
    "website": "",
}

TAKEN = "Sorry, that time was just taken"


def race(patients: list[dict]) -> list:
    """Post the booking form for every patient at the same moment; the responses."""
    barrier = threading.Barrier(len(patients))
    responses: list = [None] * len(patients)
    errors: list[BaseException] = []

    def ask(index: int, details: dict) -> None:
        try:
            client = Client()
            barrier.wait(timeout=10)
            responses[index] = client.post("/book/", {**FORM, **details})
        except BaseException as error:  # noqa: BLE001 - re-raised in the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=ask, args=(index, details))
        for index, details in enumerate(patients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return responses


PATIENTS = [
    {"name": "Pat First", "email": "first@example.com"},
    {"name": "Sam Second", "email": "second@example.com"},
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_one_of_two_simultaneous_requests_gets_the_last_place(now):
    responses = race(PATIENTS)
    assert sorted(response.status_code for response in responses) == [200, 302]
    loser = next(response for response in responses if response.status_code == 200)
    assert TAKEN in loser.content.decode()
    assert Booking.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_capacity_two_takes_two_of_three_simultaneous_requests(now):
    policy = BookingPolicy.current()
    policy.capacity = 2
    policy.save()
    responses = race([*PATIENTS, {"name": "Kim Third", "email": "third@example.com"}])
    assert sorted(response.status_code for response in responses) == [200, 302, 302]
    assert Booking.objects.filter(start=at(date(2026, 12, 8), 10)).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_loser_keeps_what_they_typed_and_sees_fresh_times(now):
    responses = race(PATIENTS)
    loser = next(response for response in responses if response.status_code == 200)
    content = loser.content.decode()
    winner = Booking.objects.get()
    loser_name = "Sam Second" if winner.name == "Pat First" else "Pat First"
    assert f'value="{loser_name}"' in content
    assert 'value="10:00"' not in content
    assert 'value="10:30"' in content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_second_of_two_requests_in_a_row_is_told_the_time_was_taken(now):
    # Runs on every database: the same two requests, one after the other.
    first = Client().post("/book/", {**FORM, **PATIENTS[0]})
    second = Client().post("/book/", {**FORM, **PATIENTS[1]})
    assert (first.status_code, second.status_code) == (302, 200)
    assert TAKEN in second.content.decode()
    assert Booking.objects.count() == 1
