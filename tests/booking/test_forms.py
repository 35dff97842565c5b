"""The booking form: every kind of bad input gets a clear message and no start time."""

from datetime import date, datetime

import pytest

from booking.availability import Rules
from booking.forms import MoveForm, RequestForm
from booking.models import BookingPolicy, Closure, Service
from tests.conftest import VALID_BOOKING_POST, at, make_booking

VALID = VALID_BOOKING_POST


def booking_form(now: datetime, **changes) -> RequestForm:
    data = {**VALID, **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return RequestForm(data, rules=Rules.load())


def errors_of(form: RequestForm, field: str) -> str:
    return " ".join(form.errors.get(field, []))


@pytest.mark.django_db
class TestValidRequest:
    def test_it_accepts_a_complete_request(self, now):
        form = booking_form(now)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["start"] == at(date(2026, 12, 8), 10)
        assert form.cleaned_data["service"].slug == "consultation"

    def test_it_accepts_an_empty_note(self, now):
        form = booking_form(now, notes=None)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["notes"] == ""

    def test_it_returns_the_patient_details_only(self, now):
        form = booking_form(now)
        assert form.is_valid()
        assert set(form.patient_details()) == {"name", "email", "phone", "notes"}


@pytest.mark.django_db
class TestMissingFields:
    @pytest.mark.parametrize(
        ("field", "message"),
        [
            ("service", "Please choose a service."),
            ("date", "Please choose a day."),
            ("time", "Please choose a time."),
            ("name", "Please enter your name."),
            ("email", "Please enter your email address."),
            ("phone", "Please enter a phone number."),
            ("consent", "Please tick the box to agree"),
        ],
    )
    def test_it_names_the_missing_field(self, now, field, message):
        form = booking_form(now, **{field: None})
        assert not form.is_valid()
        assert message in errors_of(form, field)

    def test_it_treats_blanks_as_missing(self, now):
        form = booking_form(now, name="   ", phone="  ")
        assert not form.is_valid()
        assert "Please enter your name." in errors_of(form, "name")
        assert "Please enter a phone number." in errors_of(form, "phone")


@pytest.mark.django_db
class TestTooLong:
    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("name", "P" * 101),
            ("email", "p" * 245 + "@example.com"),
            ("phone", "1" * 33),
            ("notes", "n" * 1001),
        ],
    )
    def test_it_refuses_text_over_the_limit(self, now, field, value):
        form = booking_form(now, **{field: value})
        assert not form.is_valid()
        assert "Please use at most" in errors_of(form, field)

    @pytest.mark.parametrize(
        ("field", "limit"), [("name", 100), ("email", 254), ("phone", 32), ("notes", 1000)]
    )
    def test_it_tells_the_browser_each_limit(self, now, field, limit):
        form = booking_form(now)
        assert f'maxlength="{limit}"' in str(form[field])


@pytest.mark.django_db
class TestDay:
    @pytest.mark.parametrize("value", ["tomorrow", "2026-13-01", "08/12/2026", "2026-02-30"])
    def test_it_refuses_a_day_that_is_not_a_date(self, now, value):
        form = booking_form(now, date=value)
        assert not form.is_valid()
        assert "YYYY-MM-DD" in errors_of(form, "date")

    def test_it_rejects_a_past_date(self, now):
        form = booking_form(now, date="2026-11-30")
        assert not form.is_valid()
        assert "has already passed" in errors_of(form, "date")

    def test_it_rejects_today_for_lack_of_notice(self, now):
        form = booking_form(now, date="2026-12-01", time="16:00")
        assert not form.is_valid()
        assert "24 hours' notice" in errors_of(form, "date")

    def test_it_rejects_a_day_beyond_the_horizon(self, now):
        form = booking_form(now, date="2027-02-01")
        assert not form.is_valid()
        assert "up to 60 days ahead" in errors_of(form, "date")

    def test_it_rejects_a_closure_day(self, now):
        Closure.objects.create(date=date(2026, 12, 24), reason="Holiday")
        form = booking_form(now, date="2026-12-24")
        assert not form.is_valid()
        assert "closed on Thursday, December 24, 2026" in errors_of(form, "date")

    def test_it_rejects_a_weekday_without_opening_hours(self, now):
        form = booking_form(now, date="2026-12-05")
        assert not form.is_valid()
        assert "closed on Saturdays" in errors_of(form, "date")

    def test_it_does_not_ask_for_a_time_on_a_day_that_cannot_be_booked(self, now):
        form = booking_form(now, date="2026-12-05", time=None)
        assert not form.is_valid()
        assert "time" not in form.errors

    def test_it_offers_the_bookable_range_to_the_date_picker(self, now):
        widget = str(booking_form(now)["date"])
        assert 'type="date"' in widget
        assert 'min="2026-12-02"' in widget
        assert 'max="2027-01-30"' in widget


