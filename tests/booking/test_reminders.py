"""Which reminders are due when, and that each is queued exactly once (booking.reminders)."""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail

from booking import outbox, reminders, workflow
from booking.models import Booking, BookingPolicy, OutgoingEmail, Reminder
from tests.conftest import at, make_booking

pytestmark = pytest.mark.django_db

Status = Booking.Status
MINUTE = timedelta(minutes=1)
# The treatment's seeded reminders: NSAIDs day -3 at 9:00, fluids day -1 at 17:00,
# NSAIDs again day +1 at 9:00 ("keep avoiding…").
NSAID_STOP, FLUIDS, AFTER_CARE = -3, -1, 1
DEC_8 = date(2026, 12, 8)


def booked(treatment, day: date = DEC_8, status: str = Status.CONFIRMED, **fields) -> Booking:
    return make_booking(service=treatment, start=at(day, 10), status=status, **fields)


def queued_days(moment: datetime) -> list[int]:
    """Queue what is due at `moment`; the reminder days queued by this call."""
    before = set(OutgoingEmail.objects.values_list("pk", flat=True))
    reminders.queue_due(moment)
    new = OutgoingEmail.objects.exclude(pk__in=before).select_related("reminder")
    return sorted(email.reminder.day for email in new)


# --- Timing: calendar days and clock time in the clinic's zone ---------------------


@pytest.mark.parametrize(
    ("appointment", "day", "due_utc"),
    [
        # Tue, Mar 10, 2027 → Sat, Mar 7 09:00 EST (UTC-5).
        (date(2027, 3, 10), NSAID_STOP, datetime(2027, 3, 7, 14, 0, tzinfo=UTC)),
        # Mon, Mar 16, 2027, after the 14 Mar switch → Fri, Mar 13 09:00, still EST.
        (date(2027, 3, 16), NSAID_STOP, datetime(2027, 3, 13, 14, 0, tzinfo=UTC)),
        # …and the day after it, Tue, Mar 17 09:00 EDT (UTC-4).
        (date(2027, 3, 16), AFTER_CARE, datetime(2027, 3, 17, 13, 0, tzinfo=UTC)),
        # Across a month end: Tue, Mar 2 → Sat, Feb 27 09:00 and Mon, Mar 1 17:00.
        (date(2027, 3, 2), NSAID_STOP, datetime(2027, 2, 27, 14, 0, tzinfo=UTC)),
        (date(2027, 3, 2), FLUIDS, datetime(2027, 3, 1, 22, 0, tzinfo=UTC)),
        # Across a year end: Mon, Jan 4, 2027 → Fri, Jan 1 09:00.
        (date(2027, 1, 4), NSAID_STOP, datetime(2027, 1, 1, 14, 0, tzinfo=UTC)),
        # Back to EST in November: Wed, Nov 3, 2027 (switch on 7 Nov) → Thu, Nov 4 09:00 EDT.
        (date(2027, 11, 3), AFTER_CARE, datetime(2027, 11, 4, 13, 0, tzinfo=UTC)),
    ],
)
def test_a_reminder_is_queued_at_its_day_and_time_in_clinic_time(
    treatment, appointment, day, due_utc
):
    booked(treatment, appointment)

    assert day not in queued_days(due_utc - MINUTE)
    assert day in queued_days(due_utc)


def test_a_booking_made_after_a_reminders_moment_gets_it_at_once(treatment):
    booked(treatment)  # the NSAID reminder was due on Saturday, December 5 at 9:00

    assert queued_days(at(date(2026, 12, 6), 12)) == [NSAID_STOP]


def test_no_reminder_about_the_time_before_is_sent_once_the_appointment_has_started(treatment):
    booked(treatment)

    assert queued_days(at(DEC_8, 10)) == []


def test_the_after_care_reminder_is_sent_up_to_a_day_late(treatment):
    booked(treatment)

    assert queued_days(at(date(2026, 12, 10), 8, 59)) == [AFTER_CARE]


