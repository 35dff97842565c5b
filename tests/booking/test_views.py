"""/book/: the request form, its no-JavaScript and JavaScript paths, and the confirmation page."""

import html
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from booking import availability
from booking.models import Booking, BookingPolicy, Closure, OutgoingEmail, Service
from tests.conftest import VALID_BOOKING_POST, at, make_booking

BOOK = "/book/"
DONE = "/book/done/"
TIMES = "/book/times/"

VALID = VALID_BOOKING_POST


def page_text(response) -> str:
    """The visible text of a page, tags removed and spaces collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(without_tags).split())


def time_values(response) -> list[str]:
    return re.findall(r'name="time" id="time-\d+" value="(\d\d:\d\d)"', response.content.decode())


def post(client, *, follow=False, **changes):
    return client.post(BOOK, {**VALID, **changes}, follow=follow)


@pytest.mark.django_db
class TestFormPage:
    def test_it_shows_the_three_steps(self, client, now):
        response = client.get(BOOK)
        assert response.status_code == 200
        text = page_text(response)
        for step in ("Choose a service", "Choose a day and time", "Your details"):
            assert step in text

    def test_it_is_never_cached(self, client, now):
        response = client.get(BOOK)
        assert "no-store" in response["Cache-Control"]

    def test_it_offers_every_active_service(self, client, now):
        content = client.get(BOOK).content.decode()
        assert 'value="consultation"' in content
        assert 'value="exosome-treatment"' in content

    def test_it_opens_on_the_first_day_with_free_times(self, client, now):
        response = client.get(BOOK)
        # Noon plus 24 hours' notice: Wednesday from 12:00.
        assert "Free times on Wednesday, December 2, 2026" in page_text(response)
        assert time_values(response)[0] == "12:00"

    def test_it_shows_the_consent_wording_and_privacy_link(self, client, now):
        response = client.get(BOOK)
        assert BookingPolicy.current().consent_text in page_text(response)
        assert 'href="/privacy/"' in response.content.decode()

    def test_it_hides_the_honeypot_from_people(self, client, now):
        content = client.get(BOOK).content.decode()
        assert re.search(r'<div class="hp-field" aria-hidden="true">', content)
        assert re.search(r'name="website"[^>]*tabindex="-1"[^>]*autocomplete="off"', content)

    def test_it_loads_its_script_with_the_nonce(self, client, now):
        content = client.get(BOOK).content.decode()
        assert re.search(r'<script src="/static/js/booking.js" defer nonce="[^"]+">', content)

    def test_it_refuses_other_methods(self, client, now):
        assert client.put(BOOK).status_code == 405


@pytest.mark.django_db
class TestTimesWithoutJavaScript:
    def test_it_lists_the_free_times_of_the_chosen_day(self, client, now):
        response = client.get(BOOK, {"service": "consultation", "date": "2026-12-08"})
        assert response.status_code == 200
        values = time_values(response)
        assert values[0] == "09:00"
        assert values[-1] == "16:30"
        assert len(values) == 16
        assert "Free times on Tuesday, December 8, 2026" in page_text(response)

    def test_it_groups_times_into_morning_and_afternoon(self, client, now):
        text = page_text(client.get(BOOK, {"service": "consultation", "date": "2026-12-08"}))
        assert text.index("Morning 9:00 am") < text.index("Afternoon 12:00 pm")

    def test_it_stops_a_treatment_an_hour_before_closing(self, client, now):
        response = client.get(BOOK, {"service": "exosome-treatment", "date": "2026-12-08"})
        assert time_values(response)[-1] == "16:00"

    def test_it_leaves_out_taken_times(self, client, now):
        make_booking(start=at(date(2026, 12, 8), 10))
        response = client.get(BOOK, {"service": "consultation", "date": "2026-12-08"})
        assert "10:00" not in time_values(response)
        assert "10:30" in time_values(response)

    def test_it_selects_the_chosen_service(self, client, now):
        content = client.get(BOOK, {"service": "exosome-treatment"}).content.decode()
        assert re.search(r'value="exosome-treatment"[^>]*checked', content)

    def test_it_explains_a_closed_day_and_offers_the_next_free_one(self, client, now):
        response = client.get(BOOK, {"service": "consultation", "date": "2026-12-05"})
        assert time_values(response) == []
        assert "closed on Saturdays" in page_text(response)
        assert 'name="pick_date" value="2026-12-07"' in response.content.decode()

    def test_it_says_when_a_day_is_fully_booked(self, client, now):
        day = date(2026, 12, 8)
        for hour in range(9, 17):
            make_booking(start=at(day, hour), email=f"p{hour}@example.com")
            make_booking(start=at(day, hour, 30), email=f"q{hour}@example.com")
        response = client.get(BOOK, {"service": "consultation", "date": "2026-12-08"})
        assert "All times on Tuesday, December 8, 2026 are taken" in page_text(response)
        assert 'name="pick_date" value="2026-12-09"' in response.content.decode()

    def test_it_explains_a_closure(self, client, now):
        Closure.objects.create(date=date(2026, 12, 24))
        response = client.get(BOOK, {"service": "consultation", "date": "2026-12-24"})
        assert "closed on Thursday, December 24, 2026" in page_text(response)

    @pytest.mark.parametrize(
        "params",
        [
            {"date": "not-a-date"},
            {"service": "nope", "date": "2026-12-08"},
            {"service": "consultation", "date": "9999-99-99"},
            {"service": "consultation", "date": "2026-12-08" * 50},
            {"service": ["a", "b"], "date": ["2026-12-08", "x"]},
        ],
    )
    def test_it_survives_bad_parameters(self, client, now, params):
        assert client.get(BOOK, params).status_code == 200

    def test_show_times_keeps_what_was_typed_and_stores_nothing(self, client, now):
        response = post(client, show_times="1", date="2026-12-09", time="", consent="")
        assert response.status_code == 200
        assert Booking.objects.count() == 0
        content = response.content.decode()
        assert 'value="Pat Example"' in content
        assert "Free times on Wednesday, December 9, 2026" in page_text(response)
        assert "Please check the following" not in content

    def test_a_day_button_shows_that_day(self, client, now):
        response = post(client, pick_date="2026-12-10")
        assert response.status_code == 200
        assert Booking.objects.count() == 0
        assert "Free times on Thursday, December 10, 2026" in page_text(response)


@pytest.mark.django_db
class TestTimesFragment:
    def test_it_returns_only_the_picker(self, client, now):
        response = client.get(TIMES, {"service": "consultation", "date": "2026-12-08"})
        assert response.status_code == 200
        content = response.content.decode()
        assert "<html" not in content
        assert len(time_values(response)) == 16
        assert 'data-announcement="16 free times on Tuesday, December 8, 2026."' in content

    def test_it_is_never_cached(self, client, now):
        response = client.get(TIMES, {"service": "consultation", "date": "2026-12-08"})
        assert "no-store" in response["Cache-Control"]

    def test_it_keeps_the_chosen_time_selected(self, client, now):
        content = client.get(
            TIMES, {"service": "consultation", "date": "2026-12-08", "time": "11:30"}
        ).content.decode()
        assert re.search(r'value="11:30" checked', content)

    def test_it_asks_for_a_service_first(self, client, now):
        response = client.get(TIMES, {"date": "2026-12-08"})
        assert "Choose a service to see its free times." in page_text(response)

    def test_it_refuses_post(self, client, now):
        assert client.post(TIMES).status_code == 405


@pytest.mark.django_db
class TestSuccess:
    def test_it_stores_the_request_and_redirects_to_the_done_page(self, client, now):
        response = post(client)
        assert response.status_code == 302
        assert response["Location"] == DONE
        booking = Booking.objects.get()
        assert booking.status == Booking.Status.REQUESTED
        assert booking.start == at(date(2026, 12, 8), 10)
        assert (booking.name, booking.email, booking.phone) == (
            "Pat Example",
            "pat@example.com",
            "+14045550100",
        )

    def test_it_queues_the_patient_and_reception_emails(self, client, now):
        post(client)
        kinds = set(OutgoingEmail.objects.values_list("kind", flat=True))
        assert kinds == {OutgoingEmail.Kind.REQUEST_RECEIVED, OutgoingEmail.Kind.RECEPTION_NEW}

    def test_a_refused_request_queues_no_email(self, client, now):
        post(client, consent="")
        assert OutgoingEmail.objects.count() == 0

    def test_it_records_the_consent_and_its_version(self, client, now):
        post(client)
        booking = Booking.objects.get()
        assert booking.consent_version == "2026-11"
        assert booking.consent_at == now

    def test_it_keeps_personal_data_out_of_the_url(self, client, now):
        response = post(client)
        assert "pat" not in response["Location"].lower()
        assert client.session["last_booking"] == Booking.objects.get().pk

    def test_the_done_page_shows_the_reference_and_what_happens_next(self, client, now):
        response = post(client, follow=True)
        booking = Booking.objects.get()
        assert response.status_code == 200
        text = page_text(response)
        assert booking.reference in text
        assert "Tuesday, December 8, 2026 at 10:00 am" in text
        assert "Waiting for confirmation" in text
        assert "Reception confirms by email" in text
        assert "no-store" in response["Cache-Control"]

    def test_the_done_page_shows_dated_instructions_for_a_treatment(self, consulted, client, now):
        response = post(client, service="exosome-treatment", follow=True)
        text = page_text(response)
        assert "No NSAIDs — from Saturday, December 5 until Tuesday, December 29" in text
        assert "Drink plenty of fluids — on Monday, December 7" in text
        assert "Have breakfast — on Tuesday, December 8" in text

    def test_the_done_page_links_to_self_service(self, client, now):
        response = post(client, follow=True)
        assert re.search(r'href="/book/manage/[^"/]+/"', response.content.decode())

    def test_the_done_page_without_a_booking_goes_back_to_the_form(self, client, now):
        response = client.get(DONE)
        assert response.status_code == 302
        assert response["Location"] == BOOK

    def test_the_done_page_ignores_a_tampered_session_value(self, client, now):
        session = client.session
        session["last_booking"] = "1 OR 1=1"
        session.save()
        assert client.get(DONE).status_code == 302

    def test_the_done_page_escapes_the_note(self, client, now):
        response = post(client, notes="<script>alert(1)</script>", follow=True)
        content = response.content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


@pytest.mark.django_db
class TestErrors:
    def test_it_stores_nothing_and_summarises_the_errors(self, client, now):
        response = post(client, name="", email="nope", consent="")
        assert response.status_code == 200
        assert Booking.objects.count() == 0
        content = response.content.decode()
        assert 'id="error-summary"' in content
        assert '<a href="#id_name">Please enter your name.</a>' in content
        assert '<a href="#id_email">' in content
        assert '<a href="#id_consent">' in content

    def test_it_shows_each_error_beside_its_field(self, client, now):
        content = post(client, name="").content.decode()
        assert re.search(r'id="id_name"[^>]*aria-invalid="true"', content) or re.search(
            r'aria-invalid="true"[^>]*id="id_name"', content
        )
        assert 'id="id_name_error"' in content

    def test_it_keeps_what_was_typed(self, client, now):
        content = post(client, email="nope", notes="Morning please").content.decode()
        assert 'value="Pat Example"' in content
        assert 'value="+1 404 555 0100"' in content
        assert "Morning please</textarea>" in content
        assert re.search(r'value="10:00" checked', content)

    def test_it_escapes_html_typed_into_the_form(self, client, now):
        content = post(
            client, email="nope", name="<img src=x onerror=alert(1)>", notes="<script>x</script>"
        ).content.decode()
        assert "<img src=x" not in content
        assert "<script>x</script>" not in content
        assert "&lt;script&gt;x&lt;/script&gt;" in content

    def test_it_rejects_a_past_date(self, client, now):
        response = post(client, date="2026-11-20")
        assert response.status_code == 200
        assert "has already passed" in page_text(response)
        assert Booking.objects.count() == 0

    def test_it_refuses_a_taken_time_and_shows_the_fresh_times(self, client, now):
        make_booking(start=at(date(2026, 12, 8), 10), email="first@example.com")
        response = post(client)
        assert response.status_code == 200
        assert "Sorry, that time was just taken" in page_text(response)
        assert Booking.objects.count() == 1
        assert "10:00" not in time_values(response)
        assert 'value="Pat Example"' in response.content.decode()

    def test_a_filled_honeypot_stores_nothing(self, client, now):
        response = post(client, website="http://spam.example")
        assert response.status_code == 200
        assert Booking.objects.count() == 0
        assert "could not send your request" in page_text(response)

    @pytest.mark.parametrize(
        "changes",
        [
            {"service": "x" * 5000},
            {"date": "\x00"},
            {"time": "10:00\r\n"},
            {"consent": "maybe"},
            {"name": "Pat\x00"},
        ],
    )
    def test_it_never_fails_on_garbage(self, client, now, changes):
        response = post(client, **changes)
        assert response.status_code in (200, 302)

    def test_it_needs_the_csrf_token(self, now, db):
        client = Client(enforce_csrf_checks=True)
        response = client.post(BOOK, VALID)
        assert response.status_code == 403
        assert Booking.objects.count() == 0


@pytest.mark.django_db
class TestQueryCount:
    def count_queries(self, client) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(BOOK, {"service": "exosome-treatment", "date": "2026-12-08"})
        assert response.status_code == 200
        return len(queries)

    def test_the_form_page_uses_a_bounded_number_of_queries(
        self, client, now, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(8):
            client.get(BOOK, {"service": "exosome-treatment", "date": "2026-12-08"})

    def test_the_query_count_does_not_grow_with_bookings(self, client, now):
        self.count_queries(client)  # warm the opening hours cache
        availability.forget()
        before = self.count_queries(client)
        first = date(2026, 12, 2)
        for offset in range(40):
            day = first + timedelta(days=offset)
            if day.weekday() < 5:
                make_booking(start=at(day, 9 + offset % 8), email=f"p{offset}@example.com")
        assert self.count_queries(client) == before

    def test_free_times_are_reused_until_bookings_change(self, client, now):
        self.count_queries(client)
        availability.forget()
        worked_out = self.count_queries(client)
        reused = self.count_queries(client)
        make_booking(start=at(date(2026, 12, 8), 10))
        after_a_change = self.count_queries(client)

        assert reused == worked_out - 1  # no query for the bookings
        assert after_a_change == worked_out


@pytest.mark.django_db
class TestFirstVisit:
    """/book/ without a query is rendered once and given to each visitor with their token."""

    @staticmethod
    def token_in(response) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)

    def test_each_visitor_can_post_with_the_token_their_page_carries(self, now):
        first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
        first.get(BOOK)
        page = second.get(BOOK)  # served from the stored page

        data = {**VALID_BOOKING_POST, "csrfmiddlewaretoken": self.token_in(page)}
        response = second.post(BOOK, data)

        assert response.status_code == 302
        assert Booking.objects.count() == 1

    def test_the_scripts_nonce_matches_the_pages_policy(self, client, now):
        client.get(BOOK)
        page = client.get(BOOK)

        nonce = re.search(r'nonce="([^"]+)"', page.text).group(1)
        assert f"'nonce-{nonce}'" in page["Content-Security-Policy"]
        assert "\x00" not in page.text

    def test_a_new_booking_shows_at_once(self, client, now):
        client.get(BOOK)
        first_time = time_values(client.get(BOOK))[0]
        first_day = re.search(r'data-day="([\d-]+)"', client.get(BOOK).text).group(1)
        make_booking(
            service=Service.objects.get(slug="consultation"),
            start=at(date.fromisoformat(first_day), int(first_time[:2]), int(first_time[3:])),
        )

        assert first_time not in time_values(client.get(BOOK))

    def test_it_is_never_stored_by_browsers_or_proxies(self, client, now):
        client.get(BOOK)
        assert "no-store" in client.get(BOOK)["Cache-Control"]


@pytest.mark.django_db
def test_a_day_buttons_name_starts_with_what_it_shows(client, now):
    response = client.get(BOOK, {"service": "consultation", "date": "2026-12-08"})

    chip = re.search(r'<button[^>]*class="day-chip"[^>]*>(.*?)</button>', response.text, re.S)
    assert "aria-label" not in chip.group(0)  # the name is the text, visible first
    name = " ".join(re.sub(r"<[^>]+>", " ", chip.group(1)).split())
    assert name == "Wed Dec 2 10 free times, Wednesday, December 2, 2026"
