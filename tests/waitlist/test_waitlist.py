"""
The waitlist (waitlist.offers): joining, a freed time found by run_jobs whatever
freed it, offers in the order patients joined and in batches, the first claim
booking the time and a later one refused, offers closing, entries ending.

The clock is the `now` fixture (Tuesday, December 1, 2026, noon) or moments
derived from it; the full day is Tuesday, December 8, 2026.
"""

import re
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client

from booking import availability, workflow
from booking.models import Booking, BookingPolicy, Closure, OutgoingEmail
from tests.conftest import NOW, at, make_booking, make_past_consultation
from waitlist import links, offers
from waitlist.models import Entry, FreeTimes, Offer

pytestmark = pytest.mark.django_db

Kind = OutgoingEmail.Kind
DAY = date(2026, 12, 8)
JOIN = {
    "service": "consultation",
    "earliest": "2026-12-08",
    "latest": "2026-12-08",
    "mornings": "on",
    "afternoons": "on",
    "name": "Wanda Waiting",
    "email": "Wanda@Example.com",
    "phone": "(404) 555-0142",
    "consent": "on",
    "consent_version": "2026-11",
    "website": "",
}


def run_jobs(moment=None) -> str:
    moment = moment or NOW
    out = StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("run_jobs", "--now", moment.isoformat(), stdout=out)
    return out.getvalue().strip()


def fill_day(service, day=DAY) -> list[Booking]:
    """Every time of `day` booked, by one patient each."""
    rules = availability.Rules.load()
    bookings: list[Booking] = []
    for start in rules.starts_on(service, day):
        if not bookings or start >= bookings[-1].end:  # back to back, none overlapping
            bookings.append(
                make_booking(
                    service=service, start=start, email=f"busy{len(bookings)}@example.com"
                )
            )
    assert availability.free_slots(service, day, rules=rules) == []
    return bookings


def join(email="wanda@example.com", name="Wanda Waiting", **changes) -> Entry:
    response = Client().post("/book/waitlist/", {**JOIN, "email": email, "name": name, **changes})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Entry.objects.get(email=email.lower(), ended_at__isnull=True)


def offer_links(address: str) -> list[str]:
    return [
        re.search(r"http://\S+/book/waitlist/offer/\S+/", message.body)[0]
        for message in mail.outbox
        if message.to == [address] and "freed up" in message.subject
    ]


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def offer_path(address: str) -> str:
    (url,) = offer_links(address)
    return path_of(url)


@pytest.fixture
def full_day(now, consultation) -> list[Booking]:
    bookings = fill_day(consultation)
    assert availability.free_slots(consultation, DAY) == []
    return bookings


# --- Joining ----------------------------------------------------------------------------


def test_joining_keeps_the_entry_and_emails_the_link(now):
    response = Client().post("/book/waitlist/", JOIN)
    run_jobs()

    assert response.status_code == 302 and response["Location"] == "/book/waitlist/joined/"
    entry = Entry.objects.get()
    assert entry.email == "wanda@example.com"  # one entry per address, whatever its case
    assert entry.phone == "+14045550142"
    assert (entry.earliest, entry.latest, entry.language) == (DAY, DAY, "en")
    (message,) = mail.outbox
    assert message.subject == "You are on the waitlist — Vinings Surgery Center"
    assert "Days: Tuesday, December 8, 2026\n" in message.body  # one day: said once
    token = links.entry_token(entry)
    assert f"/book/waitlist/{token}/" in message.body
    page = Client().get(f"/book/waitlist/{token}/")
    assert "Your place on the waitlist" in page.content.decode()


def test_joining_twice_keeps_one_entry_and_says_the_same(now):
    first = Client().post("/book/waitlist/", JOIN)
    second = Client().post("/book/waitlist/", {**JOIN, "latest": "2026-12-20"})
    run_jobs()

    assert first["Location"] == second["Location"] == "/book/waitlist/joined/"
    entry = Entry.objects.get()
    assert entry.latest == DAY  # the first entry, unchanged
    assert [m.subject for m in mail.outbox] == [
        "You are on the waitlist — Vinings Surgery Center"
    ] * 2
    assert "You are already on it" in mail.outbox[1].body


