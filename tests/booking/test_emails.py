"""What each booking email says, and to whom (booking.emails through the outbox)."""

import email
import email.policy
from datetime import date

import icalendar
import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from booking import emails, links, outbox, workflow
from booking.models import Booking, OutgoingEmail, Service
from tests.conftest import at, make_booking

pytestmark = pytest.mark.django_db

DEC_8 = date(2026, 12, 8)
RECEPTION = "reception@viningssurgery.example"


@pytest.fixture
def commit(commit_and_send):
    """`with commit():` commits at the end of the block, then the worker sends the mail."""
    return commit_and_send


def request_treatment(treatment, **patient) -> Booking:
    fields = {"name": "Pat Example", "email": "pat@example.com", "phone": "+1 404 555 0100"}
    fields.update(patient)
    return workflow.request(treatment, at(DEC_8, 10), consent_version="2026-11", **fields)


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def html_of(message) -> str:
    (content, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return content


def parsed(message) -> email.message.EmailMessage:
    """The message as a mail client reads it: the bytes sent, parsed by Python's `email`."""
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    return email.message_from_bytes(raw, policy=email.policy.default)


def invitation_part(message):
    """The text/calendar part inside multipart/alternative, or None."""
    root = parsed(message)
    for part in root.walk():
        if part.get_content_type() == "multipart/alternative":
            found = [p for p in part.iter_parts() if p.get_content_type() == "text/calendar"]
            assert len(found) <= 1
            return found[0] if found else None
    return None


def attached_files(message) -> dict:
    """{filename: part} of the message's attachments."""
    return {part.get_filename(): part for part in parsed(message).iter_attachments()}


def calendar_parts(message) -> list:
    """Every calendar file a client could act on: the invitation and the attachments."""
    parts = [invitation_part(message)] if invitation_part(message) else []
    return parts + [
        part
        for part in attached_files(message).values()
        if part.get_content_type() == "text/calendar"
    ]


def events(part) -> list:
    return icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")


# --- A new request --------------------------------------------------------------


def test_a_request_tells_the_patient_it_is_not_confirmed_yet(consulted, treatment, now, commit):
    with commit():
        request_treatment(treatment)

    (message,) = sent_to("pat@example.com")
    assert message.subject == "Your appointment request at Vinings Surgery Center"
    assert "not confirmed yet" in message.body
    assert "Tuesday, December 8, 2026 at 10:00 am" in message.body
    assert "Tuesday, December 8, 2026 at 10:00 am" in html_of(message)


def test_a_request_email_has_the_patients_own_preparation_dates(consulted, treatment, now, commit):
    with commit():
        request_treatment(treatment)

    (message,) = sent_to("pat@example.com")
    for text in (message.body, html_of(message)):
        assert "from Saturday, December 5 until Tuesday, December 29" in text
        assert "on Monday, December 7" in text


def test_a_request_tells_reception_with_a_link_to_the_booking_in_the_admin(
    consulted, treatment, now, commit
):
    with commit():
        booking = request_treatment(treatment)

    (message,) = sent_to(RECEPTION)
    assert message.subject == f"New appointment request {booking.reference}"
    admin_link = f"http://127.0.0.1:8000/admin/booking/booking/{booking.pk}/change/"
    assert admin_link in message.body
    assert admin_link in html_of(message)
    assert "Pat Example" in message.body


def test_reception_subjects_never_name_the_patient(consulted, treatment, now, commit):
    with commit():
        booking = request_treatment(treatment)
    with commit():
        workflow.cancel(booking, by_patient=True)

    subjects = [message.subject for message in sent_to(RECEPTION)]
    assert subjects == [
        f"New appointment request {booking.reference}",
        f"Booking {booking.reference} cancelled by the patient",
    ]
    assert not any("Pat" in subject for subject in subjects)


@override_settings(CLINIC_RECEPTION_EMAIL="")
def test_no_reception_email_when_no_reception_address_is_set(consulted, treatment, now, commit):
    with commit():
        request_treatment(treatment)

    assert [message.to for message in mail.outbox] == [["pat@example.com"]]


def test_a_consultation_email_has_no_preparation_section(consultation, now, commit):
    with commit():
        workflow.request(
            consultation,
            at(DEC_8, 10),
            consent_version="2026-11",
            name="Pat Example",
            email="pat@example.com",
            phone="+1 404 555 0100",
        )

    (message,) = sent_to("pat@example.com")
    assert "HOW TO PREPARE" not in message.body
    assert "How to prepare" not in html_of(message)


# --- Confirmation -----------------------------------------------------------------


def test_the_confirmation_subject_names_the_time_and_the_clinic(treatment, now, commit):
    booking = make_booking(service=treatment)
    with commit():
        workflow.confirm(booking)

    (message,) = mail.outbox
    assert message.subject == (
        "Appointment confirmed: Tuesday, December 8, 2026 at 10:00 am — Vinings Surgery Center"
    )


def test_the_confirmation_states_the_dates_in_text_and_html(treatment, now, commit):
    booking = make_booking(service=treatment)
    with commit():
        workflow.confirm(booking)

    (message,) = mail.outbox
    for text in (message.body, html_of(message)):
        assert "Tuesday, December 8, 2026 at 10:00 am" in text
        assert "from Saturday, December 5 until Tuesday, December 29" in text
        assert "(770) 555-0142" in text
        assert "2810 Paces Ferry Road SE" in text


def test_the_confirmation_carries_a_calendar_invitation(treatment, now, commit):
    booking = make_booking(service=treatment)
    with commit():
        workflow.confirm(booking)

    (message,) = mail.outbox
    part = invitation_part(message)
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_disposition() is None
    (event,) = events(part)
    assert str(event["UID"]) == f"booking-{booking.reference}@viningssurgery"


def test_the_invitation_sits_in_the_alternative_beside_text_and_html(treatment, now, commit):
    """RFC 6047 / CalConnect iMIP practice: where Outlook and Gmail look for it."""
    with commit():
        workflow.confirm(make_booking(service=treatment))

    root = parsed(mail.outbox[0])
    assert root.get_content_type() == "multipart/mixed"
    alternative, *files = root.iter_parts()
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    assert [(p.get_filename(), p.get_content_type()) for p in files] == [
        ("appointment.ics", "application/ics"),
        ("preparation.ics", "text/calendar"),
    ]


def test_the_attached_invitation_is_the_same_file_under_another_type(treatment, now, commit):
    """application/ics: offered to open, never acted on as a second invitation."""
    with commit():
        workflow.confirm(make_booking(service=treatment))

    (message,) = mail.outbox
    attached = attached_files(message)["appointment.ics"].get_content()
    assert attached.decode() == invitation_part(message).get_content()


def test_the_preparation_days_come_as_a_separate_published_file(treatment, now, commit):
    booking = make_booking(service=treatment)
    with commit():
        workflow.confirm(booking)

    part = attached_files(mail.outbox[0])["preparation.ics"]
    assert part.get_param("method") == "PUBLISH"
    titles = sorted(str(event["SUMMARY"]) for event in events(part))
    assert titles == [
        "After the procedure (Vinings Surgery Center)",
        "Drink plenty of fluids (Vinings Surgery Center)",
        "Have breakfast (Vinings Surgery Center)",
        "No NSAIDs (Vinings Surgery Center)",
    ]
    assert "preparation.ics" in mail.outbox[0].body


def test_a_consultation_confirmation_promises_no_preparation_dates(consultation, now, commit):
    with commit():
        workflow.confirm(make_booking(service=consultation))

    (message,) = mail.outbox
    assert "preparation.ics" not in attached_files(message)
    for text in (message.body, html_of(message)):
        assert "preparation" not in text
        assert "adds the appointment to your calendar." in text


def test_a_consultation_moved_promises_no_preparation_dates(consultation, now, commit):
    booking = make_booking(service=consultation, status=Booking.Status.CONFIRMED)
    with commit():
        workflow.move(booking, at(date(2026, 12, 9), 11))

    (message,) = mail.outbox
    assert invitation_part(message).get_param("method") == "REQUEST"
    for text in (message.body, html_of(message)):
        assert "preparation" not in text
        assert "updates the appointment already in your calendar." in text


def test_a_consultation_cancelled_mentions_no_preparation(consultation, now, commit):
    booking = make_booking(service=consultation)
    with commit():
        workflow.confirm(booking)
    with commit():
        workflow.cancel(booking)

    message = mail.outbox[-1]
    assert invitation_part(message).get_param("method") == "CANCEL"
    assert "preparation" not in message.body


def test_the_confirmation_links_to_the_patients_own_booking_page(treatment, now, commit):
    booking = make_booking(service=treatment)
    with commit():
        workflow.confirm(booking)

    (message,) = mail.outbox
    url = links.manage_url(booking)
    assert url in message.body
    assert url in html_of(message)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert links.booking_from_token(token) == booking


def test_the_plain_text_is_laid_out_for_reading(treatment, now, commit):
    with commit():
        workflow.confirm(make_booking(service=treatment))

    (message,) = mail.outbox
    lines = message.body.splitlines()
    assert lines[0] == "Dear Pat Example,"
    assert "When:      Tuesday, December 8, 2026 at 10:00 am" in lines
    assert "* No NSAIDs, from Saturday, December 5 until Tuesday, December 29:" in lines
    # Only the instruction texts are indented, under their titles.
    indented = [line for line in lines if line.startswith(" ")]
    assert indented and all(line.startswith("  ") and line[2] != " " for line in indented)
    assert "\n\n\n" not in message.body


def test_replies_go_to_the_clinic_and_auto_responders_stay_quiet(treatment, now, commit):
    with commit():
        workflow.confirm(make_booking(service=treatment))

    (message,) = mail.outbox
    assert message.reply_to == ["info@viningssurgery.example"]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_the_invitations_organizer_is_the_reply_to_address(treatment, now, commit):
    """An Accept/Decline goes to ORGANIZER: the mailbox reception reads, like a reply."""
    with commit():
        workflow.confirm(make_booking(service=treatment))

    (message,) = mail.outbox
    (event,) = events(invitation_part(message))
    assert str(event["ORGANIZER"]) == f"mailto:{parsed(message)['Reply-To']}"
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"


def test_the_message_id_is_in_the_clinics_mail_domain(treatment, now, commit):
    with commit():
        workflow.confirm(make_booking(service=treatment))

    message_id = parsed(mail.outbox[0])["Message-ID"]
    assert message_id.endswith("@viningssurgery.example>")
    assert "localhost" not in message_id


def test_a_retry_sends_the_same_message_id(treatment, now, commit):
    with commit():
        workflow.confirm(make_booking(service=treatment))

    row = OutgoingEmail.objects.get()
    first = parsed(outbox.build_message(row))["Message-ID"]
    assert parsed(outbox.build_message(row))["Message-ID"] == first


@override_settings(MAIL_DOMAIN="mail.vinings.example")
def test_the_message_id_domain_is_a_setting(treatment, now, commit):
    with commit():
        workflow.confirm(make_booking(service=treatment))

    assert parsed(mail.outbox[0])["Message-ID"].endswith("@mail.vinings.example>")


# --- Names in bodies, never in headers ---------------------------------------------


def test_the_patients_name_is_escaped_in_html_and_plain_in_text(treatment, now, commit):
    booking = make_booking(service=treatment, name="Pat O'Brien <b>&</b>")
    with commit():
        workflow.confirm(booking)

    (message,) = mail.outbox
    assert "Dear Pat O'Brien <b>&</b>," in message.body
    assert "Pat O&#x27;Brien &lt;b&gt;&amp;&lt;/b&gt;" in html_of(message)


def test_line_breaks_in_a_name_never_reach_a_header(treatment, now, commit):
    booking = make_booking(service=treatment, name="Pat\r\nBcc: victim@example.com")
    with commit():
        workflow.confirm(booking)

    (message,) = mail.outbox
    raw = message.message().as_string()
    headers = raw.split("\n\n", 1)[0]
    assert "Bcc" not in headers
    assert "\n" not in message.subject and "\r" not in message.subject


def test_clean_subject_strips_line_breaks():
    assert outbox.clean_subject("Line one\r\nBcc: x@example.com\n") == (
        "Line one Bcc: x@example.com"
    )


STEPS = {
    "request": lambda booking: workflow.request(
        booking.service,
        at(date(2026, 12, 9), 11),
        consent_version="2026-11",
        name="Pat Example",
        email="pat@example.com",
        phone="+1 404 555 0100",
    ),
    "confirm": workflow.confirm,
    "reschedule": lambda booking: workflow.move(
        booking, at(date(2026, 12, 9), 11), by_patient=True
    ),
    "cancel": workflow.cancel,
    "cancel_by_patient": lambda booking: workflow.cancel(booking, by_patient=True),
    "resend": emails.resend_instructions,
}


@pytest.mark.parametrize("step", STEPS)
def test_no_subject_names_the_treatment(consulted, step, treatment, now, commit):
    booking = make_booking(service=treatment)
    with commit():
        STEPS[step](booking)

    assert mail.outbox
    for message in mail.outbox:
        assert "exosome" not in message.subject.lower()
        assert "treatment" not in message.subject.lower()


# --- Changes ------------------------------------------------------------------------


def test_a_new_time_states_the_old_and_the_new_time(treatment, now, commit):
    booking = make_booking(service=treatment, status=Booking.Status.CONFIRMED)
    with commit():
        workflow.move(booking, at(date(2026, 12, 9), 11))

    (message,) = mail.outbox
    assert message.subject == (
        "New time for your appointment: Wednesday, December 9, 2026 at 11:00 am"
        " — Vinings Surgery Center"
    )
    for text in (message.body, html_of(message)):
        assert "from Tuesday, December 8, 2026 at 10:00 am" in text
        assert "Wednesday, December 9, 2026 at 11:00 am" in text
        assert "from Sunday, December 6 until Wednesday, December 30" in text


def test_a_new_time_carries_an_updating_invitation(treatment, now, commit):
    booking = make_booking(service=treatment, status=Booking.Status.CONFIRMED)
    with commit():
        workflow.move(booking, at(date(2026, 12, 9), 11))

    (message,) = mail.outbox
    part = invitation_part(message)
    assert part.get_param("method") == "REQUEST"
    (event,) = events(part)
    assert event["SEQUENCE"] == 1
    preparation = attached_files(message)["preparation.ics"]
    assert {event["SEQUENCE"] for event in events(preparation)} == {1}


def test_a_move_by_the_clinic_does_not_email_reception(treatment, now, commit):
    booking = make_booking(service=treatment, status=Booking.Status.CONFIRMED)
    with commit():
        workflow.move(booking, at(date(2026, 12, 9), 11))

    assert sent_to(RECEPTION) == []


def test_a_move_by_the_patient_tells_reception_the_old_time(consulted, treatment, now, commit):
    booking = make_booking(service=treatment, status=Booking.Status.CONFIRMED)
    with commit():
        workflow.move(booking, at(date(2026, 12, 9), 11), by_patient=True)

    (message,) = sent_to(RECEPTION)
    assert message.subject == f"Booking {booking.reference} moved by the patient"
    assert "from Tuesday, December 8, 2026 at 10:00 am" in message.body
    assert "Wednesday, December 9, 2026 at 11:00 am" in message.body
    assert "You have moved your appointment" in sent_to("pat@example.com")[0].body


def test_a_cancellation_withdraws_the_calendar_entry_that_was_sent(treatment, now, commit):
    booking = make_booking(service=treatment)
    with commit():
        workflow.confirm(booking)
    with commit():
        workflow.cancel(booking)

    message = mail.outbox[-1]
    assert message.subject == (
        "Appointment cancelled: Tuesday, December 8, 2026 at 10:00 am — Vinings Surgery Center"
    )
    part = invitation_part(message)
    assert part.get_param("method") == "CANCEL"
    (event,) = events(part)
    assert str(event["STATUS"]) == "CANCELLED"
    assert attached_files(message)["cancel.ics"].get_content_type() == "application/ics"
    assert "removes it from your calendar" in message.body


def test_a_cancellation_marks_the_preparation_days_cancelled(treatment, now, commit):
    booking = make_booking(service=treatment)
    with commit():
        workflow.confirm(booking)
    with commit():
        workflow.cancel(booking)

    message = mail.outbox[-1]
    preparation = attached_files(message)["preparation.ics"]
    assert preparation.get_param("method") == "PUBLISH"
    assert {str(event["STATUS"]) for event in events(preparation)} == {"CANCELLED"}
    assert "marks the preparation days in your calendar as cancelled" in message.body


def test_cancelling_an_unconfirmed_request_sends_no_calendar_file(
    consulted, treatment, now, commit
):
    with commit():
        booking = request_treatment(treatment)
    with commit():
        workflow.cancel(booking)

    message = sent_to("pat@example.com")[-1]
    assert message.subject.startswith("Appointment cancelled:")
    assert calendar_parts(message) == []
    assert "calendar" not in message.body


def test_a_cancellation_by_the_clinic_apologises_and_gives_the_phone(treatment, now, commit):
    booking = make_booking(service=treatment, status=Booking.Status.CONFIRMED)
    with commit():
        workflow.cancel(booking)

    (message,) = mail.outbox
    assert "We are sorry" in message.body
    assert "(770) 555-0142" in message.body


def test_resent_instructions_carry_the_dates(treatment, now, commit):
    booking = make_booking(service=treatment, status=Booking.Status.CONFIRMED)
    with commit():
        emails.resend_instructions(booking)

    (message,) = mail.outbox
    assert message.subject == (
        "How to prepare for your appointment on Tuesday, December 8, 2026 — Vinings Surgery Center"
    )
    assert OutgoingEmail.objects.get().kind == OutgoingEmail.Kind.INSTRUCTIONS
    assert "from Saturday, December 5 until Tuesday, December 29" in html_of(message)


# --- Atomicity ----------------------------------------------------------------------


def test_nothing_is_sent_or_kept_when_the_change_is_rolled_back(treatment, now, commit):
    booking = make_booking(service=treatment)
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.confirm(booking)
        raise RuntimeError("something later in the request failed")

    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_every_email_is_recorded_in_the_outbox_as_sent(consulted, treatment, now, commit):
    with commit():
        booking = request_treatment(treatment)

    rows = OutgoingEmail.objects.filter(booking=booking).order_by("pk")
    assert [(row.kind, row.to, row.status) for row in rows] == [
        ("request_received", "pat@example.com", "sent"),
        ("reception_new", RECEPTION, "sent"),
    ]


# --- Every email the site sends, read back by a real parser ------------------------


@pytest.mark.parametrize("service_slug", ["exosome-treatment", "consultation"])
def test_every_email_of_a_bookings_life_parses_with_its_calendar_parts_in_place(
    consulted, service_slug, now, commit
):
    """Request, confirmation, move, resend, cancellation: each message as a client reads it."""
    service = Service.objects.get(slug=service_slug)
    with commit():
        booking = workflow.request(
            service,
            at(DEC_8, 10),
            consent_version="2026-11",
            name="Pat Example",
            email="pat@example.com",
            phone="+1 404 555 0100",
        )
    with commit():
        workflow.confirm(booking)
    with commit():
        workflow.move(booking, at(date(2026, 12, 9), 11), by_patient=True)
    with commit():
        emails.resend_instructions(booking)
    with commit():
        workflow.cancel(booking, by_patient=True)

    assert len(mail.outbox) == 8
    for message in mail.outbox:
        root = parsed(message)
        assert root["Message-ID"].endswith("@viningssurgery.example>")
        assert root.get_body(preferencelist=("plain",)) is not None
        assert root.get_body(preferencelist=("html",)) is not None
        invitation = invitation_part(message)
        files = attached_files(message)
        if invitation is None:
            assert not files
            continue
        # One invitation, one event, and the attached copy is the same file.
        (event,) = events(invitation)
        assert str(event["UID"]) == f"booking-{booking.reference}@viningssurgery"
        assert invitation.get_param("method") in {"REQUEST", "CANCEL"}
        attached = files.pop("cancel.ics" if event["STATUS"] == "CANCELLED" else "appointment.ics")
        assert attached.get_content().decode() == invitation.get_content()
        if service_slug == "consultation":
            assert files == {}
        else:
            (preparation,) = files.values()
            assert preparation.get_param("method") == "PUBLISH"
            assert len(events(preparation)) == 4
