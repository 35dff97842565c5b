"""The outbox: queued in the transaction, sent by the worker, retried with back-off, given up visibly, never sent twice."""

import smtplib
from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import override_settings

from booking import outbox, workflow
from booking.models import Booking, OutgoingEmail
from tests.conftest import NOW, at, make_booking

pytestmark = pytest.mark.django_db

Status = OutgoingEmail.Status
LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture
def commit(commit_and_send):
    """`with commit():` commits at the end of the block, then the worker sends the mail."""
    return commit_and_send


def queue_one(**overrides) -> OutgoingEmail:
    fields = {
        "to": "pat@example.com",
        "kind": OutgoingEmail.Kind.INSTRUCTIONS,
        "template": "reception_new",
        "context": {
            "reference": "ABCDEFGH",
            "name": "Pat",
            "when": "Tuesday, December 8, 2026 at 10:00 am",
            "service": "Consultation",
            "admin_url": "http://testserver/admin/",
        },
    }
    fields.update(overrides)
    return outbox.queue(**fields)


def server_down():
    return mock.patch(LOCMEM_SEND, side_effect=ConnectionRefusedError(111, "Connection refused"))


# --- Queue and send after commit ------------------------------------------------


def test_a_queued_message_is_sent_by_the_worker_after_commit(now, commit):
    with commit():
        email = queue_one()
        assert mail.outbox == []

    email.refresh_from_db()
    assert len(mail.outbox) == 1
    assert (email.status, email.attempts, email.sent_at) == (Status.SENT, 1, now)


def test_a_message_is_not_kept_when_its_transaction_rolls_back(now, commit):
    with commit(), pytest.raises(RuntimeError), transaction.atomic():
        queue_one()
        raise RuntimeError

    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_the_row_keeps_subject_text_and_html(now, commit):
    with commit():
        email = queue_one()

    email.refresh_from_db()
    assert email.subject == "New appointment request ABCDEFGH"
    assert "Patient:   Pat" in email.body_text
    assert '<td style="padding:4px 0;">Pat</td>' in email.body_html


def test_plain_text_is_not_html_escaped(now, commit):
    with commit():
        email = queue_one(
            context={"reference": "R", "name": "O'Brien & Co", "when": "", "service": ""}
        )

    assert "O'Brien & Co" in email.body_text
    assert "O&#x27;Brien &amp; Co" in email.body_html


def test_an_ics_is_an_alternative_as_text_calendar_with_its_method(now, commit):
    ics = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"
    with commit():
        queue_one(ics=ics)

    message = mail.outbox[0].message()
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert not part.is_attachment()
    assert part.get_param("method") == "CANCEL"
    # Line ends become CRLF on the wire whatever they are in memory.
    assert part.get_content().splitlines() == ics.splitlines()
    (attached,) = mail.outbox[0].attachments
    assert (attached.filename, attached.mimetype) == ("cancel.ics", "application/ics")


# --- When the mail server is away -----------------------------------------------


def test_a_failed_send_never_undoes_the_booking(consulted, treatment, now, commit):
    with server_down(), commit():
        booking = workflow.request(
            treatment,
            at(date(2026, 12, 8), 10),
            consent_version="2026-11",
            name="Pat Example",
            email="pat@example.com",
            phone="+1 404 555 0100",
        )

    assert Booking.objects.filter(pk=booking.pk, status=Booking.Status.REQUESTED).exists()
    # The first failed; the run then left the second for later (the server is down).
    assert list(OutgoingEmail.objects.order_by("pk").values_list("status", flat=True)) == [
        Status.FAILED,
        Status.QUEUED,
    ]


def test_a_run_stops_at_a_server_that_is_down_and_leaves_the_rest_untouched(now):
    emails = [queue_one(send_on_commit=False) for _ in range(3)]

    with server_down():
        report = outbox.send_due(now)

    assert report == outbox.SendReport(failed=1)
    rows = OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails]).order_by("pk")
    assert [(row.status, row.attempts) for row in rows] == [
        (Status.FAILED, 1),
        (Status.QUEUED, 0),
        (Status.QUEUED, 0),
    ]
    assert outbox.send_due(now).sent == 2


def test_a_refused_recipient_does_not_stop_the_run(now):
    for _ in range(3):
        queue_one(send_on_commit=False)
    refused = smtplib.SMTPRecipientsRefused({"pat@example.com": (550, b"unknown")})

    with mock.patch(LOCMEM_SEND, side_effect=refused):
        report = outbox.send_due(now)

    assert report == outbox.SendReport(failed=3)