def test_the_after_care_reminder_is_dropped_when_more_than_a_day_late(treatment):
    booked(treatment)

    assert queued_days(at(date(2026, 12, 10), 9)) == []


# --- Who gets them ------------------------------------------------------------------


def test_a_cancelled_booking_gets_no_reminders(treatment):
    booked(treatment, status=Status.CANCELLED)

    assert queued_days(at(date(2026, 12, 7), 17)) == []


def test_a_request_gets_no_reminders_by_default(treatment):
    booked(treatment, status=Status.REQUESTED)

    assert queued_days(at(date(2026, 12, 7), 17)) == []


def test_a_request_gets_reminders_when_the_rules_say_so(treatment):
    BookingPolicy.objects.filter(pk=1).update(remind_requested=True)
    booked(treatment, status=Status.REQUESTED)

    assert queued_days(at(date(2026, 12, 7), 17)) == [NSAID_STOP, FLUIDS]


def test_a_request_nobody_confirmed_gets_no_after_care_reminder(treatment):
    BookingPolicy.objects.filter(pk=1).update(remind_requested=True)
    booked(treatment, status=Status.REQUESTED)

    assert queued_days(at(date(2026, 12, 9), 9)) == []


def test_a_completed_booking_gets_the_after_care_reminder(treatment):
    booked(treatment, status=Status.COMPLETED)

    assert queued_days(at(date(2026, 12, 9), 9)) == [AFTER_CARE]


def test_a_no_show_gets_no_after_care_reminder(treatment):
    booked(treatment, status=Status.NO_SHOW)

    assert queued_days(at(date(2026, 12, 9), 9)) == []


def test_an_anonymised_booking_gets_no_reminders(treatment):
    booked(treatment, anonymised_at=at(date(2026, 12, 1), 12))

    assert queued_days(at(date(2026, 12, 7), 17)) == []


def test_an_inactive_reminder_is_never_sent(treatment):
    Reminder.objects.filter(day=NSAID_STOP).update(is_active=False)
    booked(treatment)

    assert queued_days(at(date(2026, 12, 7), 17)) == [FLUIDS]


# --- The consultation's appointment reminder (Service.reminder_day) ----------------


def appointment_reminders(moment: datetime) -> list[OutgoingEmail]:
    """Queue what is due at `moment`; the appointment reminders queued by this call."""
    before = set(OutgoingEmail.objects.values_list("pk", flat=True))
    reminders.queue_due(moment)
    return list(
        OutgoingEmail.objects.exclude(pk__in=before).filter(
            kind=OutgoingEmail.Kind.APPOINTMENT_REMINDER
        )
    )


def test_a_consultation_gets_an_appointment_reminder_the_day_before_at_nine(consultation):
    make_booking(service=consultation, status=Status.CONFIRMED)

    assert appointment_reminders(at(date(2026, 12, 7), 8, 59)) == []
    (email,) = appointment_reminders(at(date(2026, 12, 7), 9))
    assert email.subject == "Your appointment tomorrow at 10:00 am — Vinings Surgery Center"
    assert "This is a reminder of your appointment tomorrow, Tuesday, December 8, 2026" in (
        email.body_text
    )


def test_the_appointment_reminder_is_queued_once(consultation):
    make_booking(service=consultation, status=Status.CONFIRMED)

    assert len(appointment_reminders(at(date(2026, 12, 7), 9))) == 1
    assert appointment_reminders(at(date(2026, 12, 7), 10)) == []


def test_a_late_appointment_reminder_on_the_day_says_today(consultation):
    make_booking(service=consultation, status=Status.CONFIRMED)

    (email,) = appointment_reminders(at(DEC_8, 8))
    assert email.subject == "Your appointment today at 10:00 am — Vinings Surgery Center"


def test_no_appointment_reminder_once_the_appointment_has_started(consultation):
    make_booking(service=consultation, status=Status.CONFIRMED)

    assert appointment_reminders(at(DEC_8, 10)) == []


