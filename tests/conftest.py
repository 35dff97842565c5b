"""
Shared fixtures and builders. The actors: a patient (no account), a receptionist,
an FAQ editor, a manager and a superuser; a stranger is anyone else.
"""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache

from booking.models import Booking, Service
from clinic.clock import zone as clinic_zone

# Tuesday 1 December 2026, noon, clinic time: the one clock of every test that takes
# the `now` fixture. The dates the tests book (Tuesday 8 December 2026 and after) lie
# inside the booking horizon from it.
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=clinic_zone())


@pytest.fixture(autouse=True)
def _clear_cache():
    # The locmem cache outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def now():
    """Freeze the clock at NOW (Tuesday 1 December 2026, noon, clinic time)."""
    import time_machine

    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def treatment(db) -> Service:
    return Service.objects.get(slug="exosome-treatment")


@pytest.fixture
def consultation(db) -> Service:
    return Service.objects.get(slug="consultation")


# What a patient posts to /book/ for a consultation on Tuesday 8 December 2026, 10:00.
VALID_BOOKING_POST = {
    "service": "consultation",
    "date": "2026-12-08",
    "time": "10:00",
    "name": "Pat Example",
    "email": "pat@example.com",
    "phone": "+1 404 555 0100",
    "notes": "",
    "consent": "on",
    "consent_version": "2026-11",
    "website": "",
}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime at clinic time."""
    return datetime.combine(day, time(hour, minute), tzinfo=clinic_zone())


def make_booking(**overrides) -> Booking:
    """A requested consultation on Tuesday 8 December 2026 at 10:00, clinic time."""
    service = overrides.pop("service", None) or Service.objects.get(slug="consultation")
    start = overrides.pop("start", at(date(2026, 12, 8), 10))
    fields = {
        "name": "Pat Example",
        "email": "pat@example.com",
        "phone": "+14045550100",  # stored as the forms store it (booking.phones)
        "consent_version": "2026-11",
    }
    fields.update(overrides)
    return Booking.objects.create(
        service=service,
        start=start,
        end=start + timedelta(minutes=service.duration_minutes),
        **fields,
    )


def make_staff(username: str, *groups: str, superuser: bool = False) -> User:
    user = User.objects.create_user(
        username=username,
        password="correct horse battery staple",
        email=f"{username}@viningssurgery.example",
        is_staff=True,
        is_superuser=superuser,
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def complete_intake(booking: Booking, *, flagged: bool = False, cleared: bool = True) -> None:
    """
    The treatment's health questions answered, its consent signed and (by default) a
    clinician's clearance, written straight as records: for tests about something
    else (reminders, completing, purging) whose patient has done everything.
    """
    from django.utils import timezone

    from intake.models import (
        ClinicalReview,
        ConsentDocument,
        ConsentSignature,
        Questionnaire,
        Submission,
        text_hash,
    )

    questionnaire = Questionnaire.for_service(booking.service)
    if questionnaire is not None:
        Submission.objects.create(
            booking=booking,
            questionnaire=questionnaire,
            patient_name=booking.name,
            language=booking.language,
            flagged=flagged,
            submitted_at=timezone.now(),
        )
    document = ConsentDocument.for_service(booking.service)
    if document is not None:
        text = document.render(booking)
        ConsentSignature.objects.create(
            booking=booking,
            document=document,
            document_version=document.version,
            document_title=document.title,
            text_shown=text,
            text_sha256=text_hash(text),
            language=booking.language,
            typed_name=booking.name,
            signed_at=timezone.now(),
        )
    if cleared:
        ClinicalReview.objects.create(
            booking=booking,
            decision=ClinicalReview.Decision.CLEARED,
            decided_by=User.objects.filter(username="clara-auto").first()
            or make_staff("clara-auto", "Clinicians"),
            decided_at=timezone.now(),
        )


@pytest.fixture
def superuser(db) -> User:
    return make_staff("boss", superuser=True)


def make_past_consultation(**overrides) -> Booking:
    """Pat Example's completed consultation on Tuesday 24 November 2026: what the
    exosome treatment requires first (booking migration 0015)."""
    fields = {"start": at(date(2026, 11, 24), 10), "status": Booking.Status.COMPLETED}
    fields.update(overrides)
    return make_booking(**fields)


@pytest.fixture
def consulted(db) -> Booking:
    """The patient (pat@example.com) has had their consultation: they may book the treatment."""
    return make_past_consultation()


def make_waitlist_entry(service: Service, day: date, **overrides):
    """Wanda waiting for `service` on `day`, any part of the day (waitlist.models.Entry)."""
    from waitlist.models import Entry

    fields = {
        "earliest": day,
        "latest": day,
        "name": "Wanda Waiting",
        "email": "wanda@example.com",
        "phone": "+14045550142",
        "consent_at": NOW,
        "consent_version": "2026-11",
    }
    fields.update(overrides)
    return Entry.objects.create(service=service, **fields)


def make_offer(entry, start: datetime):
    """An offer of `start` to `entry`, sent and open until `start`."""
    from waitlist.models import Offer

    return Offer.objects.create(
        entry=entry, start=start, send_at=NOW, status=Offer.Status.OFFERED, expires_at=start
    )