def test_a_request_only_queues_its_mail(
    consulted, treatment, now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request(
            treatment,
            at(date(2026, 12, 8), 10),
            consent_version="2026-11",
            name="Pat Example",
            email="pat@example.com",
            phone="+1 404 555 0100",
        )

    assert mail.outbox == []
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {Status.QUEUED}


@override_settings(MAIL_SEND_AFTER_COMMIT=True)
def test_a_local_run_also_sends_right_after_commit(now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_one()

    email.refresh_from_db()
    assert (email.status, len(mail.outbox)) == (Status.SENT, 1)


def test_every_attempt_at_a_message_has_the_same_message_id(now):
    email = queue_one(send_on_commit=False)
    with server_down():
        outbox.send_due(now)

    outbox.send_due(now + timedelta(minutes=1))

    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == outbox.message_id(email)
    assert outbox.build_message(email).message()["Message-ID"] == outbox.message_id(email)


def test_a_failed_send_is_scheduled_for_a_retry(now, commit):
    with server_down(), commit():
        email = queue_one()

    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.attempts == 1
    assert email.next_attempt_at == now + timedelta(minutes=1)
    assert email.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"


def test_the_recorded_error_holds_no_email_address(now, commit):
    refused = smtplib.SMTPRecipientsRefused({"pat@example.com": (550, b"pat@example.com unknown")})
    with mock.patch(LOCMEM_SEND, side_effect=refused), commit():
        email = queue_one()

    email.refresh_from_db()
    assert email.last_error.startswith("SMTPRecipientsRefused: ")
    assert "pat@example.com" not in email.last_error
    assert "example.com" not in email.last_error


def test_a_failure_is_logged_by_reference_without_the_address(now, commit, caplog):
    booking = make_booking()
    with server_down(), commit():
        queue_one(booking=booking)

    (record,) = [r for r in caplog.records if r.getMessage().startswith("email ")]
    assert booking.reference in record.getMessage()
    assert "pat@example.com" not in record.getMessage()


def test_a_failed_message_is_not_retried_before_its_pause(now, commit):
    with server_down(), commit():
        queue_one()

    report = outbox.send_due(now + timedelta(seconds=59))

    assert report == outbox.SendReport(sent=0, failed=0, gave_up=0)
    assert mail.outbox == []


def test_a_failed_message_is_sent_once_its_pause_is_over(now, commit):
    with server_down(), commit():
        email = queue_one()

    report = outbox.send_due(now + timedelta(minutes=1))

    email.refresh_from_db()
    assert report.sent == 1
    assert (email.status, email.attempts, email.last_error) == (Status.SENT, 2, "")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("attempts", "minutes"),
    [(1, 1), (2, 2), (3, 4), (4, 8), (9, 256), (10, 360), (30, 360)],
)
def test_the_pause_doubles_up_to_six_hours(attempts, minutes):
    assert outbox.backoff(attempts) == timedelta(minutes=minutes)


@override_settings(MAIL_MAX_ATTEMPTS=3)
def test_it_gives_up_after_the_last_allowed_attempt(now, commit):
    with server_down():
        with commit():
            email = queue_one()
        moment = now
        for _ in range(2):
            moment += timedelta(hours=1)
            last = outbox.send_due(moment)

    email.refresh_from_db()
    assert last == outbox.SendReport(gave_up=1)
    assert (email.status, email.attempts) == (Status.GAVE_UP, 3)
    assert outbox.send_due(moment + timedelta(days=30)) == outbox.SendReport()
    assert mail.outbox == []


@override_settings(MAIL_MAX_ATTEMPTS=1)
def test_giving_up_is_logged_as_an_error(now, commit, caplog):
    with server_down(), commit():
        queue_one()

    (record,) = [r for r in caplog.records if r.getMessage().startswith("email ")]
    assert record.levelname == "ERROR"
    assert "gave up" in record.getMessage()


def test_staff_can_send_a_given_up_message_again_with_fresh_attempts(now, commit):
    email = queue_one(send_on_commit=False)
    OutgoingEmail.objects.filter(pk=email.pk).update(status=Status.GAVE_UP, attempts=8)

    assert outbox.retry_now(OutgoingEmail.objects.all()) == 1
    assert outbox.send_due(now).sent == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 1)


# --- Never twice ----------------------------------------------------------------


def test_a_sent_message_is_not_sent_again(now, commit):
    with commit():
        email = queue_one()

    assert outbox.send(email.pk, now=now + timedelta(days=1)) is None
    assert outbox.send_due(now + timedelta(days=1)) == outbox.SendReport()
    assert len(mail.outbox) == 1


def test_a_message_claimed_by_another_worker_is_left_alone(now):
    email = queue_one(send_on_commit=False)
    assert outbox._claim(email.pk, now)

    assert outbox.send(email.pk, now=now) is None
    assert outbox.send_due(now + timedelta(minutes=4)) == outbox.SendReport()
    assert mail.outbox == []


def test_a_message_whose_worker_died_is_sent_after_the_lease(now):
    email = queue_one(send_on_commit=False)
    assert outbox._claim(email.pk, now)  # …and the worker never came back

    assert outbox.send_due(now + outbox.LEASE).sent == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 2)


def test_send_due_needs_a_constant_number_of_queries_per_message(now, django_assert_num_queries):
    for _ in range(3):
        queue_one(send_on_commit=False)

    # 1 list + per message: claim, read, mark sent.
    with django_assert_num_queries(1 + 3 * 3):
        assert outbox.send_due(now).sent == 3


def test_queue_without_now_is_due_at_once():
    with time_machine.travel(NOW, tick=False):
        email = queue_one(send_on_commit=False)
    assert email.next_attempt_at == NOW


# Outside a test transaction, so the worker's connection can be closed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_error_closes_the_connection_it_broke(now):
    from django.db import OperationalError, connection

    queue_one(send_on_commit=False)
    with mock.patch.object(outbox, "_send", side_effect=OperationalError("terminated")):
        outbox.send_due(now)

    # The next row (or run) opens a fresh connection instead of failing on this one.
    assert connection.connection is None
    assert outbox.send_due(now).sent == 1