@pytest.mark.django_db
class TestTime:
    @pytest.mark.parametrize("value", ["25:00", "10am", "10", "10:00:00", "ten"])
    def test_it_refuses_a_time_that_is_not_hh_mm(self, now, value):
        form = booking_form(now, time=value)
        assert not form.is_valid()
        assert "Please choose a time from the list." in errors_of(form, "time")

    def test_it_rejects_a_time_that_is_not_a_slot(self, now):
        form = booking_form(now, time="10:15")
        assert not form.is_valid()
        assert "not one of our appointment times" in errors_of(form, "time")

    def test_it_rejects_a_time_after_closing(self, now):
        form = booking_form(now, time="17:00")
        assert not form.is_valid()
        assert "not one of our appointment times" in errors_of(form, "time")

    def test_it_rejects_a_time_inside_the_notice_period(self, now):
        form = booking_form(now, date="2026-12-02", time="09:00")
        assert not form.is_valid()
        assert "24 hours' notice" in errors_of(form, "time")

    def test_it_rejects_a_taken_time(self, now):
        make_booking(start=at(date(2026, 12, 8), 10))
        form = booking_form(now)
        assert not form.is_valid()
        assert "just taken" in errors_of(form, "time")

    def test_it_rejects_a_treatment_that_would_overlap_a_booking(self, now):
        make_booking(start=at(date(2026, 12, 8), 10, 30))
        form = booking_form(now, service="exosome-treatment", time="10:00")
        assert not form.is_valid()
        assert "just taken" in errors_of(form, "time")


@pytest.mark.django_db
class TestService:
    def test_it_rejects_an_unknown_service(self, now):
        form = booking_form(now, service="haircut")
        assert not form.is_valid()
        assert "Please choose one of our services." in errors_of(form, "service")

    def test_it_rejects_a_service_no_longer_offered(self, now):
        Service.objects.filter(slug="exosome-treatment").update(is_active=False)
        form = booking_form(now, service="exosome-treatment")
        assert not form.is_valid()
        assert "Please choose one of our services." in errors_of(form, "service")


@pytest.mark.django_db
class TestName:
    @pytest.mark.parametrize(
        "value", ["Pat\r\nBcc: victim@example.com", "Pat\nExample", "Pat\rExample", "Pat\x00"]
    )
    def test_it_rejects_line_breaks_and_control_characters(self, now, value):
        form = booking_form(now, name=value)
        assert not form.is_valid()
        assert errors_of(form, "name")

    def test_it_rejects_a_tab_inside_the_name(self, now):
        form = booking_form(now, name="Pat\tExample")
        assert not form.is_valid()
        assert "on one line" in errors_of(form, "name")

    def test_it_collapses_spaces(self, now):
        form = booking_form(now, name="  Pat    Example  ")
        assert form.is_valid(), form.errors
        assert form.cleaned_data["name"] == "Pat Example"

    def test_it_rejects_a_name_without_letters(self, now):
        form = booking_form(now, name="12345 ---")
        assert not form.is_valid()
        assert "Please enter your name." in errors_of(form, "name")

    def test_it_keeps_html_as_typed(self, now):
        form = booking_form(now, name="<b>Pat</b>")
        assert form.is_valid(), form.errors
        assert form.cleaned_data["name"] == "<b>Pat</b>"


@pytest.mark.django_db
class TestEmail:
    @pytest.mark.parametrize(
        "value", ["pat", "pat@", "pat@example", "pat@example.com\r\nBcc: x@example.com"]
    )
    def test_it_rejects_an_invalid_address(self, now, value):
        form = booking_form(now, email=value)
        assert not form.is_valid()
        assert "Please enter an email address like name@example.com." in errors_of(form, "email")

    def test_it_lowercases_the_domain_only(self, now):
        form = booking_form(now, email=" Pat.Example@Example.COM ")
        assert form.is_valid(), form.errors
        assert form.cleaned_data["email"] == "Pat.Example@example.com"

    def test_it_asks_the_browser_for_an_email_keyboard(self, now):
        widget = str(booking_form(now)["email"])
        assert 'type="email"' in widget
        assert 'autocomplete="email"' in widget


