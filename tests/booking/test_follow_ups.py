"""
Follow-ups after a completed treatment (booking.followups): the check-in at three
months and the re-evaluation at six, each exactly once at its moment, never after an
opt-out, a new booking or the retention purge; the one-click way to stop them.
"""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client

from booking import followups, outbox
from booking.models import Booking, FollowUp, FollowUpOptOut, OutgoingEmail
from tests.conftest import at, make_booking

pytestmark = pytest.mark.django_db

Kind = OutgoingEmail.Kind
# Tuesday, December 8, 2026 at 10:00: 91 days later is Tuesday, March 9, 2027, and
# 182 days later Tuesday, June 8, 2027, each at 10:00 clinic time.
CHECK_IN = at(date(2027, 3, 9), 10)
RE_EVALUATION = at(date(2027, 6, 8), 10)


@pytest.fixture
def treated(treatment) -> Booking:
    return make_booking(service=treatment, status=Booking.Status.COMPLETED)


def run_jobs(moment) -> str:
    out = StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("run_jobs", "--now", moment.isoformat(), stdout=out)
    return out.getvalue().strip()


def sent_follow_ups() -> list[str]:
    return [
        message.subject
        for message in mail.outbox
        if "How are you" in message.subject or "re-evaluation" in message.subject
    ]


def test_the_treatment_ships_with_a_check_in_and_a_re_evaluation(treatment, consultation):
    shipped = list(
        FollowUp.objects.filter(service=treatment).values_list("days_after", "invite_to")
    )
    assert shipped == [(91, None), (182, consultation.pk)]


def test_a_completed_treatment_gets_each_follow_up_once_at_its_moment(treated, consultation):
    for moment in (CHECK_IN - timedelta(minutes=1), CHECK_IN, CHECK_IN + timedelta(hours=1)):
        run_jobs(moment)
    assert sent_follow_ups() == ["How are you getting on? — Vinings Surgery Center"]

    check_in = mail.outbox[-1]
    assert "about three months since your treatment on Tuesday, December 8, 2026" in check_in.body
    assert check_in.to == [treated.email]

    for moment in (
        RE_EVALUATION - timedelta(minutes=1),
        RE_EVALUATION,
        RE_EVALUATION + timedelta(days=3),
    ):
        run_jobs(moment)
    assert sent_follow_ups() == [
        "How are you getting on? — Vinings Surgery Center",
        "Time for your re-evaluation — Vinings Surgery Center",
    ]
    invitation = mail.outbox[-1]
    assert "/book/?service=consultation" in invitation.body
    assert OutgoingEmail.objects.filter(booking=treated, kind=Kind.FOLLOW_UP).count() == 2


def test_run_jobs_says_how_many_follow_ups_it_queued(treated):
    assert run_jobs(CHECK_IN).endswith("follow-ups queued: 1")
    assert "follow-ups" not in run_jobs(CHECK_IN + timedelta(minutes=5))


def test_each_follow_up_carries_a_one_click_unsubscribe(treated):
    run_jobs(CHECK_IN)

    email = OutgoingEmail.objects.get(kind=Kind.FOLLOW_UP)
    message = outbox.build_message(email).message()
    assert message["List-Unsubscribe"] == f"<{email.unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.unsubscribe_url.startswith("http")
    assert "/book/follow-ups/stop/" in email.unsubscribe_url
    # The link names no one: it holds only a keyed hash of the address.
    assert treated.email not in email.unsubscribe_url
    assert "pat" not in email.unsubscribe_url.rsplit("/", 2)[-2]
    assert email.unsubscribe_url in email.body_text


def test_the_unsubscribe_header_goes_on_the_wire_as_a_plain_link(treated):
    # Mail providers read the raw header: an RFC 2047 encoded word (what Python writes
    # when it folds a long unbroken URL at 78 characters) is not a link to them.
    import email
    import email.policy

    run_jobs(CHECK_IN)
    record = OutgoingEmail.objects.get(kind=Kind.FOLLOW_UP)

    sent = outbox.build_message(record).message(policy=email.policy.SMTP).as_bytes()

    raw = email.message_from_bytes(sent, policy=email.policy.compat32)
    assert "=?" not in raw["List-Unsubscribe"]
    assert " ".join(raw["List-Unsubscribe"].split()) == f"<{record.unsubscribe_url}>"
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize(
    "status",
    [
        Booking.Status.CONFIRMED,
        Booking.Status.REQUESTED,
        Booking.Status.CANCELLED,
        Booking.Status.NO_SHOW,
    ],
)
def test_only_a_completed_appointment_is_followed_up(treatment, status):
    make_booking(service=treatment, status=status)

    run_jobs(CHECK_IN)

    assert sent_follow_ups() == []