def test_the_booking_page_links_to_the_waitlist_with_its_service_and_day(now, full_day):
    page = (
        Client().get("/book/", {"service": "consultation", "date": "2026-12-08"}).content.decode()
    )
    assert "All times on Tuesday, December 8, 2026 are taken." in page
    assert 'href="/book/waitlist/?service=consultation&amp;earliest=2026-12-08"' in page
    assert "Join the waitlist: we email you when a time frees up" in page

    other_day = Client().get("/book/", {"service": "consultation", "date": "2026-12-09"})
    assert "None of these times suit me" in other_day.content.decode()
    form = (
        Client().get("/book/waitlist/?service=consultation&earliest=2026-12-08").content.decode()
    )
    assert 'value="2026-12-08"' in form
    assert Entry.objects.count() == 0  # GET changes nothing


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"latest": "2026-12-07"}, "latest", "The latest day cannot be before the earliest day"),
        ({"earliest": "2026-11-30"}, "earliest", "has already passed"),
        ({"latest": "2027-06-01"}, "latest", "We take bookings up to 60 days ahead"),
        (
            {"mornings": "", "afternoons": ""},
            "mornings",
            "Please tick mornings, afternoons or both.",
        ),
        ({"earliest": "next week"}, "earliest", "Please enter the day as YYYY-MM-DD"),
        ({"name": "x" * 10_000}, "name", "Please use at most 100 characters"),
        ({"service": "brain-surgery"}, "service", "Please choose one of our services."),
        ({"consent": ""}, "consent", "Please tick the box to agree"),
        ({"email": "not an address"}, "email", "Please enter an email address like"),
    ],
)
def test_bad_input_is_explained_on_the_page_and_changes_nothing(now, changes, field, message):
    response = Client().post("/book/waitlist/", {**JOIN, **changes})

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'href="#id_{field}"' in page  # the error summary links to the field
    assert Entry.objects.count() == 0
    assert mail.outbox == []


def test_the_honeypot_stores_nothing(now):
    response = Client().post("/book/waitlist/", {**JOIN, "website": "http://spam.example"})
    assert response.status_code == 200
    assert Entry.objects.count() == 0


# --- Freed times --------------------------------------------------------------------------


def test_a_cancellation_on_a_full_day_is_offered_to_the_waitlist(full_day, consultation):
    run_jobs()  # the first scan only records what is free
    entry = join()
    assert run_jobs() == "reminders queued: 0, sent: 1, failed: 0, gave up: 0"  # the joined email

    freed = full_day[2]
    workflow.cancel(freed)
    summary = run_jobs(NOW + timedelta(minutes=1))

    assert "waitlist offers: 1" in summary
    offer = Offer.objects.get()
    assert (offer.entry, offer.start, offer.status) == (entry, freed.start, Offer.Status.OFFERED)
    assert len(offer_links("wanda@example.com")) == 1
    message = mail.outbox[-1]
    assert "Tuesday, December 8, 2026" in message.subject
    assert "Consultation" not in message.subject  # subjects never name the service
    # Once only: the next runs find nothing new.
    run_jobs(NOW + timedelta(minutes=2))
    run_jobs(NOW + timedelta(hours=1))
    assert Offer.objects.count() == 1 and len(offer_links("wanda@example.com")) == 1


