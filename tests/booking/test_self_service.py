"""/book/manage/<token>/: the patient sees, moves and cancels their booking by the signed link."""

import html
import re
from datetime import date

import pytest
import time_machine
from django.test import Client

from booking import links
from booking.models import Booking, OutgoingEmail
from tests.conftest import at, make_booking


def page_text(response) -> str:
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(without_tags).split())


def manage(booking: Booking, action: str = "") -> str:
    path = links.manage_path(booking)
    return f"{path}{action}/" if action else path


def snapshot(booking: Booking) -> tuple:
    booking.refresh_from_db()
    return (booking.status, booking.start, booking.end, booking.sequence, booking.emails.count())


def reception_told(booking: Booking) -> bool:
    return booking.emails.filter(kind=OutgoingEmail.Kind.RECEPTION_CHANGE).exists()


@pytest.fixture
def booking(db, treatment) -> Booking:
    """The patient's requested treatment on Tuesday, December 8, 2026 at 10:00."""
    return make_booking(service=treatment)


@pytest.mark.django_db
class TestViewing:
    def test_it_shows_the_booking(self, client, now, booking):
        response = client.get(manage(booking))
        assert response.status_code == 200
        text = page_text(response)
        assert booking.reference in text
        assert "Exosome hair-loss treatment" in text
        assert "Tuesday, December 8, 2026 at 10:00 am" in text
        assert "Requested" in text

    def test_it_shows_the_dated_instructions(self, client, now, booking):
        text = page_text(client.get(manage(booking)))
        assert "No NSAIDs — from Saturday, December 5 until Tuesday, December 29" in text

    def test_it_keeps_the_token_out_of_referrers_caches_and_search_engines(
        self, client, now, booking
    ):
        response = client.get(manage(booking))
        assert response["Referrer-Policy"] == "same-origin"
        assert "no-store" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()

    def test_opening_the_link_changes_nothing(self, client, now, booking):
        before = snapshot(booking)
        client.get(manage(booking))
        client.get(manage(booking, "cancel"))
        client.get(manage(booking), {"date": "2026-12-09", "time": "11:00"})
        assert snapshot(booking) == before

    def test_a_head_request_to_the_cancel_page_changes_nothing(self, client, now, booking):
        # Link checkers and mail scanners send HEAD; only a POST cancels.
        before = snapshot(booking)
        response = client.head(manage(booking, "cancel"))
        assert response.status_code == 200
        assert snapshot(booking) == before

    def test_it_offers_free_times_to_move_to(self, client, now, booking):
        response = client.get(manage(booking), {"date": "2026-12-09"})
        assert "Free times on Wednesday, December 9, 2026" in page_text(response)
        assert 'value="11:00"' in response.content.decode()

    def test_it_opens_the_picker_on_the_appointment_day(self, client, now, booking):
        text = page_text(client.get(manage(booking)))
        assert "Free times on Tuesday, December 8, 2026" in text

    def test_it_counts_the_own_booking_as_free(self, client, now, booking):
        # 10:30 overlaps the patient's own 10:00–11:00 treatment; moving there is fine.
        content = client.get(manage(booking), {"date": "2026-12-08"}).content.decode()
        assert 'value="10:30"' in content

    def test_the_times_fragment_works_for_the_link_holder(self, client, now, booking):
        response = client.get(manage(booking, "times"), {"date": "2026-12-09"})
        assert response.status_code == 200
        assert "<html" not in response.content.decode()
        assert response["Referrer-Policy"] == "same-origin"

    def test_the_calendar_file_downloads(self, client, now, booking):
        response = client.get(manage(booking) + "calendar.ics")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert f"vinings-appointment-{booking.reference}.ics" in response["Content-Disposition"]
        assert "BEGIN:VCALENDAR" in response.content.decode()
        assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
class TestInvalidLinks:
    def test_a_forged_token_gets_the_not_valid_page(self, client, now, booking):
        response = client.get("/book/manage/forged-token/")
        assert response.status_code == 404
        assert "This link is not valid" in page_text(response)
        assert response["Referrer-Policy"] == "same-origin"

    def test_an_altered_token_gets_the_not_valid_page(self, client, now, booking):
        token = links.make_token(booking)
        altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        response = client.get(f"/book/manage/{altered}/")
        assert response.status_code == 404
        assert "This link is not valid" in page_text(response)

    def test_a_revoked_token_gets_the_not_valid_page(self, client, now, booking):
        path = manage(booking)
        Booking.objects.filter(pk=booking.pk).update(access_key="replaced")
        assert client.get(path).status_code == 404

    def test_a_forged_cancel_changes_nothing(self, client, now, booking):
        before = snapshot(booking)
        response = client.post("/book/manage/forged-token/cancel/")
        assert response.status_code == 404
        assert snapshot(booking) == before

    def test_a_forged_move_changes_nothing(self, client, now, booking):
        before = snapshot(booking)
        response = client.post(
            "/book/manage/forged-token/move/", {"date": "2026-12-09", "time": "11:00"}
        )
        assert response.status_code == 404
        assert snapshot(booking) == before

    def test_a_forged_calendar_request_gets_the_not_valid_page(self, client, now, booking):
        assert client.get("/book/manage/forged-token/calendar.ics").status_code == 404


