"""Which times are free: hours, notice, horizon, closures, capacity, durations, DST."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from booking import availability
from booking.availability import Rules, SlotUnavailable, check_slot, free_slots
from booking.models import BookingPolicy, Closure, Service
from booking.picker import build_picker
from tests.conftest import at, make_booking


def starts(slots) -> list[str]:
    return [slot.value for slot in slots]


def set_policy(**values) -> BookingPolicy:
    policy = BookingPolicy.current()
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    return policy


@pytest.mark.django_db
class TestOpeningHours:
    def test_a_consultation_runs_from_opening_to_half_an_hour_before_closing(
        self, now, consultation
    ):
        slots = free_slots(consultation, date(2026, 12, 8))
        assert starts(slots)[0] == "09:00"
        assert starts(slots)[-1] == "16:30"
        assert len(slots) == 16

    def test_a_treatment_must_end_by_closing_time(self, now, treatment):
        assert starts(free_slots(treatment, date(2026, 12, 8)))[-1] == "16:00"

    def test_there_are_no_times_at_the_weekend(self, now, consultation):
        assert free_slots(consultation, date(2026, 12, 5)) == []
        assert free_slots(consultation, date(2026, 12, 6)) == []

    def test_the_slot_interval_comes_from_the_policy(self, now, consultation):
        set_policy(slot_minutes=60)
        assert starts(free_slots(consultation, date(2026, 12, 8)))[:3] == [
            "09:00",
            "10:00",
            "11:00",
        ]


@pytest.mark.django_db
class TestNoticeAndHorizon:
    def test_the_first_day_needs_24_hours_notice(self, now, consultation):
        # Noon on Tuesday + 24 h: Wednesday from noon.
        assert starts(free_slots(consultation, date(2026, 12, 2)))[0] == "12:00"
        assert free_slots(consultation, date(2026, 12, 1)) == []

    def test_a_time_inside_the_notice_is_refused_with_a_reason(self, now, consultation):
        with pytest.raises(SlotUnavailable, match="24 hours' notice"):
            check_slot(Rules.load(), consultation, at(date(2026, 12, 2), 11, 30))

    def test_the_horizon_is_60_days(self, now, consultation):
        rules = Rules.load()
        assert (rules.first_day(), rules.last_day) == (date(2026, 12, 2), date(2027, 1, 30))
        assert free_slots(consultation, date(2027, 1, 29))
        assert free_slots(consultation, date(2027, 2, 1)) == []

    def test_a_longer_notice_from_the_policy_moves_the_first_time(self, now, consultation):
        set_policy(min_notice_hours=48)
        assert free_slots(consultation, date(2026, 12, 2)) == []
        assert starts(free_slots(consultation, date(2026, 12, 3)))[0] == "12:00"


@pytest.mark.django_db
class TestClosures:
    def test_a_closure_day_has_no_times(self, now, consultation):
        Closure.objects.create(date=date(2026, 12, 24), reason="Holiday")
        assert free_slots(consultation, date(2026, 12, 24)) == []
        assert free_slots(consultation, date(2026, 12, 23))

    def test_a_closure_is_refused_with_a_reason(self, now, consultation):
        Closure.objects.create(date=date(2026, 12, 24))
        with pytest.raises(SlotUnavailable, match="closed on Thursday, December 24"):
            check_slot(Rules.load(), consultation, at(date(2026, 12, 24), 10))


@pytest.mark.django_db
class TestCapacity:
    def test_a_booked_slot_is_gone_at_capacity_one(self, now, consultation):
        make_booking(start=at(date(2026, 12, 8), 10))
        assert "10:00" not in starts(free_slots(consultation, date(2026, 12, 8)))

    def test_a_cancelled_booking_frees_its_slot(self, now, consultation):
        make_booking(start=at(date(2026, 12, 8), 10), status="cancelled")
        assert "10:00" in starts(free_slots(consultation, date(2026, 12, 8)))

    def test_capacity_two_keeps_one_place_after_one_booking(self, now, consultation):
        set_policy(capacity=2)
        make_booking(start=at(date(2026, 12, 8), 10))
        slot = next(s for s in free_slots(consultation, date(2026, 12, 8)) if s.value == "10:00")
        assert slot.places_left == 1

    def test_capacity_two_is_full_after_two_bookings(self, now, consultation):
        set_policy(capacity=2)
        make_booking(start=at(date(2026, 12, 8), 10))
        make_booking(start=at(date(2026, 12, 8), 10), email="second@example.com")
        assert "10:00" not in starts(free_slots(consultation, date(2026, 12, 8)))

    def test_a_treatment_blocks_both_half_hours_it_covers(self, now, consultation, treatment):
        make_booking(service=treatment, start=at(date(2026, 12, 8), 10))
        free = starts(free_slots(consultation, date(2026, 12, 8)))
        assert "10:00" not in free
        assert "10:30" not in free
        assert "09:30" in free
        assert "11:00" in free

    def test_a_consultation_blocks_the_treatments_that_would_overlap(
        self, now, consultation, treatment
    ):
        make_booking(start=at(date(2026, 12, 8), 10, 30))
        free = starts(free_slots(treatment, date(2026, 12, 8)))
        assert "10:00" not in free
        assert "10:30" not in free
        assert "09:30" in free
        assert "11:00" in free

    def test_the_booking_being_moved_is_left_out(self, now, treatment):
        own = make_booking(service=treatment, start=at(date(2026, 12, 8), 10))
        assert "10:30" in starts(free_slots(treatment, date(2026, 12, 8), exclude=own))


class TestDaylightSaving:
    """09:00 stays 09:00 on the clinic's clock; the UTC offset changes."""

    @pytest.mark.django_db
    def test_after_dst_ends_nine_am_is_14_utc(self, now, consultation):
        # DST ended on Sunday, November 1, 2026: December is EST, UTC-5.
        first = free_slots(consultation, date(2026, 12, 8))[0]
        assert first.start.astimezone(UTC) == datetime(2026, 12, 8, 14, 0, tzinfo=UTC)

    @pytest.mark.django_db
    def test_across_the_spring_change_nine_am_stays_nine_am(self, consultation):
        with time_machine.travel(datetime(2027, 3, 1, 12, 0, tzinfo=UTC), tick=False):
            before = free_slots(consultation, date(2027, 3, 12))[0]  # Friday, EST
            after = free_slots(consultation, date(2027, 3, 15))[0]  # Monday, EDT
        assert before.label == after.label == "9:00 am"
        assert before.start.astimezone(UTC).hour == 14
        assert after.start.astimezone(UTC).hour == 13

    @pytest.mark.django_db
    def test_a_day_after_the_spring_change_has_the_usual_number_of_times(self, consultation):
        with time_machine.travel(datetime(2027, 3, 1, 12, 0, tzinfo=UTC), tick=False):
            assert len(free_slots(consultation, date(2027, 3, 15))) == 16