@pytest.mark.parametrize(
    "cause", ["moved away", "deleted by the desk", "closure deleted", "hours widened"]
)
def test_every_way_a_time_frees_up_is_found(now, consultation, cause):
    from booking.models import OpeningHours

    closure = None
    if cause == "closure deleted":  # the day was closed, then opens again
        closure = Closure.objects.create(date=DAY, reason="Staff training")
    else:
        bookings = fill_day(consultation)
    run_jobs()
    # A closed day alone cannot be waited for; a range with an open day can.
    join(latest="2026-12-09" if closure else "2026-12-08")
    if cause == "moved away":
        free_day = next(
            d
            for d, s in availability.free_slots_by_day(
                availability.Rules.load(), consultation
            ).items()
            if s and d != DAY
        )
        target = availability.free_slots(consultation, free_day)[0].start
        workflow.move(bookings[0], target)
    elif cause == "deleted by the desk":
        bookings[0].delete()
    elif cause == "closure deleted":
        closure.delete()
    else:
        hours = OpeningHours.objects.filter(weekday=DAY.weekday()).order_by("closes").last()
        hours.closes = hours.closes.replace(hour=hours.closes.hour + 1)
        hours.save()

    run_jobs(NOW + timedelta(minutes=1))

    assert Offer.objects.filter(status=Offer.Status.OFFERED).exists()
    assert offer_links("wanda@example.com")


def test_offers_go_in_the_order_patients_joined_in_batches(full_day):
    BookingPolicy.objects.filter(pk=1).update(waitlist_batch_size=2, waitlist_batch_minutes=10)
    run_jobs()
    patients = [f"p{index}@example.com" for index in range(5)]
    for index, address in enumerate(patients):
        with time_machine.travel(NOW + timedelta(seconds=index), tick=False):
            join(email=address, name=f"Patient {index}")
    workflow.cancel(full_day[0])

    run_jobs(NOW + timedelta(minutes=1))
    assert [bool(offer_links(a)) for a in patients] == [True, True, False, False, False]
    run_jobs(NOW + timedelta(minutes=5))  # not yet the next batch
    assert [bool(offer_links(a)) for a in patients] == [True, True, False, False, False]
    run_jobs(NOW + timedelta(minutes=11))
    assert [bool(offer_links(a)) for a in patients] == [True, True, True, True, False]

    # Patient 3 books it: the last batch is never sent.
    assert Client().post(offer_path(patients[3]) + "book/").status_code == 302
    run_jobs(NOW + timedelta(minutes=21))
    assert not offer_links(patients[4])
    assert Offer.objects.get(entry__email=patients[4]).status == Offer.Status.WITHDRAWN


def sent_starts(address: str) -> list:
    return list(
        Offer.objects.filter(entry__email=address)
        .exclude(status__in=[Offer.Status.SCHEDULED, Offer.Status.WITHDRAWN])
        .order_by("start")
        .values_list("start", flat=True)
    )


def emails_to(address: str) -> list:
    """The offer emails sent to `address`, in any language."""
    return [m for m in mail.outbox if m.to == [address] and "/waitlist/offer/" in m.body]


def test_many_times_freed_at_once_make_one_email_with_the_soonest_few(full_day):
    run_jobs()
    join()
    for booking in full_day[:5]:
        workflow.cancel(booking)
    run_jobs(NOW + timedelta(minutes=1))

    (message,) = emails_to("wanda@example.com")
    soonest = [booking.start for booking in full_day[: offers.TIMES_PER_EMAIL]]
    assert sent_starts("wanda@example.com") == soonest
    assert message.subject.startswith("Times have freed up from Tuesday, December 8, 2026")
    assert len(re.findall(r"/book/waitlist/offer/\S+/", message.body)) == len(soonest)
    assert "If none of these times suits you, do nothing" in message.body
    run_jobs(NOW + timedelta(minutes=30))  # nothing more: the rest are on /book/
    assert len(emails_to("wanda@example.com")) == 1


def two_patients_offered(*freed: Booking) -> None:
    """First and Second join (in that order), `freed` is cancelled, run_jobs offers it."""
    run_jobs()
    join(email="first@example.com", name="First Waiting")
    with time_machine.travel(NOW + timedelta(seconds=1), tick=False):
        join(email="second@example.com", name="Second Waiting")
    for booking in freed:
        workflow.cancel(booking)
    run_jobs(NOW + timedelta(minutes=1))


