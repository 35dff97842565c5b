"""Instruction dates in the patient's own calendar, and the include that renders them."""

import html
import re
from datetime import date

import pytest
from django.template.loader import render_to_string

from tests.conftest import at, make_booking


def rendered(booking) -> str:
    """The instructions include as text, the way a patient reads it."""
    markup = render_to_string(
        "booking/includes/instructions.html", {"schedule": booking.schedule()}
    )
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def when_of(booking, title: str) -> str:
    return next(item["when"] for item in booking.schedule() if item["instruction"].title == title)


@pytest.mark.django_db
class TestDates:
    def test_nsaids_run_from_three_days_before_until_three_weeks_after(self, treatment):
        booking = make_booking(service=treatment, start=at(date(2026, 12, 8), 10))
        assert (
            when_of(booking, "No NSAIDs") == "from Saturday, December 5 until Tuesday, December 29"
        )

    def test_fluids_are_the_day_before_and_breakfast_the_day_itself(self, treatment):
        booking = make_booking(service=treatment, start=at(date(2026, 12, 8), 10))
        assert when_of(booking, "Drink plenty of fluids") == "on Monday, December 7"
        assert when_of(booking, "Have breakfast") == "on Tuesday, December 8"

    def test_the_day_before_1_march_is_28_february(self, treatment):
        booking = make_booking(service=treatment, start=at(date(2027, 3, 1), 9))
        assert when_of(booking, "Drink plenty of fluids") == "on Sunday, February 28"
        assert when_of(booking, "No NSAIDs") == "from Friday, February 26 until Monday, March 22"

    def test_a_window_across_the_year_end_names_the_other_year(self, treatment):
        booking = make_booking(service=treatment, start=at(date(2026, 12, 29), 10))
        assert (
            when_of(booking, "No NSAIDs")
            == "from Saturday, December 26 until Tuesday, January 19, 2027"
        )

    def test_an_early_january_appointment_starts_in_the_old_year(self, treatment):
        booking = make_booking(service=treatment, start=at(date(2027, 1, 2), 9))
        assert (
            when_of(booking, "No NSAIDs")
            == "from Wednesday, December 30, 2026 until Saturday, January 23"
        )
        assert when_of(booking, "Drink plenty of fluids") == "on Friday, January 1"

    def test_days_count_on_the_calendar_across_the_spring_clock_change(self, treatment):
        # Clocks go forward on Sunday, March 14, 2027: 72 hours before 9:00 on
        # Tuesday, March 16 would be 8:00 on Saturday; the date is what counts.
        booking = make_booking(service=treatment, start=at(date(2027, 3, 16), 9))
        assert when_of(booking, "No NSAIDs") == "from Saturday, March 13 until Tuesday, April 6"
        assert when_of(booking, "Drink plenty of fluids") == "on Monday, March 15"

    def test_an_early_morning_appointment_uses_the_clinic_calendar_not_utc(self, treatment):
        # 9:00 in Atlanta; 14:00 UTC. The same date either way, but an evening
        # appointment would not be: the dates must come from the clinic's zone.
        booking = make_booking(service=treatment, start=at(date(2026, 12, 8), 9))
        assert when_of(booking, "Have breakfast") == "on Tuesday, December 8"

    def test_a_consultation_has_no_instructions(self, consultation):
        assert make_booking(service=consultation).schedule() == []


@pytest.mark.django_db
class TestInclude:
    def test_it_renders_title_and_dates_together(self, treatment):
        text = rendered(make_booking(service=treatment, start=at(date(2026, 12, 8), 10)))
        assert "No NSAIDs — from Saturday, December 5 until Tuesday, December 29" in text
        assert "Drink plenty of fluids — on Monday, December 7" in text
        assert "Have breakfast — on Tuesday, December 8" in text

    def test_it_renders_the_instruction_text(self, treatment):
        text = rendered(make_booking(service=treatment))
        assert "Drink a lot of fluid the day before your procedure." in text

    def test_it_keeps_the_order_staff_set(self, treatment):
        text = rendered(make_booking(service=treatment))
        assert (
            text.index("No NSAIDs")
            < text.index("Drink plenty of fluids")
            < text.index("Have breakfast")
            < text.index("After the procedure")
        )

    def test_it_escapes_what_staff_typed(self, treatment):
        treatment.instructions.filter(title="Have breakfast").update(title="<b>Eat</b>")
        markup = render_to_string(
            "booking/includes/instructions.html",
            {"schedule": make_booking(service=treatment).schedule()},
        )
        assert "<b>Eat</b>" not in markup
        assert "&lt;b&gt;Eat&lt;/b&gt;" in markup