@pytest.mark.django_db
class TestPhone:
    @pytest.mark.parametrize(
        "value", ["(770) 555-0142", "+1 770.555.0142", "7705550142", "+44 20 7946 0958"]
    )
    def test_it_accepts_common_formats(self, now, value):
        form = booking_form(now, phone=value)
        assert form.is_valid(), form.errors

    @pytest.mark.parametrize(
        "value", ["(770) 555-0142", "770.555.0142", "  770   555\t0142 ", "(770) 555-0142"]
    )
    def test_it_stores_one_number_one_way_however_typed(self, now, value):
        form = booking_form(now, phone=value)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["phone"] == "+17705550142"

    def test_it_keeps_a_number_from_abroad_with_its_country_code(self, now):
        form = booking_form(now, phone="+44 20 7946 0958")
        assert form.is_valid(), form.errors
        assert form.cleaned_data["phone"] == "+442079460958"

    @pytest.mark.parametrize(
        "value",
        ["call me", "770-555-01x2", "12345", "555-0142", "1" * 21, "770+555+0142", "<script>"],
    )
    def test_it_rejects_a_number_it_cannot_dial(self, now, value):
        form = booking_form(now, phone=value)
        assert not form.is_valid()
        assert "with its area code" in errors_of(form, "phone")

    def test_it_asks_the_browser_for_a_phone_keyboard(self, now):
        widget = str(booking_form(now)["phone"])
        assert 'type="tel"' in widget
        assert 'autocomplete="tel"' in widget


@pytest.mark.django_db
class TestNotes:
    def test_it_normalises_line_breaks_and_spaces(self, now):
        form = booking_form(now, notes="  First   line\r\n\r\n\r\n\r\nSecond\tline  ")
        assert form.is_valid(), form.errors
        assert form.cleaned_data["notes"] == "First line\n\nSecond line"

    def test_it_stores_html_as_typed(self, now):
        form = booking_form(now, notes="<script>alert(1)</script>")
        assert form.is_valid(), form.errors
        assert form.cleaned_data["notes"] == "<script>alert(1)</script>"


@pytest.mark.django_db
class TestConsent:
    def test_it_shows_the_policy_wording(self, now):
        policy = BookingPolicy.current()
        policy.consent_text = "I agree to the new wording."
        policy.save()
        assert "I agree to the new wording." in str(booking_form(now)["consent"].label)

    def test_it_links_to_the_privacy_notice(self, now):
        assert 'href="/privacy/"' in booking_form(now)["consent"].help_text

    def test_it_asks_again_when_the_wording_changed_since_the_page_was_shown(self, now):
        form = booking_form(now, consent_version="2020-01")
        assert not form.is_valid()
        assert "updated this statement" in errors_of(form, "consent")


@pytest.mark.django_db
class TestHoneypot:
    def test_it_refuses_a_filled_honeypot_with_a_generic_message(self, now):
        form = booking_form(now, website="http://spam.example")
        assert not form.is_valid()
        assert form.caught_by_honeypot
        assert "could not send your request" in " ".join(form.non_field_errors())
        assert "website" not in form.errors

    def test_it_ignores_an_empty_honeypot(self, now):
        form = booking_form(now, website="")
        assert form.is_valid(), form.errors
        assert not form.caught_by_honeypot


@pytest.mark.django_db
class TestMoveForm:
    def move_form(self, booking, now, **data):
        return MoveForm(data, rules=Rules.load(), booking=booking)

    def test_it_accepts_another_free_time(self, now):
        booking = make_booking()
        form = self.move_form(booking, now, date="2026-12-09", time="11:00")
        assert form.is_valid(), form.errors
        assert form.cleaned_data["start"] == at(date(2026, 12, 9), 11)

    def test_it_leaves_the_booking_itself_out_of_the_count(self, now, treatment):
        booking = make_booking(service=treatment, start=at(date(2026, 12, 8), 10))
        form = self.move_form(booking, now, date="2026-12-08", time="10:30")
        assert form.is_valid(), form.errors

    def test_it_refuses_the_same_time(self, now):
        booking = make_booking()
        form = self.move_form(booking, now, date="2026-12-08", time="10:00")
        assert not form.is_valid()
        assert "already your appointment time" in errors_of(form, "time")

    def test_it_refuses_a_time_someone_else_holds(self, now):
        booking = make_booking()
        make_booking(start=at(date(2026, 12, 9), 11), email="other@example.com")
        form = self.move_form(booking, now, date="2026-12-09", time="11:00")
        assert not form.is_valid()
        assert "just taken" in errors_of(form, "time")
