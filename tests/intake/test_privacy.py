"""Answers and signatures never leave the database: no email, URL, log line, CSV or outbox."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from booking.admin.views import csv_row
from booking.models import Booking, OutgoingEmail
from intake.models import Answer, ConsentDocument, ConsentSignature, Submission, text_hash
from tests.conftest import make_booking
from tests.intake.conftest import ASPIRIN, valid_answers

pytestmark = pytest.mark.django_db

SECRET = "Zanzibarine 40 mg for my heart"


def test_answers_and_signature_reach_no_email_url_log_or_csv(
    client, booking, health_url, consent_url, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    data = valid_answers(booking.service, **{ASPIRIN: "yes", "Which medicines": SECRET})
    shown = text_hash(ConsentDocument.for_service(booking.service).render(booking))

    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(health_url, data)
        signed = client.post(
            consent_url, {"shown": shown, "typed_name": booking.name, "understood": "on"}
        )
    call_command("run_jobs", stdout=StringIO())

    assert Answer.objects.filter(value=SECRET).exists()
    assert ConsentSignature.objects.exists()
    assert SECRET not in answered["Location"] and SECRET not in signed["Location"]
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert SECRET not in logged and shown not in logged
    for email in OutgoingEmail.objects.all():
        assert SECRET not in email.body_text + email.body_html + email.subject
        assert shown not in email.body_text + email.body_html
    for message in mail.outbox:
        assert SECRET not in message.body
    assert SECRET not in ",".join(csv_row(booking))


def test_the_patients_pages_are_never_stored(client, health_url, consent_url):
    for url in (health_url, consent_url):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"


# --- Retention ---------------------------------------------------------------------


@pytest.fixture
def old_treatment(treatment, now):
    from tests.conftest import complete_intake

    booking = make_booking(
        service=treatment, status=Booking.Status.COMPLETED, start=now - timedelta(days=800)
    )
    complete_intake(booking)
    return booking


def test_the_purge_keeps_the_clinical_record_after_anonymising_the_booking(old_treatment):
    out = StringIO()
    call_command("purge_old_bookings", stdout=out)

    old_treatment.refresh_from_db()
    assert old_treatment.anonymised_at is not None
    assert old_treatment.name == "Anonymised"
    submission = Submission.objects.get(booking=old_treatment)
    assert submission.patient_name == "Pat Example"  # the record says whose it is
    assert ConsentSignature.objects.filter(booking=old_treatment).exists()


def test_the_clinical_record_goes_after_clinical_record_retention_days(old_treatment, settings):
    settings.CLINICAL_RECORD_RETENTION_DAYS = 700
    out = StringIO()

    call_command("purge_old_bookings", stdout=out)

    assert not Submission.objects.exists()
    assert not ConsentSignature.objects.exists()
    assert "Deleted the clinical records of 1 booking(s) older than 700 days." in out.getvalue()


def test_the_privacy_notice_states_both_periods(client, settings):
    html = client.get(reverse("privacy")).content.decode()

    assert "health answers" in html
    assert str(settings.CLINICAL_RECORD_RETENTION_DAYS // 365) in html
