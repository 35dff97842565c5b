"""
The desk's waitlist (admin), its cost in queries, and two claims of one time at the
same moment: exactly one booking.
"""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from booking import workflow
from booking.models import Booking
from tests.conftest import NOW, make_staff, make_waitlist_entry
from tests.waitlist.test_waitlist import fill_day, join, offer_path, run_jobs
from waitlist import offers
from waitlist.models import Entry, Offer


@pytest.fixture
def desk(client, db):
    client.force_login(make_staff("rita", "Receptionists"))
    return client


def waiting(count: int, consultation, prefix: str = "p") -> None:
    for index in range(count):
        make_waitlist_entry(
            consultation,
            NOW.date(),
            latest=NOW.date() + timedelta(days=7),
            name=f"Patient {prefix}{index}",
            email=f"{prefix}{index}@example.com",
        )


@pytest.mark.django_db
def test_the_desk_list_costs_the_same_queries_for_many_entries(desk, now, consultation):
    waiting(2, consultation)
    with CaptureQueriesContext(connection) as few:
        assert desk.get("/admin/waitlist/entry/").status_code == 200
    waiting(30, consultation, prefix="more")
    with CaptureQueriesContext(connection) as many:
        page = desk.get("/admin/waitlist/entry/")
    assert "Patient more29" in page.content.decode()
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_desk_sees_offers_and_removes_an_entry(desk, now, consultation):
    bookings = fill_day(consultation)
    run_jobs()
    entry = join()
    workflow.cancel(bookings[0])
    run_jobs(NOW + timedelta(minutes=1))

    page = desk.get("/admin/waitlist/entry/", {"day": "2026-12-08"}).content.decode()
    assert "Wanda Waiting" in page and '<td class="field-offers_sent">1</td>' in page
    detail = desk.get(f"/admin/waitlist/entry/{entry.pk}/change/").content.decode()
    assert "Tue, Dec 8, 2026, 9:00 am" in detail  # the offered time, written the US way
    assert not re.search(r"\d (AM|PM|a\.m\.|p\.m\.)", detail)  # every time written alike
    assert "Waitlist entries" in detail  # the breadcrumb

    response = desk.post(
        "/admin/waitlist/entry/",
        {"action": "remove", "_selected_action": [entry.pk], "index": 0},
        follow=True,
    )
    assert "1 entry removed from the waitlist" in response.content.decode()
    entry.refresh_from_db()
    assert entry.end_reason == Entry.EndReason.REMOVED
    assert entry.history.count() == 2  # joined, removed: kept as a record


@pytest.mark.django_db
def test_the_scan_costs_the_same_queries_for_many_entries(now, consultation):
    from waitlist import offers

    fill_day(consultation)
    waiting(2, consultation)
    offers.scan(NOW)
    offers.scan(NOW + timedelta(minutes=1))  # the minimum notice has moved past 12:00
    with CaptureQueriesContext(connection) as few:
        offers.scan(NOW + timedelta(minutes=2))
    Entry.objects.all().delete()
    waiting(40, consultation)
    with CaptureQueriesContext(connection) as many:
        offers.scan(NOW + timedelta(minutes=3))
    # Per run: the endings, the rules, and per service its free times and its lock.
    assert len(many) == len(few) <= 20, [query["sql"][:80] for query in many]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_claims_at_the_same_moment_make_one_booking(now, consultation):
    bookings = fill_day(consultation)
    run_jobs()
    join(email="first@example.com")
    join(email="second@example.com")
    workflow.cancel(bookings[3])
    run_jobs(NOW + timedelta(minutes=1))
    paths = [offer_path("first@example.com"), offer_path("second@example.com")]

    barrier = threading.Barrier(2)
    responses: list = [None, None]

    def claim(index: int) -> None:
        try:
            client = Client()
            barrier.wait(timeout=10)
            responses[index] = client.post(paths[index] + "book/")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(response.status_code for response in responses) == [200, 302]
    assert (
        Booking.objects.filter(start=bookings[3].start, status=Booking.Status.REQUESTED).count()
        == 1
    )
    assert sorted(Offer.objects.values_list("status", flat=True)) == [
        Offer.Status.CLAIMED,
        Offer.Status.TAKEN,
    ]


@pytest.mark.django_db
def test_an_ended_entry_cannot_be_put_back_from_its_history(desk, now, consultation):
    entry = make_waitlist_entry(consultation, NOW.date())
    offers.end(entry, Entry.EndReason.LEFT)
    make_waitlist_entry(consultation, NOW.date())  # the patient joined again
    first = entry.history.order_by("history_id").first()
    url = f"/admin/waitlist/entry/{entry.pk}/history/{first.pk}/"

    viewed = desk.get(url)
    reverted = desk.post(url, {"service": consultation.pk, "_save": "Save"})

    entry.refresh_from_db()
    assert viewed.status_code == 200 and "Revert" not in viewed.content.decode()
    assert reverted.status_code == 403
    assert entry.end_reason == Entry.EndReason.LEFT


@pytest.mark.django_db
def test_an_entry_is_read_only_at_the_desk_saving_it_changes_nothing(desk, now, consultation):
    entry = make_waitlist_entry(consultation, NOW.date())
    url = f"/admin/waitlist/entry/{entry.pk}/change/"

    page = desk.get(url).content.decode()
    saved = desk.post(url, {"_save": "Save"})

    assert 'name="_save"' not in page
    assert "(404) 555-0142" in page  # the phone written the US way
    assert saved.status_code == 403
    assert entry.history.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["(404) 555-0142", "404-555-0142", "4045550142", "+14045550142"])
def test_the_desk_finds_an_entry_by_its_phone_however_it_is_typed(desk, now, consultation, typed):
    make_waitlist_entry(consultation, NOW.date())
    page = desk.get("/admin/waitlist/entry/", {"q": typed}).content.decode()
    assert "Wanda Waiting" in page