def test_two_times_freed_at_once_reach_both_patients_and_each_can_book_one(full_day):
    two_patients_offered(full_day[0], full_day[1])
    both = [full_day[0].start, full_day[1].start]
    assert sent_starts("first@example.com") == sent_starts("second@example.com") == both

    (message,) = emails_to("second@example.com")
    first_link, second_link = re.findall(r"http://\S+/book/waitlist/offer/\S+/", message.body)
    later = path_of(second_link)
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        assert Client().post(offer_path("first@example.com") + "book/").status_code == 302
        # Second tries the first time a moment too late: its page offers the other.
        taken = Client().post(path_of(first_link) + "book/").content.decode()
        assert "someone else booked this time a moment before you" in taken
        others = taken.split("Other times offered to you", 1)[1].split("</section>", 1)[0]
        assert full_day[1].when in others and full_day[0].when not in others
        assert Client().post(later + "book/").status_code == 302

    booked = Booking.objects.filter(start__in=both).exclude(status=Booking.Status.CANCELLED)
    assert sorted(booked.values_list("email", flat=True)) == [
        "first@example.com",
        "second@example.com",
    ]


TREATMENT_DAY = {"service": "exosome-treatment", "earliest": "2026-12-15", "latest": "2026-12-15"}


def test_a_patient_without_a_consultation_cannot_wait_for_the_treatment(now, treatment):
    response = Client().post(
        "/book/waitlist/", {**JOIN, **TREATMENT_DAY, "email": "new@example.com"}
    )

    assert response.status_code == 200
    assert "is given only after a consultation" in response.content.decode()
    assert not Entry.objects.exists()
    assert not mail.outbox


def test_a_consultation_booked_within_the_days_is_enough_to_wait(now, treatment, consultation):
    make_booking(service=consultation, start=at(date(2026, 12, 15), 9), email="soon@example.com")
    assert join(email="soon@example.com", **TREATMENT_DAY).service == treatment


def test_a_treatment_is_offered_only_to_patients_who_had_their_consultation(
    now, treatment, consultation
):
    bookings = fill_day(treatment, date(2026, 12, 15))
    run_jobs()
    make_past_consultation(email="seen@example.com")
    join(email="seen@example.com", **TREATMENT_DAY)
    # Joined with a consultation booked, which was then cancelled.
    booked = make_booking(
        service=consultation, start=at(date(2026, 12, 14), 9), email="new@example.com"
    )
    join(email="new@example.com", **TREATMENT_DAY)
    workflow.cancel(booked)
    workflow.cancel(bookings[0])
    run_jobs(NOW + timedelta(minutes=1))
    assert list(Offer.objects.values_list("entry__email", flat=True)) == ["seen@example.com"]


# --- Claiming -----------------------------------------------------------------------------


@pytest.fixture
def two_offers(full_day):
    two_patients_offered(full_day[4])
    return full_day[4].start


def test_the_first_claim_books_the_time_and_the_second_is_told_it_was_taken(two_offers):
    first, second = offer_path("first@example.com"), offer_path("second@example.com")
    page = Client().get(first)
    assert "Book this time" in page.content.decode()
    assert Booking.objects.filter(start=two_offers).exclude(status="cancelled").count() == 0

    booked = Client().post(first + "book/")
    refused = Client().post(second + "book/")

    assert booked.status_code == 302 and booked["Location"] == "/book/done/"
    booking = Booking.objects.get(start=two_offers, status=Booking.Status.REQUESTED)
    assert (booking.name, booking.email, booking.phone) == (
        "First Waiting",
        "first@example.com",
        "+14045550142",
    )
    assert refused.status_code == 200
    assert "someone else booked this time a moment before you" in refused.content.decode()
    assert Entry.objects.get(email="first@example.com").end_reason == Entry.EndReason.BOOKED
    assert Entry.objects.get(email="second@example.com").is_active  # still on the list
    assert Offer.objects.get(entry__email="second@example.com").status == Offer.Status.TAKEN
    # The patient's usual request email, with their own link.
    assert booking.emails.filter(kind=Kind.REQUEST_RECEIVED).exists()


