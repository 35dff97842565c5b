"""
Builders for the intake tests. The actors: a patient with a treatment booking (no
account, the signed link), a clinician, a receptionist, a manager and an FAQ editor.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from booking.links import make_token
from booking.models import Booking
from intake.models import Question, Questionnaire
from tests.booking.conftest import commit_and_send  # noqa: F401 - the same fixture
from tests.conftest import make_booking, make_staff

ASPIRIN = "Do you take aspirin, a blood thinner"


@pytest.fixture(autouse=True)
def _english_between_tests():
    # As in tests/booking/conftest.py: a request to a Spanish page leaves Spanish active
    # in the test's thread; each test starts in English.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def booking(treatment, now) -> Booking:
    """A confirmed treatment on Tuesday 8 December 2026 at 10:00 (a week after `now`)."""
    return make_booking(service=treatment, status=Booking.Status.CONFIRMED)


@pytest.fixture
def token(booking) -> str:
    return make_token(booking)


@pytest.fixture
def health_url(token) -> str:
    return reverse("intake:health", args=[token])


@pytest.fixture
def consent_url(token) -> str:
    return reverse("intake:consent", args=[token])


def questions(service) -> list[Question]:
    return list(
        Questionnaire.for_service(service).questions.filter(retired=False).order_by("order", "pk")
    )


def question(service, starts: str) -> Question:
    return next(q for q in questions(service) if q.text_en.startswith(starts))


def valid_answers(service, **by_start: str) -> dict[str, str]:
    """A POST answering every question with "no" (or the first choice), except `by_start`."""
    data = {}
    for q in questions(service):
        if q.kind == Question.Kind.YES_NO:
            value = "no"
        elif q.kind == Question.Kind.CHOICE:
            value = q.choice_keys()[0]
        else:
            value = ""
        for start, given in by_start.items():
            if q.text_en.startswith(start):
                value = given
        data[f"q_{q.pk}"] = value
    return data


def as_answers(service, data: dict[str, str]) -> dict[int, str]:
    return {int(key[2:]): value for key, value in data.items() if value}


@pytest.fixture
def clinician(db):
    return make_staff("clara", "Clinicians")


@pytest.fixture
def receptionist(db):
    return make_staff("rita", "Receptionists")


@pytest.fixture
def manager(db):
    return make_staff("mona", "Managers")