def test_a_cancelled_consultation_gets_no_appointment_reminder(consultation):
    make_booking(service=consultation, status=Status.CANCELLED)

    assert appointment_reminders(at(date(2026, 12, 7), 9)) == []


def test_a_moved_consultation_gets_the_reminder_for_its_new_time(consultation):
    booking = make_booking(service=consultation, status=Status.CONFIRMED)
    appointment_reminders(at(date(2026, 12, 7), 9))  # queued, not sent: withdrawn by the move
    workflow.move(booking, at(date(2026, 12, 11), 10), now=at(date(2026, 12, 7), 12))

    assert not OutgoingEmail.objects.filter(appointment_start=at(DEC_8, 10)).exists()
    (email,) = appointment_reminders(at(date(2026, 12, 10), 9))
    assert email.appointment_start == at(date(2026, 12, 11), 10)


def test_the_treatment_has_no_separate_appointment_reminder(treatment):
    """Its instructions' reminders already name the appointment."""
    booked(treatment)

    assert appointment_reminders(at(date(2026, 12, 7), 17)) == []


# --- Exactly once -----------------------------------------------------------------


def test_a_reminder_is_queued_once_however_often_jobs_run(treatment):
    booked(treatment)

    assert queued_days(at(date(2026, 12, 5), 9)) == [NSAID_STOP]
    assert queued_days(at(date(2026, 12, 5), 9, 1)) == []
    assert queued_days(at(date(2026, 12, 6), 9)) == []


def test_a_reminder_another_worker_just_queued_is_not_queued_again(treatment):
    booked(treatment)
    moment = at(date(2026, 12, 5), 9)
    seen_before_the_other_worker = reminders.due_reminders(moment)
    assert reminders.queue_due(moment) == 1

    # This worker read "not queued yet" before the other one inserted the row.
    with mock.patch.object(reminders, "due_reminders", return_value=seen_before_the_other_worker):
        assert reminders.queue_due(moment) == 0

    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.REMINDER).count() == 1


def test_finding_due_reminders_takes_five_queries_however_many_bookings(
    treatment, django_assert_num_queries
):
    for day in (date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10)):
        booked(treatment, day)

    with django_assert_num_queries(5):
        found = reminders.due_reminders(at(date(2026, 12, 7), 17))

    assert sorted((item.booking.local_start.day, item.reminder.day) for item in found) == [
        (8, NSAID_STOP),
        (8, FLUIDS),
        (9, NSAID_STOP),
        (10, NSAID_STOP),
    ]


# --- Moved bookings ---------------------------------------------------------------


def test_a_moved_booking_gets_its_reminders_for_the_new_time_only(treatment):
    booking = booked(treatment)
    assert queued_days(at(date(2026, 12, 5), 9)) == [NSAID_STOP]
    outbox.send_due(at(date(2026, 12, 5), 9))
    workflow.move(booking, at(date(2026, 12, 11), 10), now=at(date(2026, 12, 5), 12))

    assert queued_days(at(date(2026, 12, 7), 17)) == []  # the old time's fluids reminder
    assert queued_days(at(date(2026, 12, 8), 9)) == [NSAID_STOP]
    starts = OutgoingEmail.objects.filter(reminder__day=NSAID_STOP).values_list(
        "appointment_start", flat=True
    )
    assert sorted(starts) == [at(DEC_8, 10), at(date(2026, 12, 11), 10)]


def test_an_unsent_reminder_for_the_old_time_is_withdrawn_when_the_booking_moves(treatment):
    booking = booked(treatment)
    queued_days(at(date(2026, 12, 5), 9))  # queued, not yet sent (mail server away)
    workflow.move(booking, at(date(2026, 12, 11), 10), now=at(date(2026, 12, 5), 12))

    assert not OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.REMINDER).exists()


def test_an_unsent_reminder_is_withdrawn_when_the_booking_is_cancelled(treatment):
    booking = booked(treatment)
    queued_days(at(date(2026, 12, 5), 9))
    workflow.cancel(booking)

    assert not OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.REMINDER).exists()