def test_claiming_twice_books_once(two_offers):
    path = offer_path("first@example.com") + "book/"
    client = Client()
    client.post(path)
    again = client.post(path)
    assert again.status_code == 302
    assert Booking.objects.filter(start=two_offers, status=Booking.Status.REQUESTED).count() == 1


def test_an_offer_closes_after_its_hours_and_before_the_minimum_notice(two_offers):
    offer = Offer.objects.get(entry__email="first@example.com")
    assert offer.expires_at == NOW + timedelta(minutes=1, hours=12)
    path = offer_path("first@example.com") + "book/"
    with time_machine.travel(offer.expires_at + timedelta(seconds=1), tick=False):
        response = Client().post(path)
    assert response.status_code == 200
    assert "This offer has closed" in response.content.decode()
    assert not Booking.objects.filter(start=two_offers, status=Booking.Status.REQUESTED).exists()

    late = offers.closes_at(
        availability.Rules.load(), two_offers, two_offers - timedelta(hours=30)
    )
    assert late == two_offers - timedelta(hours=24)  # the minimum notice comes first


def test_forged_and_altered_links_change_nothing(two_offers):
    path = offer_path("first@example.com")
    token = path.rstrip("/").rsplit("/", 1)[1]
    for bad in (token[:-2] + "xx", "nonsense", "x" * 5000):
        assert Client().get(f"/book/waitlist/offer/{bad}/").status_code == 404
        assert Client().post(f"/book/waitlist/offer/{bad}/book/").status_code == 404
        assert Client().post(f"/book/waitlist/{bad}/leave/").status_code == 404
    # An entry's token is not an offer's.
    entry_token = links.entry_token(Entry.objects.get(email="first@example.com"))
    assert Client().post(f"/book/waitlist/offer/{entry_token}/book/").status_code == 404
    assert not Booking.objects.filter(start=two_offers, status=Booking.Status.REQUESTED).exists()


def test_leaving_ends_the_entry_and_closes_its_offers(two_offers):
    entry = Entry.objects.get(email="first@example.com")
    token = links.entry_token(entry)
    response = Client().post(f"/book/waitlist/{token}/leave/", follow=True)
    assert "You have left the waitlist" in response.content.decode()
    entry.refresh_from_db()
    assert entry.end_reason == Entry.EndReason.LEFT
    assert entry.offers.get().status == Offer.Status.WITHDRAWN
    refused = Client().post(offer_path("first@example.com") + "book/")
    assert refused.status_code == 200
    assert "You are no longer on the waitlist" in refused.content.decode()


def test_a_leave_or_book_link_opened_in_the_browser_shows_its_page_and_changes_nothing(
    two_offers,
):
    entry = Entry.objects.get(email="first@example.com")
    leave = f"/book/waitlist/{links.entry_token(entry)}/leave/"
    book = offer_path("first@example.com") + "book/"

    opened_leave = Client().get(leave, follow=True)
    opened_book = Client().get(book, follow=True)

    assert opened_leave.redirect_chain == [(leave.removesuffix("leave/"), 302)]
    assert "Leave the waitlist" in opened_leave.content.decode()
    assert opened_book.redirect_chain == [(book.removesuffix("book/"), 302)]
    assert "Book this time" in opened_book.content.decode()
    entry.refresh_from_db()
    assert entry.is_active and entry.offers.get().status == Offer.Status.OFFERED
    assert not Booking.objects.filter(start=two_offers, status=Booking.Status.REQUESTED).exists()


def test_an_offer_closed_unclaimed_says_so_not_that_the_time_is_gone(two_offers):
    offer = Offer.objects.get(entry__email="first@example.com")
    with time_machine.travel(offer.expires_at + timedelta(minutes=1), tick=False):
        page = Client().get(offer_path("first@example.com")).content.decode()
    assert "This offer has closed" in page
    assert "no longer available" not in page


# --- Entries ending ------------------------------------------------------------------------


def test_an_entry_ends_after_its_latest_day(now):
    entry = join()
    run_jobs(at(DAY, 23, 59))
    entry.refresh_from_db()
    assert entry.is_active
    run_jobs(at(DAY + timedelta(days=1), 0, 1))
    entry.refresh_from_db()
    assert entry.end_reason == Entry.EndReason.LAST_DAY


