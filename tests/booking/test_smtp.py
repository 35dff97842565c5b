"""Real SMTP: an aiosmtpd server on 127.0.0.1 (tests/booking/conftest.py) receives the mail."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from booking import workflow
from booking.models import Booking, OutgoingEmail
from tests.conftest import at, make_booking

pytestmark = pytest.mark.django_db


def run_jobs_in(minutes: int) -> str:
    """run_jobs `minutes` after now: the test's `now` fixture, so any day gives one answer."""
    out = StringIO()
    moment = timezone.now() + timedelta(minutes=minutes)
    call_command("run_jobs", "--now", moment.isoformat(), stdout=out)
    return out.getvalue().strip()


def test_with_the_mail_server_down_a_request_still_succeeds(
    consulted, now, treatment, smtp_mailer, commit_and_send
):
    with commit_and_send():
        booking = workflow.request(
            treatment,
            at(date(2026, 12, 8), 10),
            consent_version="2026-11",
            now=now,
            name="Pat Example",
            email="pat@example.com",
            phone="+1 404 555 0100",
        )

    assert Booking.objects.filter(pk=booking.pk).exists()
    rows = OutgoingEmail.objects.filter(booking=booking).order_by("pk")
    # The worker tried the first, then left the second for its next run.
    assert [(row.status, row.attempts) for row in rows] == [("failed", 1), ("queued", 0)]
    assert rows[0].last_error.startswith("ConnectionRefusedError")


def test_once_the_server_is_back_run_jobs_delivers_the_message(
    now, consultation, smtp_mailer, server, commit_and_send
):
    booking = make_booking(service=consultation)
    with commit_and_send():
        workflow.confirm(booking)
    assert OutgoingEmail.objects.get().status == "failed"

    inbox = server()
    output = run_jobs_in(minutes=2)

    assert output == "reminders queued: 0, sent: 1, failed: 0, gave up: 0"
    assert inbox.recipients == [["pat@example.com"]]
    (message,) = inbox.messages
    # Python folds the long subject before the encoded em dash; unfolding leaves
    # two spaces there (cosmetic; noted for the lead).
    assert " ".join(message["Subject"].split()) == (
        "Appointment confirmed: Tuesday, December 8, 2026 at 10:00 am — Vinings Surgery Center"
    )
    assert OutgoingEmail.objects.get().status == "sent"


def test_the_delivered_message_has_text_html_and_the_invitation(
    now, consultation, smtp_mailer, server, commit_and_send
):
    inbox = server()
    booking = make_booking(service=consultation)
    with commit_and_send():
        workflow.confirm(booking)

    (message,) = inbox.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Tuesday, December 8, 2026 at 10:00 am" in text
    assert "Tuesday, December 8, 2026 at 10:00 am" in html
    # The invitation is the calendar alternative beside text and HTML (iMIP).
    invitation = message.get_body(preferencelist=("calendar",))
    assert invitation.get_param("method") == "REQUEST"
    assert f"UID:booking-{booking.reference}@viningssurgery" in invitation.get_content()
    assert [p.get_filename() for p in message.iter_attachments()] == ["appointment.ics"]