def test_a_sent_reminder_stays_on_record_when_the_booking_is_cancelled(treatment):
    booking = booked(treatment)
    queued_days(at(date(2026, 12, 5), 9))
    outbox.send_due(at(date(2026, 12, 5), 9))
    workflow.cancel(booking)

    assert OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.REMINDER).status == "sent"


# --- What it says -------------------------------------------------------------------


def test_the_reminder_email_gives_the_patients_dates(treatment):
    booked(treatment)
    queued_days(at(date(2026, 12, 5), 9))
    outbox.send_due(at(date(2026, 12, 5), 9))

    (message,) = mail.outbox
    assert message.to == ["pat@example.com"]
    assert (
        message.subject == "Stop NSAIDs from today, Saturday, December 5 — Vinings Surgery Center"
    )
    html = message.alternatives[0].content
    for text in (message.body, html):
        assert "From today, Saturday, December 5, please stop taking" in text
        assert "until Tuesday, December 29" in text
        assert "Tuesday, December 8, 2026 at 10:00 am" in text


def test_an_after_care_reminder_offers_no_link_to_change_a_past_appointment(treatment):
    booked(treatment)
    queued_days(at(date(2026, 12, 9), 9))
    outbox.send_due(at(date(2026, 12, 9), 9))

    (message,) = mail.outbox
    assert "until Tuesday, December 29" in message.body
    assert "See, change or cancel" not in message.body


def sent_reminders(treatment, *moments: datetime) -> list:
    booked(treatment)
    for moment in moments:
        queued_days(moment)
        outbox.send_due(moment)
    return mail.outbox


def test_each_reminder_of_a_booking_has_its_own_subject(treatment):
    messages = sent_reminders(
        treatment, at(date(2026, 12, 5), 9), at(date(2026, 12, 7), 17), at(date(2026, 12, 9), 9)
    )

    subjects = [message.subject for message in messages]
    assert subjects == [
        "Stop NSAIDs from today, Saturday, December 5 — Vinings Surgery Center",
        "Drink plenty of fluids the day before your appointment — Vinings Surgery Center",
        "Keep avoiding NSAIDs until Tuesday, December 29 — Vinings Surgery Center",
    ]
    for subject in subjects:
        assert "exosome" not in subject.lower()
        assert "treatment" not in subject.lower()


def test_a_reminder_after_the_appointment_does_not_call_it_ahead(treatment):
    Reminder.objects.filter(day=AFTER_CARE).update(subject="")
    (message,) = sent_reminders(treatment, at(date(2026, 12, 9), 9))

    assert message.subject == "A reminder after your appointment — Vinings Surgery Center"
    assert "about your appointment on" not in message.subject


def test_a_late_reminder_is_worded_for_the_moment_it_is_read(treatment):
    """The worker catching up on Monday, December 7 after an outage since Friday."""
    (message,) = sent_reminders(treatment, at(date(2026, 12, 7), 9))

    assert "From now (since Saturday, December 5), please stop taking" in message.body
    assert "From today" not in message.body
    assert "today" not in message.subject.lower()
    assert message.subject.startswith("Stop NSAIDs from now (since Saturday, December 5)")


def test_a_reminder_sent_before_its_first_day_says_from_that_day(treatment):
    reminder = Reminder.objects.get(day=NSAID_STOP)

    text = reminder.render(at(DEC_8, 10), now=at(date(2026, 12, 4), 9))

    assert text.startswith("From Saturday, December 5, please stop taking")


def test_a_reminder_whose_window_is_over_is_not_sent(treatment):
    """The fluids are for Monday; at 8:00 on Tuesday, before the appointment, it is too late."""
    booked(treatment)

    assert FLUIDS not in queued_days(at(DEC_8, 8))


def test_a_late_reminder_within_its_window_is_still_sent(treatment):
    booked(treatment)

    assert queued_days(at(date(2026, 12, 7), 9)) == [NSAID_STOP]