def test_a_patient_who_books_by_another_route_leaves_the_list(now, consultation):
    entry = join(email="wanda@example.com")
    make_booking(service=consultation, start=at(date(2026, 12, 9), 10), email="WANDA@example.com")
    run_jobs()
    entry.refresh_from_db()
    assert entry.end_reason == Entry.EndReason.BOOKED


def test_the_first_scan_of_a_service_records_without_offering(now, consultation):
    join()
    run_jobs()
    assert FreeTimes.objects.filter(service=consultation).exists()
    assert Offer.objects.count() == 0


# --- Spanish ------------------------------------------------------------------------------


def test_a_spanish_patient_gets_the_waitlist_in_spanish(full_day):
    run_jobs()
    response = Client().post("/es/book/waitlist/", {**JOIN, "email": "lucia@example.com"})
    assert response["Location"] == "/es/book/waitlist/joined/"
    entry = Entry.objects.get()
    assert entry.language == "es"
    workflow.cancel(full_day[0])
    run_jobs(NOW + timedelta(minutes=1))
    joined, offer = [m for m in mail.outbox if m.to == ["lucia@example.com"]]
    assert "martes, 8 de diciembre de 2026" in joined.body
    assert "/es/book/waitlist/offer/" in offer.body
    assert "martes, 8 de diciembre de 2026" in offer.subject


def test_the_spanish_waitlist_pages_have_no_english_interface_string(two_offers):
    from tests.clinic.test_no_english_left import english_left, english_sentences, readable

    entry = Entry.objects.get(email="first@example.com")
    Entry.objects.filter(pk=entry.pk).update(language="es")
    offer = entry.offers.get()
    pages = [
        f"/es/book/waitlist/{links.entry_token(entry)}/",
        f"/es/book/waitlist/offer/{links.offer_token(offer)}/",
    ]
    for path in pages:
        text = readable(Client().get(path).content.decode(), "es")
        assert english_left(text) == [] and english_sentences(text) == [], path
    booked = Client().post(f"/es/book/waitlist/offer/{links.offer_token(offer)}/book/")
    assert booked["Location"] == "/es/book/done/"  # the Spanish confirmation page
    assert Booking.objects.get(email="first@example.com").language == "es"


def test_a_spanish_email_of_several_times_is_all_spanish(full_day):
    from tests.clinic.test_no_english_left import english_sentences

    run_jobs()
    Client().post("/es/book/waitlist/", {**JOIN, "email": "lucia@example.com"})
    workflow.cancel(full_day[0])
    workflow.cancel(full_day[1])
    run_jobs(NOW + timedelta(minutes=1))

    (offer,) = emails_to("lucia@example.com")
    assert offer.subject.startswith("Se han liberado horas a partir del martes, 8 de diciembre")
    assert "Reservar el martes, 8 de diciembre de 2026, a las 9:00" in offer.alternatives[0][0]
    body = offer.body.replace("Consultation", "")  # the service's own name, not reviewed yet
    assert english_sentences(body) == []


@pytest.mark.parametrize(
    ("earliest", "latest", "told"),
    [
        ("2026-12-12", "2026-12-13", "We cannot book any day from Saturday, December 12"),
        ("2026-12-13", "2026-12-13", "The clinic is closed on Sundays"),
        ("2026-12-01", "2026-12-01", "hours' notice"),  # today: never enough notice
    ],
)
def test_days_the_clinic_cannot_book_at_all_are_refused(now, consultation, earliest, latest, told):
    response = Client().post("/book/waitlist/", {**JOIN, "earliest": earliest, "latest": latest})

    assert response.status_code == 200
    assert told in response.content.decode().replace("&#x27;", "'")
    assert not Entry.objects.exists()


def test_a_range_with_one_bookable_day_is_enough(now, consultation):
    assert join(earliest="2026-12-12", latest="2026-12-14").latest == date(2026, 12, 14)