@pytest.mark.django_db
class TestPicker:
    def test_free_times_are_worked_out_once_between_changes(self, now, django_assert_num_queries):
        consultation = Service.objects.bookable().get(slug="consultation")
        rules = Rules.load()
        availability.free_slots_by_day(rules, consultation)
        with django_assert_num_queries(0):
            again = availability.free_slots_by_day(rules, consultation)
        assert "10:00" in starts(again[date(2026, 12, 8)])

    def test_a_new_booking_is_seen_at_once_by_the_cached_times(self, now, consultation):
        rules = Rules.load()
        availability.free_slots_by_day(rules, consultation)
        make_booking(start=at(date(2026, 12, 8), 10))
        by_day = availability.free_slots_by_day(rules, consultation)
        assert "10:00" not in starts(by_day[date(2026, 12, 8)])

    def test_a_new_closure_is_seen_at_once_by_the_cached_times(self, now, consultation):
        availability.free_slots_by_day(Rules.load(), consultation)
        Closure.objects.create(date=date(2026, 12, 8))
        assert availability.free_slots_by_day(Rules.load(), consultation)[date(2026, 12, 8)] == []

    def test_the_minimum_notice_is_applied_to_cached_times_as_the_clock_moves(
        self, now, consultation
    ):
        availability.free_slots_by_day(Rules.load(), consultation)
        with time_machine.travel(now + timedelta(hours=2), tick=False):
            first = free_slots(consultation, date(2026, 12, 2))[0]
        assert first.value == "14:00"

    def test_the_desk_may_skip_the_notice_and_nothing_else(self, now, consultation):
        rules = Rules.load(skip_notice=True)
        assert check_slot(rules, consultation, at(date(2026, 12, 1), 14))
        with pytest.raises(SlotUnavailable, match="closed on Saturdays"):
            check_slot(rules, consultation, at(date(2026, 12, 5), 10))
        assert BookingPolicy.current().min_notice_hours == 24

    def test_the_picker_offers_the_next_free_days_in_order(self, now, consultation):
        picker = build_picker(Rules.load(), consultation, None)
        assert [free.value for free in picker.free_days] == [
            "2026-12-02",
            "2026-12-03",
            "2026-12-04",
            "2026-12-07",
            "2026-12-08",
            "2026-12-09",
        ]
        assert picker.day == date(2026, 12, 2)

    def test_the_picker_points_past_a_full_day(self, now, consultation):
        for hour in range(9, 17):
            for minute in (0, 30):
                make_booking(start=at(date(2026, 12, 8), hour, minute))
        picker = build_picker(Rules.load(), consultation, date(2026, 12, 8))
        assert picker.slots == []
        assert picker.next_free.day == date(2026, 12, 9)


# --- Preparation before a treatment -------------------------------------------


def test_a_treatment_cannot_be_booked_so_soon_that_its_preparation_has_begun(now, treatment):
    # NOW is Tuesday, December 1 at noon; the NSAID window starts 3 days before.
    # Saturday 5 is the first day by that rule, but the clinic is closed at weekends.
    with pytest.raises(SlotUnavailable, match="first day you can book it is Monday, December 7"):
        check_slot(Rules.load(), treatment, at(date(2026, 12, 4), 10))


def test_a_treatment_can_be_booked_once_its_preparation_starts_tomorrow_or_later(now, treatment):
    slot = check_slot(Rules.load(), treatment, at(date(2026, 12, 7), 10))  # window from 4 December

    assert slot.start == at(date(2026, 12, 7), 10)


def test_a_consultation_needs_only_the_usual_notice(now, consultation):
    assert check_slot(Rules.load(), consultation, at(date(2026, 12, 2), 14))


def test_free_slots_offers_no_treatment_times_before_preparation_is_possible(now, treatment):
    assert free_slots(treatment, date(2026, 12, 4)) == []
    assert free_slots(treatment, date(2026, 12, 7)) != []


def test_the_picker_explains_why_an_early_day_has_no_treatment_times(now, treatment):
    picker = build_picker(Rules.load(), treatment, date(2026, 12, 2))

    assert picker.slots == []
    assert "needs 3 days of preparation" in picker.problem
    assert all(day.day >= date(2026, 12, 5) for day in picker.free_days)


def test_the_move_picker_does_not_offer_the_patients_own_time(now, consultation):
    own = make_booking(start=at(date(2026, 12, 8), 10))

    picker = build_picker(Rules.load(), consultation, date(2026, 12, 8), moving=own)

    assert "10:00" not in starts(picker.slots)
    assert "10:30" in starts(picker.slots)
