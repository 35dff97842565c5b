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
        # Tue 10 Mar 2027 → Sat 7 Mar 09:00 EST (UTC-5).
        (date(2027, 3, 10), NSAID_STOP, datetime(2027, 3, 7, 14, 0, tzinfo=UTC)),
        # Mon 16 Mar 2027, after the 14 Mar switch → Fri 13 Mar 09:00, still EST.
        (date(2027, 3, 16), NSAID_STOP, datetime(2027, 3, 13, 14, 0, tzinfo=UTC)),
        # …and the day after it, Tue 17 Mar 09:00 EDT (UTC-4).
        (date(2027, 3, 16), AFTER_CARE, datetime(2027, 3, 17, 13, 0, tzinfo=UTC)),
        # Across a month end: Tue 2 Mar → Sat 27 Feb 09:00 and Mon 1 Mar 17:00.
        (date(2027, 3, 2), NSAID_STOP, datetime(2027, 2, 27, 14, 0, tzinfo=UTC)),
        (date(2027, 3, 2), FLUIDS, datetime(2027, 3, 1, 22, 0, tzinfo=UTC)),
        # Across a year end: Mon 4 Jan 2027 → Fri 1 Jan 09:00.
        (date(2027, 1, 4), NSAID_STOP, datetime(2027, 1, 1, 14, 0, tzinfo=UTC)),
        # Back to EST in November: Wed 3 Nov 2027 (switch on 7 Nov) → Thu 4 Nov 09:00 EDT.
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
    booked(treatment)  # the NSAID reminder was due on Saturday 5 December at 9:00

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


def test_a_consultation_gets_no_reminders(consultation):
    make_booking(service=consultation, status=Status.CONFIRMED)

    assert queued_days(at(date(2026, 12, 7), 17)) == []


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


def test_finding_due_reminders_takes_four_queries_however_many_bookings(
    treatment, django_assert_num_queries
):
    for day in (date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10)):
        booked(treatment, day)

    with django_assert_num_queries(4):
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
    assert message.subject == (
        "A reminder about your appointment on Tuesday 8 December 2026 — Vinings Surgery Center"
    )
    html = message.alternatives[0].content
    for text in (message.body, html):
        assert "From today, Saturday 5 December, please stop taking" in text
        assert "until Tuesday 29 December" in text
        assert "Tuesday 8 December 2026 at 10:00 am" in text


def test_an_after_care_reminder_offers_no_link_to_change_a_past_appointment(treatment):
    booked(treatment)
    queued_days(at(date(2026, 12, 9), 9))
    outbox.send_due(at(date(2026, 12, 9), 9))

    (message,) = mail.outbox
    assert "until Tuesday 29 December" in message.body
    assert "See, change or cancel" not in message.body