def test_a_consultation_has_no_follow_ups(consultation):
    make_booking(service=consultation, status=Booking.Status.COMPLETED)

    run_jobs(CHECK_IN)

    assert sent_follow_ups() == []


def test_after_an_outage_a_follow_up_still_goes_within_two_weeks_not_after(treated):
    run_jobs(CHECK_IN + timedelta(days=15))
    assert sent_follow_ups() == []

    run_jobs(CHECK_IN + timedelta(days=13))
    assert len(sent_follow_ups()) == 1


def test_none_after_the_patient_stops_them_and_reminders_still_go(treated, treatment):
    run_jobs(CHECK_IN)
    token = OutgoingEmail.objects.get(kind=Kind.FOLLOW_UP).unsubscribe_url.rsplit("/", 2)[-2]
    Client().post(f"/book/follow-ups/stop/{token}/")

    run_jobs(RE_EVALUATION)

    assert len(sent_follow_ups()) == 1
    # Stopping follow-ups is for this address, whatever the booking.
    assert followups.has_opted_out(make_booking(service=treatment, email="PAT@example.com"))


def test_none_when_the_patient_has_booked_the_re_evaluation_already(treated, consultation):
    make_booking(
        service=consultation, start=at(date(2027, 5, 4), 10), status=Booking.Status.CONFIRMED
    )

    run_jobs(CHECK_IN)
    run_jobs(RE_EVALUATION)

    # The check-in does not invite to the consultation: it still goes.
    assert sent_follow_ups() == ["How are you getting on? — Vinings Surgery Center"]


@pytest.mark.parametrize("status", [Booking.Status.CANCELLED, Booking.Status.NO_SHOW])
def test_a_later_booking_cancelled_or_missed_does_not_stop_them(treated, consultation, status):
    make_booking(service=consultation, start=at(date(2027, 5, 4), 10), status=status)

    run_jobs(RE_EVALUATION)

    assert sent_follow_ups() == ["Time for your re-evaluation — Vinings Surgery Center"]


def test_someone_else_on_the_same_phone_booking_does_not_stop_them(treated, consultation):
    # A household sharing a landline: another patient, with their own email.
    make_booking(
        service=consultation,
        start=at(date(2027, 5, 4), 10),
        email="partner@example.com",
        phone=treated.phone,
    )

    run_jobs(RE_EVALUATION)

    assert sent_follow_ups() == ["Time for your re-evaluation — Vinings Surgery Center"]


def test_none_after_the_retention_purge(treated):
    Booking.objects.filter(pk=treated.pk).update(anonymised_at=CHECK_IN - timedelta(days=1))

    run_jobs(CHECK_IN)

    assert sent_follow_ups() == []


def test_a_spanish_patient_gets_the_english_text_until_its_spanish_is_reviewed(
    treatment, superuser
):
    booking = make_booking(service=treatment, status=Booking.Status.COMPLETED, language="es")
    run_jobs(CHECK_IN)
    first = mail.outbox[-1]
    assert "about three months" in first.body
    assert "su versión en español la está revisando" in first.body
    assert "/es/book/follow-ups/stop/" in first.body

    for item in FollowUp.objects.all():
        item.mark_reviewed(superuser)
        item.save()
    run_jobs(RE_EVALUATION)
    second = mail.outbox[-1]
    assert second.subject == "Es el momento de su revisión — Vinings Surgery Center"
    assert "desde su tratamiento del martes, 8 de diciembre de 2026" in second.body
    assert "/es/book/?service=consultation" in second.body
    assert booking.emails.filter(kind=Kind.FOLLOW_UP).count() == 2


# --- Stopping them -----------------------------------------------------------------


def stop_path(address: str = "pat@example.com") -> str:
    return f"/book/follow-ups/stop/{followups.stop_token(address)}/"


def test_the_link_opens_a_page_with_one_button_and_changes_nothing(client):
    response = client.get(stop_path())

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        page.count('<button class="btn btn-primary" type="submit">Stop follow-up emails</button>')
        == 1
    )
    assert "no-store" in response["Cache-Control"]
    assert not FollowUpOptOut.objects.exists()