@pytest.mark.django_db
class TestCancelling:
    def test_the_confirm_step_asks_first(self, client, now, booking):
        response = client.get(manage(booking, "cancel"))
        assert response.status_code == 200
        assert "Yes, cancel my appointment" in page_text(response)
        assert snapshot(booking)[0] == Booking.Status.REQUESTED

    def test_post_cancels(self, client, now, booking):
        response = client.post(manage(booking, "cancel"))
        assert response.status_code == 302
        assert response["Location"] == manage(booking)
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CANCELLED
        assert booking.sequence == 1

    def test_reception_is_told(self, client, now, booking):
        client.post(manage(booking, "cancel"))
        assert reception_told(booking)

    def test_the_page_then_says_it_is_cancelled_and_offers_no_changes(self, client, now, booking):
        response = client.post(manage(booking, "cancel"), follow=True)
        text = page_text(response)
        assert "Your appointment has been cancelled" in text
        assert "This appointment is cancelled" in text
        assert "Move my appointment" not in text

    def test_cancelling_twice_changes_nothing_more(self, client, now, booking):
        client.post(manage(booking, "cancel"))
        before = snapshot(booking)
        response = client.post(manage(booking, "cancel"), follow=True)
        assert "can no longer be changed online" in page_text(response)
        assert snapshot(booking) == before

    def test_it_needs_the_csrf_token(self, now, booking):
        response = Client(enforce_csrf_checks=True).post(manage(booking, "cancel"))
        assert response.status_code == 403
        assert snapshot(booking)[0] == Booking.Status.REQUESTED


@pytest.mark.django_db
class TestMoving:
    def test_post_moves_to_a_free_time(self, consulted, client, now, booking):
        response = client.post(manage(booking, "move"), {"date": "2026-12-09", "time": "11:00"})
        assert response.status_code == 302
        booking.refresh_from_db()
        assert booking.start == at(date(2026, 12, 9), 11)
        assert booking.end == at(date(2026, 12, 9), 12)
        assert booking.sequence == 1

    def test_reception_is_told(self, consulted, client, now, booking):
        client.post(manage(booking, "move"), {"date": "2026-12-09", "time": "11:00"})
        assert reception_told(booking)

    def test_the_page_then_shows_the_new_time(self, consulted, client, now, booking):
        response = client.post(
            manage(booking, "move"), {"date": "2026-12-09", "time": "11:00"}, follow=True
        )
        assert "Your appointment is now on Wednesday, December 9, 2026 at 11:00 am" in page_text(
            response
        )

    def test_a_taken_time_changes_nothing_and_says_why(self, client, now, booking):
        make_booking(start=at(date(2026, 12, 9), 11, 30), email="other@example.com")
        before = snapshot(booking)
        response = client.post(manage(booking, "move"), {"date": "2026-12-09", "time": "11:00"})
        assert response.status_code == 200
        assert "Sorry, that time was just taken" in page_text(response)
        assert snapshot(booking) == before

    def test_a_past_day_changes_nothing_and_says_why(self, client, now, booking):
        before = snapshot(booking)
        response = client.post(manage(booking, "move"), {"date": "2026-11-30", "time": "11:00"})
        assert response.status_code == 200
        assert "has already passed" in page_text(response)
        assert snapshot(booking) == before

    def test_show_times_only_shows_times(self, client, now, booking):
        before = snapshot(booking)
        response = client.post(
            manage(booking, "move"), {"date": "2026-12-10", "time": "", "show_times": "1"}
        )
        assert response.status_code == 200
        assert "Free times on Thursday, December 10, 2026" in page_text(response)
        assert snapshot(booking) == before

    def test_get_is_not_allowed(self, client, now, booking):
        assert client.get(manage(booking, "move")).status_code == 405


@pytest.mark.django_db
class TestAfterTheStart:
    @pytest.fixture
    def started(self, booking):
        with time_machine.travel(at(date(2026, 12, 8), 10, 5), tick=False):
            yield booking

    def test_the_page_still_shows_the_booking(self, client, started):
        response = client.get(manage(started))
        assert response.status_code == 200
        text = page_text(response)
        assert started.reference in text
        assert "can no longer be changed online" in text
        assert "Move my appointment" not in text
        assert "Cancel this appointment" not in text

    def test_cancel_is_refused(self, client, started):
        before = snapshot(started)
        response = client.post(manage(started, "cancel"))
        assert response.status_code == 302
        assert snapshot(started) == before

    def test_move_is_refused(self, client, started):
        before = snapshot(started)
        client.post(manage(started, "move"), {"date": "2026-12-09", "time": "11:00"})
        assert snapshot(started) == before

    def test_the_cancel_confirm_page_is_refused(self, client, started):
        response = client.get(manage(started, "cancel"))
        assert response.status_code == 302


@pytest.mark.django_db
def test_a_cancelled_booking_no_longer_offers_a_calendar_entry(client, now):
    booking = make_booking(status=Booking.Status.CANCELLED)

    page = client.get(links.manage_path(booking)).content.decode()

    assert "Cancelled" in page
    assert "Add to my calendar" not in page
