"""The booking steps: each locks and re-reads its booking, and its guard lives in the step."""

from datetime import date, timedelta

import pytest
import time_machine

from booking import workflow
from booking.models import Booking, BookingPolicy, Closure, OpeningHours, OutgoingEmail
from tests.conftest import at, make_booking

Status = Booking.Status
Kind = OutgoingEmail.Kind
TUESDAY_10 = at(date(2026, 12, 8), 10)


def patient(name: str) -> dict[str, str]:
    return {"name": name, "email": f"{name.lower()}@example.com", "phone": "+1 404 555 0100"}


@pytest.mark.django_db
class TestStaleCopies:
    def test_a_copy_loaded_before_the_patient_cancelled_cannot_confirm(self, now, consultation):
        booked = workflow.request(
            consultation, TUESDAY_10, consent_version="2026-11", **patient("Pat")
        )
        desk_copy = Booking.objects.get(pk=booked.pk)  # the desk's page, loaded a minute ago
        workflow.cancel(Booking.objects.get(pk=booked.pk), by_patient=True)
        workflow.request(consultation, TUESDAY_10, consent_version="2026-11", **patient("Sam"))

        with pytest.raises(workflow.TransitionNotAllowed, match="cancelled booking"):
            workflow.confirm(desk_copy)

        booked.refresh_from_db()
        assert booked.status == Status.CANCELLED
        assert Booking.objects.holding_a_place().overlapping(TUESDAY_10, TUESDAY_10).count() <= 1
        assert not OutgoingEmail.objects.filter(booking=booked, kind=Kind.CONFIRMED).exists()

    def test_a_copy_loaded_before_a_cancellation_cannot_be_moved(self, now, consultation):
        booking = make_booking()
        stale = Booking.objects.get(pk=booking.pk)
        workflow.cancel(booking)

        with pytest.raises(workflow.TransitionNotAllowed):
            workflow.move(stale, at(date(2026, 12, 9), 11))

        booking.refresh_from_db()
        assert (booking.status, booking.start) == (Status.CANCELLED, TUESDAY_10)

    def test_the_callers_copy_is_refreshed_after_a_step(self, now):
        booking = make_booking()
        workflow.confirm(booking)
        assert booking.status == Status.CONFIRMED
        assert booking.sequence == 1

    def test_editing_details_never_writes_back_a_stale_status(self, now):
        booking = make_booking()
        stale = Booking.objects.get(pk=booking.pk)
        workflow.cancel(booking)

        workflow.update_details(stale, internal_notes="Prefers mornings")

        booking.refresh_from_db()
        assert booking.status == Status.CANCELLED
        assert booking.internal_notes == "Prefers mornings"

    def test_only_details_can_be_edited_that_way(self, now):
        with pytest.raises(ValueError, match="status"):
            workflow.update_details(make_booking(), status=Status.CONFIRMED)