def test_the_button_stops_them_once_however_often_it_is_pressed(client):
    for _ in range(2):
        response = client.post(stop_path())
        assert response.status_code == 200
        assert "we will send you no more follow-up emails" in response.content.decode()

    assert FollowUpOptOut.objects.count() == 1


def test_a_mail_providers_one_click_post_needs_no_csrf_token():
    provider = Client(enforce_csrf_checks=True)

    response = provider.post(
        stop_path(), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert FollowUpOptOut.objects.count() == 1


def test_a_mail_provider_sending_many_one_click_posts_from_one_server_is_never_refused():
    from clinic.ratelimit import SELF_SERVICE_PER_ADDRESS

    provider = Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.25")
    patients = [f"p{n}@example.com" for n in range(SELF_SERVICE_PER_ADDRESS.requests + 5)]
    for address in patients:
        response = provider.post(
            stop_path(address),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200, address

    assert FollowUpOptOut.objects.count() == len(patients)


def test_forged_stop_links_in_a_loop_are_limited():
    from clinic.ratelimit import SELF_SERVICE_PER_ADDRESS

    client = Client(REMOTE_ADDR="192.0.2.26")
    statuses = [
        client.post(f"/book/follow-ups/stop/forged{n}/").status_code
        for n in range(SELF_SERVICE_PER_ADDRESS.requests + 1)
    ]
    assert statuses[-1] == 429 and set(statuses[:-1]) == {404}


@pytest.mark.parametrize(
    "token", ["forged", "x" * 500, followups.stop_token("a@b.c")[:-3] + "abc"]
)
def test_a_forged_link_gets_a_clear_page_and_changes_nothing(client, token):
    response = client.post(f"/book/follow-ups/stop/{token}/")

    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert not FollowUpOptOut.objects.exists()


def test_the_opt_out_keeps_no_address():
    followups.opt_out(followups.email_digest("Pat@Example.com "))

    row = FollowUpOptOut.objects.get()
    assert "pat" not in row.email_digest.lower()
    assert row.email_digest == followups.email_digest("pat@example.com")


# --- The desk ----------------------------------------------------------------------


def test_the_desk_sees_which_follow_ups_went_and_which_are_due(client, treated):
    from tests.conftest import make_staff

    run_jobs(CHECK_IN)

    # The desk looks an hour after the check-in went: the re-evaluation is still ahead.
    with time_machine.travel(CHECK_IN + timedelta(hours=1), tick=False):
        client.force_login(make_staff("rita", "Receptionists"))
        page = client.get(f"/admin/booking/booking/{treated.pk}/change/").content.decode()
    section = page.split("Follow-ups after the appointment", 1)[1].split("</fieldset>", 1)[0]
    assert "How are you getting on?" in section
    assert "Sent Tue, Mar 9, 2027" in section  # when it went
    assert "Time for your re-evaluation" in section
    assert "Due Tue, Jun 8, 2027" in section


def test_the_desk_is_told_when_a_follow_up_was_never_delivered(client, treated):
    from tests.conftest import make_staff

    run_jobs(CHECK_IN)
    treated.emails.filter(kind=Kind.FOLLOW_UP).update(status=OutgoingEmail.Status.GAVE_UP)

    client.force_login(make_staff("rita", "Receptionists"))
    page = client.get(f"/admin/booking/booking/{treated.pk}/change/").content.decode()
    section = page.split("Follow-ups after the appointment", 1)[1].split("</fieldset>", 1)[0]
    assert "Not delivered: the mail server refused it every time" in section
    assert "Sent Tue" not in section


def test_the_desk_is_told_why_a_follow_up_will_not_go(client, treated):
    from tests.conftest import make_staff

    client.force_login(make_staff("rita", "Receptionists"))
    followups.opt_out(followups.email_digest(treated.email))

    page = client.get(f"/admin/booking/booking/{treated.pk}/change/").content.decode()

    assert page.count("Will not be sent: the patient stopped follow-ups") == 2


def test_the_check_in_asks_the_patient_to_call_once_and_gives_the_number(treated):
    run_jobs(CHECK_IN)
    (message,) = [m for m in mail.outbox if "How are you" in m.subject]
    assert message.body.lower().count("call us") == 1  # the message's own words
    assert "Phone: (770) 555-0142" in message.body  # the footer
