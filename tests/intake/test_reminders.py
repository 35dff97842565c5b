"""The reminder for unfinished health questions or consent: the link only, once."""

from datetime import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from booking import workflow
from booking.models import Booking, OutgoingEmail
from clinic.clock import zone
from intake.models import Questionnaire
from tests.conftest import complete_intake, make_booking

pytestmark = pytest.mark.django_db

# The treatment's intake reminder: five days before (Thursday 3 December) at 10:00.
DUE = datetime(2026, 12, 3, 10, 5, tzinfo=zone())


def run_jobs(moment: datetime = DUE) -> str:
    out = StringIO()
    call_command("run_jobs", "--now", moment.isoformat(), stdout=out)
    return out.getvalue()


def intake_reminders() -> list:
    return list(OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.INTAKE_REMINDER))


def test_it_goes_only_to_the_patient_who_has_not_finished(treatment, now):
    unfinished = make_booking(service=treatment, status=Booking.Status.CONFIRMED)
    finished = make_booking(
        service=treatment,
        status=Booking.Status.CONFIRMED,
        name="Dana Done",
        email="dana@example.com",
    )
    complete_intake(finished, cleared=False)

    run_jobs()

    assert [email.booking for email in intake_reminders()] == [unfinished]


def test_it_is_not_sent_before_its_moment_nor_twice(treatment, now):
    make_booking(service=treatment, status=Booking.Status.CONFIRMED)

    run_jobs(datetime(2026, 12, 3, 9, 55, tzinfo=zone()))
    assert intake_reminders() == []
    run_jobs()
    run_jobs()
    assert len(intake_reminders()) == 1


def test_none_after_a_cancellation(treatment, now):
    booking = make_booking(service=treatment, status=Booking.Status.CONFIRMED)
    workflow.cancel(booking)

    run_jobs()

    assert intake_reminders() == []


def test_none_for_a_consultation_or_when_the_clinic_turns_it_off(treatment, consultation, now):
    make_booking(service=consultation, status=Booking.Status.CONFIRMED)
    make_booking(service=treatment, status=Booking.Status.CONFIRMED, email="t@example.com")
    Questionnaire.objects.update(reminder_day=None)

    run_jobs()

    assert intake_reminders() == []


def test_the_email_has_the_links_and_never_a_question_or_answer(treatment, now):
    make_booking(service=treatment, status=Booking.Status.CONFIRMED)

    run_jobs()

    email = intake_reminders()[0]
    sent = [m for m in mail.outbox if m.subject == email.subject][0]
    body = email.body_text + email.body_html
    assert "/health/" in email.body_text and "/consent/" in email.body_text
    for words in ("aspirin", "blood thinner", "pregnant", "cancer", "exosome"):
        assert words not in body.lower()
        assert words not in sent.subject.lower()


def test_a_spanish_booking_gets_it_in_spanish(treatment, now):
    make_booking(service=treatment, status=Booking.Status.CONFIRMED, language="es")

    run_jobs()

    email = intake_reminders()[0]
    assert "Responda a las preguntas de salud" in email.body_text
    assert "/es/book/manage/" in email.body_text
