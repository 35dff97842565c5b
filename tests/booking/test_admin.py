"""The reception desk in the admin: the list, the status steps, moving a booking, the day sheet."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from booking import workflow
from booking.admin.views import csv_safe
from booking.models import Booking, BookingPolicy, OutgoingEmail
from tests.conftest import at, complete_intake, make_booking, make_staff

Status = Booking.Status
Kind = OutgoingEmail.Kind

CHANGELIST = reverse("admin:booking_booking_changelist")
DAY_SHEET = reverse("admin:booking_booking_day_sheet")
TUESDAY = date(2026, 12, 8)  # make_booking's day
NOW_DAY = date(2026, 12, 1)  # the `now` fixture's day


@pytest.fixture
def desk(client, db, now):
    """A client logged in as a receptionist, with the clock frozen at NOW."""
    client.force_login(make_staff("rita", "Receptionists"))
    return client


def change_url(booking: Booking) -> str:
    return reverse("admin:booking_booking_change", args=[booking.pk])


def step_url(booking: Booking, key: str) -> str:
    return reverse("admin:booking_booking_step", args=[booking.pk, key])


def listed(response) -> list[str]:
    """References of the bookings on a changelist page, in order."""
    return [booking.reference for booking in response.context["cl"].result_list]


def run_action(client, action: str, *bookings: Booking, follow: bool = True):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [b.pk for b in bookings]},
        follow=follow,
    )


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def emails_of(booking: Booking) -> list[str]:
    return list(booking.emails.order_by("pk").values_list("kind", flat=True))


def change_form_data(client, booking: Booking, **changes) -> dict:
    """The change form as the browser would post it, with `changes` applied."""
    response = client.get(change_url(booking))
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "day" and value is not None:
            value = value.isoformat()
        elif name == "time" and value is not None:
            value = value.strftime("%H:%M")
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, 0)
    data.update(changes)
    return data


# --- The list -----------------------------------------------------------------


def test_it_lists_bookings_soonest_first_in_clinic_time(desk):
    later = make_booking(start=at(TUESDAY, 14))
    sooner = make_booking(start=at(TUESDAY, 10))

    response = desk.get(CHANGELIST)

    assert response.status_code == 200
    assert listed(response) == [sooner.reference, later.reference]
    # 10:00 in Atlanta is 15:00 UTC: the list shows the clinic's time.
    assert "Tue, Dec 8, 2026, 10:00 am" in response.text


def test_it_shows_each_status_as_a_badge(desk):
    make_booking(status=Status.NO_SHOW)

    response = desk.get(CHANGELIST)

    assert '<span class="status-badge status-no_show">No-show</span>' in response.text


def test_it_starts_at_today_and_leaves_past_bookings_out(desk):
    past = make_booking(start=at(date(2026, 11, 30), 10), status=Status.COMPLETED)
    this_morning = make_booking(start=at(NOW_DAY, 9), status=Status.CONFIRMED)

    response = desk.get(CHANGELIST)

    assert listed(response) == [this_morning.reference]
    assert past.reference not in listed(response)


def test_the_past_filter_shows_the_most_recent_visit_first(desk):
    older = make_booking(start=at(date(2026, 11, 23), 10), status=Status.COMPLETED)
    recent = make_booking(start=at(date(2026, 11, 30), 10), status=Status.COMPLETED)
    make_booking(start=at(TUESDAY, 10))

    response = desk.get(CHANGELIST, {"day": "past"})

    assert listed(response) == [recent.reference, older.reference]


def test_the_today_filter_uses_the_clinic_calendar(desk):
    # 9 pm in Atlanta on Tuesday is already Wednesday in UTC.
    tonight = make_booking(start=at(NOW_DAY, 21))
    make_booking(start=at(date(2026, 12, 2), 9))

    response = desk.get(CHANGELIST, {"day": "today"})

    assert listed(response) == [tonight.reference]


def test_today_is_the_clinics_today_in_the_evening(client, db):
    # At 8 pm in Atlanta it is already Wednesday in UTC; the desk still means Tuesday.
    with time_machine.travel(at(NOW_DAY, 20), tick=False):
        client.force_login(make_staff("rita", "Receptionists"))
        tuesday = make_booking(start=at(NOW_DAY, 16), status=Status.CONFIRMED)
        make_booking(start=at(date(2026, 12, 2), 9))

        listed_today = listed(client.get(CHANGELIST, {"day": "today"}))
        sheet = client.get(DAY_SHEET)

    assert listed_today == [tuesday.reference]
    assert [row["booking"] for row in sheet.context["rows"]] == [tuesday]


def test_the_tomorrow_filter_uses_the_clinic_calendar(desk):
    make_booking(start=at(NOW_DAY, 21))
    tomorrow_evening = make_booking(start=at(date(2026, 12, 2), 20))
    make_booking(start=at(date(2026, 12, 3), 9))

    response = desk.get(CHANGELIST, {"day": "tomorrow"})

    assert listed(response) == [tomorrow_evening.reference]


def test_the_week_filter_runs_from_monday_to_sunday(desk):
    monday = make_booking(start=at(date(2026, 11, 30), 10), status=Status.COMPLETED)
    sunday_night = make_booking(start=at(date(2026, 12, 6), 22))
    make_booking(start=at(date(2026, 12, 7), 9))
    make_booking(start=at(date(2026, 11, 29), 10))

    response = desk.get(CHANGELIST, {"day": "week"})

    assert listed(response) == [monday.reference, sunday_night.reference]


def test_an_unknown_day_filter_value_falls_back_to_upcoming(desk):
    make_booking(start=at(date(2026, 11, 30), 10))
    upcoming = make_booking()

    response = desk.get(CHANGELIST, {"day": "<script>"})

    assert response.status_code == 200
    assert listed(response) == [upcoming.reference]


def test_it_filters_by_status(desk):
    make_booking(start=at(TUESDAY, 9))
    confirmed = make_booking(status=Status.CONFIRMED)

    response = desk.get(CHANGELIST, {"status__exact": "confirmed"})

    assert listed(response) == [confirmed.reference]


def test_it_finds_a_booking_by_reference_even_in_the_past(desk):
    old = make_booking(start=at(date(2026, 11, 2), 10), status=Status.COMPLETED)
    make_booking()

    response = desk.get(CHANGELIST, {"q": old.reference.lower()})

    assert listed(response) == [old.reference]


def test_it_finds_a_phone_number_written_differently(desk):
    patient = make_booking(phone="+14045550177")
    make_booking(start=at(TUESDAY, 11), phone="+14045550100")

    response = desk.get(CHANGELIST, {"q": "404.555.0177"})

    assert listed(response) == [patient.reference]


def test_it_finds_a_booking_by_name(desk):
    patient = make_booking(name="Dolores Abernathy")
    make_booking(start=at(TUESDAY, 11))

    response = desk.get(CHANGELIST, {"q": "abernathy"})

    assert listed(response) == [patient.reference]


def count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_30_bookings_as_for_3(desk, treatment):
    for hour in (9, 10, 11):
        make_booking(start=at(TUESDAY, hour))
    with_three = count_list_queries(desk)
    for day in range(9, 18):
        for hour in (9, 11, 14):
            make_booking(start=at(date(2026, 12, day), hour), service=treatment)

    with_thirty = count_list_queries(desk)

    assert Booking.objects.count() == 30
    assert with_thirty == with_three


# --- Status steps -----------------------------------------------------------------


def test_the_confirm_action_confirms_and_emails_the_patient(desk):
    booking = make_booking()

    response = run_action(desk, "confirm_bookings", booking)

    booking.refresh_from_db()
    assert response.status_code == 200
    assert booking.status == Status.CONFIRMED
    assert emails_of(booking) == [Kind.CONFIRMED]
    assert f"1 booking confirmed; the patient has been emailed: {booking.reference}." in (
        page_messages(response)
    )


def test_the_cancel_action_cancels_and_emails_the_patient(desk):
    booking = make_booking(status=Status.CONFIRMED)

    run_action(desk, "cancel_bookings", booking)

    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert emails_of(booking) == [Kind.CANCELLED]


def test_the_resend_action_resends_the_instructions(desk):
    booking = make_booking(status=Status.CONFIRMED)

    run_action(desk, "resend_instructions", booking)

    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert emails_of(booking) == [Kind.INSTRUCTIONS]


def test_it_does_not_resend_instructions_for_a_cancelled_booking(desk):
    booking = make_booking(status=Status.CANCELLED)

    response = run_action(desk, "resend_instructions", booking)

    assert emails_of(booking) == []
    assert any(message.startswith(booking.reference) for message in page_messages(response))


def test_the_completed_action_marks_a_started_appointment(desk):
    booking = make_booking(start=at(NOW_DAY, 10), status=Status.CONFIRMED)

    run_action(desk, "complete_bookings", booking)

    booking.refresh_from_db()
    assert booking.status == Status.COMPLETED
    assert emails_of(booking) == []


def test_the_no_show_action_marks_a_started_appointment(desk):
    booking = make_booking(start=at(NOW_DAY, 10), status=Status.CONFIRMED)

    run_action(desk, "mark_no_shows", booking)

    booking.refresh_from_db()
    assert booking.status == Status.NO_SHOW


def test_it_refuses_a_no_show_before_the_appointment(desk):
    booking = make_booking(status=Status.CONFIRMED)

    response = run_action(desk, "mark_no_shows", booking)

    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert (
        f"{booking.reference}: A booking cannot be marked no-show before its appointment "
        "has started." in page_messages(response)
    )


def test_an_invalid_transition_is_reported_and_the_others_still_go_ahead(desk):
    cancelled = make_booking(start=at(TUESDAY, 9), status=Status.CANCELLED)
    requested = make_booking(start=at(TUESDAY, 10))

    response = run_action(desk, "confirm_bookings", cancelled, requested)

    cancelled.refresh_from_db()
    requested.refresh_from_db()
    assert cancelled.status == Status.CANCELLED
    assert requested.status == Status.CONFIRMED
    assert emails_of(cancelled) == []
    assert (
        f"{cancelled.reference}: A cancelled booking cannot be marked confirmed."
        in page_messages(response)
    )


def test_a_status_step_is_recorded_in_the_history_with_the_staff_member(desk):
    booking = make_booking()

    run_action(desk, "confirm_bookings", booking)

    latest = booking.history.order_by("-history_id").first()  # the clock is frozen
    assert latest.status == Status.CONFIRMED
    assert latest.history_user.username == "rita"


def test_the_confirm_button_on_the_booking_confirms_it(desk):
    booking = make_booking()

    response = desk.post(step_url(booking, "confirm"))

    booking.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == change_url(booking)
    assert booking.status == Status.CONFIRMED
    assert emails_of(booking) == [Kind.CONFIRMED]


def test_the_step_buttons_accept_only_post(desk):
    booking = make_booking()

    response = desk.get(step_url(booking, "confirm"))

    booking.refresh_from_db()
    assert response.status_code == 405
    assert booking.status == Status.REQUESTED


def test_an_unknown_step_is_not_found(desk):
    booking = make_booking()

    response = desk.post(step_url(booking, "delete"))

    assert response.status_code == 404


def test_the_booking_shows_only_the_steps_its_status_allows(desk):
    booking = make_booking(status=Status.CONFIRMED)

    response = desk.get(change_url(booking))

    labels = [step["label"] for step in response.context["status_steps"]]
    assert labels == ["Resend instructions", "Cancel booking"]


def test_a_status_step_button_posts_with_the_csrf_token(client, db, now):
    client.handler.enforce_csrf_checks = True
    client.force_login(make_staff("rita", "Receptionists"))
    booking = make_booking()

    response = client.post(step_url(booking, "confirm"))

    booking.refresh_from_db()
    assert response.status_code == 403
    assert booking.status == Status.REQUESTED


# --- The booking page ------------------------------------------------------------------


def test_the_booking_page_never_shows_the_access_key(desk):
    booking = make_booking()

    response = desk.get(change_url(booking))

    assert response.status_code == 200
    assert booking.access_key not in response.text


def test_the_booking_page_lists_its_emails(desk):
    booking = make_booking()
    OutgoingEmail.objects.create(
        booking=booking,
        kind=Kind.CONFIRMED,
        to=booking.email,
        subject="Confirmed",
        body_text="…",
        status=OutgoingEmail.Status.FAILED,
        attempts=3,
        last_error="Connection refused by mail.example",
    )

    response = desk.get(change_url(booking))

    assert "Connection refused by mail.example" in response.text
    assert "Failed, will retry" in response.text


def test_status_is_not_a_field_of_the_booking_form(desk):
    booking = make_booking()

    response = desk.post(
        change_url(booking), change_form_data(desk, booking, status=Status.CONFIRMED)
    )

    booking.refresh_from_db()
    assert response.status_code == 302
    assert booking.status == Status.REQUESTED


def test_saving_internal_notes_tells_the_patient_nothing(desk):
    booking = make_booking()

    response = desk.post(
        change_url(booking), change_form_data(desk, booking, internal_notes="Prefers mornings.")
    )

    booking.refresh_from_db()
    assert response.status_code == 302
    assert booking.internal_notes == "Prefers mornings."
    assert booking.sequence == 0
    assert emails_of(booking) == []


def test_a_new_time_moves_the_booking_and_emails_the_patient(desk):
    booking = make_booking()

    response = desk.post(
        change_url(booking), change_form_data(desk, booking, day="2026-12-09", time="14:30")
    )

    booking.refresh_from_db()
    assert response.status_code == 302
    assert booking.start == at(date(2026, 12, 9), 14, 30)
    assert booking.end == at(date(2026, 12, 9), 15)
    assert booking.sequence == 1
    assert emails_of(booking) == [Kind.RESCHEDULED]


def test_a_taken_time_is_refused_on_the_form_and_nothing_changes(desk):
    make_booking(start=at(date(2026, 12, 9), 14, 30), status=Status.CONFIRMED)
    booking = make_booking()

    response = desk.post(
        change_url(booking), change_form_data(desk, booking, day="2026-12-09", time="14:30")
    )

    booking.refresh_from_db()
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["time"] == [
        "That time is full now (another booking took it). Choose another free time."
    ]
    assert booking.start == at(TUESDAY, 10)
    assert emails_of(booking) == []


def test_a_time_outside_opening_hours_is_refused(desk):
    booking = make_booking()

    response = desk.post(
        change_url(booking), change_form_data(desk, booking, day="2026-12-09", time="18:00")
    )

    booking.refresh_from_db()
    assert response.status_code == 200
    assert "time" in response.context["adminform"].form.errors
    assert booking.start == at(TUESDAY, 10)


def test_staff_may_move_a_booking_at_short_notice(desk):
    # Tomorrow 9:00 is 21 hours away: too soon for a patient, fine for the desk.
    booking = make_booking()

    response = desk.post(
        change_url(booking), change_form_data(desk, booking, day="2026-12-02", time="09:00")
    )

    booking.refresh_from_db()
    assert response.status_code == 302
    assert booking.start == at(date(2026, 12, 2), 9)


def test_a_cancelled_booking_cannot_be_moved(desk):
    booking = make_booking(status=Status.CANCELLED)

    response = desk.post(
        change_url(booking), change_form_data(desk, booking, day="2026-12-09", time="10:00")
    )

    booking.refresh_from_db()
    assert response.status_code == 200
    assert booking.start == at(TUESDAY, 10)


def test_history_cannot_revert_a_booking(desk):
    booking = make_booking()
    version = booking.history.order_by("history_id").first()
    url = reverse("admin:booking_booking_simple_history", args=[booking.pk, version.pk])

    viewed = desk.get(url)
    reverted = desk.post(url, change_form_data(desk, booking, day="2026-12-09"))

    booking.refresh_from_db()
    assert viewed.status_code == 200
    assert reverted.status_code == 403
    assert booking.start == at(TUESDAY, 10)


# --- A booking made at the desk ------------------------------------------------------------


def add_form_data(**changes) -> dict:
    data = {
        "service": "",
        "day": "2026-12-10",
        "time": "11:00",
        "name": "Phone Caller",
        "email": "caller@example.com",
        "phone": "+1 404 555 0199",
        "notes": "",
        "internal_notes": "Booked by phone.",
        "consent": "on",
    }
    data.update(changes)
    return data


def test_a_booking_made_at_the_desk_is_confirmed_and_the_patient_emailed(desk, consultation):
    response = desk.post(
        reverse("admin:booking_booking_add"), add_form_data(service=consultation.pk)
    )

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert booking.start == at(date(2026, 12, 10), 11)
    assert booking.status == Status.CONFIRMED
    assert booking.consent_version == BookingPolicy.current().consent_version
    assert booking.consent_at is not None
    assert emails_of(booking) == [Kind.CONFIRMED]


def test_a_desk_booking_needs_the_patients_agreement(desk, consultation):
    data = add_form_data(service=consultation.pk)
    del data["consent"]

    response = desk.post(reverse("admin:booking_booking_add"), data)

    assert response.status_code == 200
    assert not Booking.objects.exists()


def test_a_desk_booking_cannot_overfill_a_slot(desk, consultation):
    make_booking(start=at(date(2026, 12, 10), 11), status=Status.CONFIRMED)

    response = desk.post(
        reverse("admin:booking_booking_add"), add_form_data(service=consultation.pk)
    )

    assert response.status_code == 200
    assert Booking.objects.count() == 1


# --- CSV export ------------------------------------------------------------------------------


def test_the_csv_export_lists_the_selected_bookings_in_clinic_time(desk):
    booking = make_booking(name="Pat Example", notes="First visit")
    make_booking(start=at(TUESDAY, 14))

    response = run_action(desk, "export_csv", booking, follow=False)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bookings-2026-12-01.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Reference", "Day", "Time", "Service", "Status", "Name", "Phone", "Email"]
        + ["Patient's note"],
        [booking.reference, "2026-12-08", "10:00", "Consultation", "Requested", "Pat Example"]
        + ["(404) 555-0100", "pat@example.com", "First visit"],
    ]


def test_the_csv_export_defuses_spreadsheet_formulas(desk):
    booking = make_booking(name='=HYPERLINK("http://evil.example","x")', notes="@SUM(A1)")

    response = run_action(desk, "export_csv", booking, follow=False)

    row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1]
    assert row[5] == '\'=HYPERLINK("http://evil.example","x")'
    assert row[8] == "'@SUM(A1)"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_csv_safe_prefixes_every_formula_start(text):
    assert csv_safe(text) == "'" + text


def test_csv_safe_leaves_plain_text_alone():
    assert csv_safe("Pat O'Brien") == "Pat O'Brien"


# --- The day sheet ------------------------------------------------------------------------------


def test_the_day_sheet_shows_today_by_default(desk):
    today = make_booking(start=at(NOW_DAY, 15), name="Today Patient")
    make_booking(name="Next Week Patient")

    response = desk.get(DAY_SHEET)

    assert response.status_code == 200
    assert [row["booking"] for row in response.context["rows"]] == [today]
    assert "Day sheet: Tuesday, December 1, 2026" in response.text


def test_the_day_sheet_lists_the_chosen_days_bookings_only(desk):
    first = make_booking(start=at(TUESDAY, 9), notes="Allergic to latex")
    second = make_booking(start=at(TUESDAY, 16), phone="+17705550123")
    make_booking(start=at(TUESDAY + timedelta(days=1), 9))
    # 9 pm the evening before is Tuesday in UTC, but Monday at the clinic.
    make_booking(start=at(TUESDAY - timedelta(days=1), 21))

    response = desk.get(DAY_SHEET, {"day": "2026-12-08"})

    assert [row["booking"] for row in response.context["rows"]] == [first, second]
    assert "9:00 am – 9:30 am" in response.text
    assert "Allergic to latex" in response.text
    assert "(770) 555-0123" in response.text


@pytest.mark.parametrize("day", ["tomorrow", "2026-13-45", "9999-12-31", "0001-01-01", ""])
def test_the_day_sheet_explains_a_bad_day(desk, day):
    make_booking(start=at(NOW_DAY, 15))

    response = desk.get(DAY_SHEET, {"day": day})

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert response.context["form"].errors["day"]


def test_the_day_sheet_has_a_print_stylesheet(desk):
    response = desk.get(DAY_SHEET)

    assert "css/admin-booking.css" in response.text


def test_the_day_sheet_of_a_day_has_a_print_button(desk):
    response = desk.get(DAY_SHEET, {"day": "2026-12-08"})

    assert "Print this day</button>" in response.text
    assert "js/admin-print.js" in response.text


# --- The outbox and the clinic's rules (managers) ----------------------------------------------------


@pytest.fixture
def office(client, db, now):
    client.force_login(make_staff("mona", "Managers"))
    return client


def test_retry_now_requeues_failed_mail_and_leaves_sent_mail_alone(office):
    booking = make_booking()
    failed = OutgoingEmail.objects.create(
        booking=booking,
        kind=Kind.CONFIRMED,
        to=booking.email,
        subject="s",
        body_text="b",
        status=OutgoingEmail.Status.GAVE_UP,
        attempts=8,
        last_error="Timeout",
    )
    sent = OutgoingEmail.objects.create(
        booking=booking,
        kind=Kind.CONFIRMED,
        to=booking.email,
        subject="s",
        body_text="b",
        status=OutgoingEmail.Status.SENT,
        attempts=1,
    )

    office.post(
        reverse("admin:booking_outgoingemail_changelist"),
        {"action": "retry_now", "_selected_action": [failed.pk, sent.pk]},
    )

    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == OutgoingEmail.Status.QUEUED
    assert sent.status == OutgoingEmail.Status.SENT


def test_emails_cannot_be_added_or_edited_by_hand(office):
    booking = make_booking()
    email = OutgoingEmail.objects.create(
        booking=booking, kind=Kind.CONFIRMED, to=booking.email, subject="s", body_text="b"
    )
    url = reverse("admin:booking_outgoingemail_change", args=[email.pk])

    added = office.get(reverse("admin:booking_outgoingemail_add"))
    office.post(url, {"subject": "Changed", "to": "someone@example.com"})

    email.refresh_from_db()
    assert added.status_code == 403
    assert email.subject == "s"


def test_the_booking_rules_open_on_their_single_row(office):
    response = office.get(reverse("admin:booking_bookingpolicy_changelist"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:booking_bookingpolicy_change", args=[1])


def test_a_second_set_of_booking_rules_cannot_be_added(office):
    response = office.get(reverse("admin:booking_bookingpolicy_add"))

    assert response.status_code == 403


def test_the_booking_rules_history_opens_without_a_deprecation(office):
    policy = BookingPolicy.current()
    policy.capacity = 2
    policy.save()

    response = office.get(f"/admin/booking/bookingpolicy/{policy.pk}/history/")

    assert response.status_code == 200
    assert "Booking rules" in response.content.decode()


def test_a_details_edit_at_the_desk_never_changes_the_status(desk):
    booking = make_booking()
    page = desk.get(f"/admin/booking/booking/{booking.pk}/change/")
    assert page.status_code == 200
    workflow.cancel(Booking.objects.get(pk=booking.pk), by_patient=True)

    response = desk.post(
        f"/admin/booking/booking/{booking.pk}/change/",
        {
            "name": "Pat Example",
            "email": "pat@example.com",
            "phone": "+1 404 555 0100",
            "internal_notes": "Called back",
            "day": "2026-12-08",
            "time": "10:00",
            "emails-TOTAL_FORMS": "0",
            "emails-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.internal_notes) == (Booking.Status.CANCELLED, "Called back")


def test_the_booking_page_says_why_it_cannot_be_marked_completed_yet(desk, treatment):
    booking = make_booking(service=treatment, status=Status.CONFIRMED)
    before = desk.get(change_url(booking)).content.decode()
    assert (
        "<strong>Mark completed</strong> is not offered yet: A booking cannot be marked" in before
    )
    assert "<strong>Mark no-show</strong> is not offered yet" in before

    rita = User.objects.get(username="rita")
    with time_machine.travel(booking.start + timedelta(minutes=5), tick=False):
        desk.force_login(rita)  # a session from a week earlier has timed out
        started = desk.get(change_url(booking)).content.decode()
    assert (
        "<strong>Mark completed</strong> is not offered yet: The patient has not signed" in started
    )
    assert "Mark no-show</strong> is not offered yet" not in started  # offered now

    complete_intake(booking)
    with time_machine.travel(booking.start + timedelta(minutes=5), tick=False):
        desk.force_login(rita)
        ready = desk.get(change_url(booking)).content.decode()
    assert "is not offered yet" not in ready
    assert ">Mark completed</button>" in ready