@pytest.mark.django_db
class TestGuardsLiveInTheSteps:
    def test_completing_before_the_start_is_refused(self, now):
        booking = make_booking(status=Status.CONFIRMED)
        with pytest.raises(workflow.TransitionNotAllowed, match="before its appointment"):
            workflow.complete(booking)
        with pytest.raises(workflow.TransitionNotAllowed, match="before its appointment"):
            workflow.mark_no_show(booking)

    def test_completing_after_the_start_is_allowed(self, now):
        booking = make_booking(status=Status.CONFIRMED)
        workflow.complete(booking, now=TUESDAY_10 + timedelta(minutes=5))
        assert booking.status == Status.COMPLETED

    def test_instructions_are_resent_only_while_the_booking_holds_a_place(self, now):
        booking = make_booking(status=Status.CANCELLED)
        with pytest.raises(workflow.TransitionNotAllowed, match="resent only"):
            workflow.resend(booking)
        assert not OutgoingEmail.objects.exists()

    def test_moving_to_the_same_time_is_refused(self, now):
        with pytest.raises(workflow.TransitionNotAllowed, match="already"):
            workflow.move(make_booking(), TUESDAY_10)

    def test_a_patient_cannot_change_a_booking_that_has_started(self, now):
        booking = make_booking(status=Status.CONFIRMED)
        with pytest.raises(workflow.TransitionNotAllowed, match="no longer be changed online"):
            workflow.cancel(booking, by_patient=True, now=TUESDAY_10 + timedelta(minutes=1))

    @pytest.mark.parametrize(
        ("status", "started", "expected"),
        [
            (Status.REQUESTED, False, ["confirm", "resend", "move", "cancel"]),
            (Status.CONFIRMED, False, ["resend", "move", "cancel"]),
            (Status.CONFIRMED, True, ["complete", "no_show", "resend", "move", "cancel"]),
            (Status.CANCELLED, False, []),
            (Status.COMPLETED, True, []),
            (Status.NO_SHOW, True, []),
        ],
    )
    def test_allowed_steps_follow_the_same_guards(self, now, status, started, expected):
        booking = make_booking(status=status)
        moment = TUESDAY_10 + timedelta(minutes=1) if started else now
        assert workflow.allowed_steps(booking, now=moment) == expected


@pytest.mark.django_db
class TestStrandedBookings:
    def test_a_booking_on_a_day_closed_since_cannot_be_confirmed(self, now):
        booking = make_booking()
        Closure.objects.create(date=date(2026, 12, 8), reason="Training")

        with pytest.raises(workflow.TransitionNotAllowed, match="closed on Tuesday, December 8"):
            workflow.confirm(booking)

        booking.refresh_from_db()
        assert booking.status == Status.REQUESTED
        assert not OutgoingEmail.objects.filter(kind=Kind.CONFIRMED).exists()

    def test_a_booking_outside_hours_cut_since_cannot_be_confirmed(self, now):
        booking = make_booking(start=at(date(2026, 12, 8), 14))
        OpeningHours.objects.filter(weekday=1).update(closes="13:00")

        with pytest.raises(workflow.TransitionNotAllowed, match="outside the opening hours"):
            workflow.confirm(booking)


@pytest.mark.django_db
class TestTheDesk:
    def test_it_may_skip_the_notice_without_changing_the_rules(self, now, consultation):
        this_afternoon = at(date(2026, 12, 1), 15)

        booking = workflow.book_at_desk(
            consultation,
            this_afternoon,
            consent_version="2026-11",
            skip_notice=True,
            **patient("Pat"),
        )

        assert (booking.status, booking.start) == (Status.CONFIRMED, this_afternoon)
        assert BookingPolicy.current().min_notice_hours == 24
        assert OutgoingEmail.objects.filter(booking=booking, kind=Kind.CONFIRMED).count() == 1

    def test_without_skipping_it_keeps_the_notice(self, now, consultation):
        from booking.availability import SlotUnavailable

        with pytest.raises(SlotUnavailable, match="notice"):
            workflow.book_at_desk(
                consultation, at(date(2026, 12, 1), 15), consent_version="2026-11", **patient("P")
            )
        assert not Booking.objects.exists()

    def test_a_move_at_the_desk_may_skip_the_notice(self, now):
        booking = make_booking()
        workflow.move(booking, at(date(2026, 12, 1), 16), skip_notice=True)
        assert booking.start == at(date(2026, 12, 1), 16)
        assert booking.sequence == 1


def test_a_patient_move_frees_the_old_time_for_others(db, consultation):
    with time_machine.travel(at(date(2026, 12, 1), 12), tick=False):
        booking = make_booking()
        workflow.move(booking, at(date(2026, 12, 9), 11), by_patient=True)
        again = workflow.request(
            consultation, TUESDAY_10, consent_version="2026-11", **patient("Sam")
        )
    assert again.start == TUESDAY_10
