"""
A treatment after a consultation: a service may require one first (data), and the
rule is availability's, checked under the booking lock for every route: the patient's
/book/ page, a patient moving their treatment, the workflow itself. The desk may
override it explicitly, and the override is kept in the booking's history.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from booking import availability, links, workflow
from booking.models import Booking, OutgoingEmail
from tests.conftest import VALID_BOOKING_POST, at, make_booking, make_past_consultation, make_staff

pytestmark = pytest.mark.django_db

BOOK = "/book/"
TREATMENT_POST = {**VALID_BOOKING_POST, "service": "exosome-treatment"}
DEC_8 = date(2026, 12, 8)
REFUSED = "is given only after a consultation"


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_treatment_requires_the_consultation(treatment, consultation):
    assert treatment.requires_consultation == consultation
    assert consultation.requires_consultation is None


def test_a_patient_without_a_consultation_is_refused_and_nothing_changes(client, now):
    response = client.post(BOOK, TREATMENT_POST)

    assert response.status_code == 200
    assert REFUSED in text_of(response)
    assert Booking.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_the_refusal_is_on_the_service_and_in_the_error_summary(client, now):
    response = client.post(BOOK, TREATMENT_POST)

    assert REFUSED in " ".join(response.context["form"].errors["service"])
    assert 'href="#id_service"' in response.content.decode()


def test_a_completed_consultation_under_the_same_email_in_any_case_allows_it(client, now):
    make_past_consultation(email="PAT@Example.COM")

    response = client.post(BOOK, TREATMENT_POST)

    assert response.status_code == 302
    assert Booking.objects.filter(service__slug="exosome-treatment").count() == 1


def test_a_consultation_booked_to_end_before_the_treatment_allows_it(client, now, consultation):
    make_booking(service=consultation, start=at(date(2026, 12, 7), 10))

    response = client.post(BOOK, TREATMENT_POST)

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("start", "status"),
    [
        (at(date(2026, 12, 9), 10), Booking.Status.REQUESTED),  # after the treatment
        (at(date(2026, 12, 7), 10), Booking.Status.CANCELLED),
        (at(date(2026, 11, 24), 10), Booking.Status.NO_SHOW),
    ],
    ids=["later", "cancelled", "no-show"],
)
def test_a_consultation_that_does_not_count(client, now, consultation, start, status):
    make_booking(service=consultation, start=start, status=status)

    response = client.post(BOOK, TREATMENT_POST)

    assert response.status_code == 200
    assert REFUSED in text_of(response)
    assert not Booking.objects.filter(service__slug="exosome-treatment").exists()


def test_a_consultation_must_end_before_the_treatment_starts(now, treatment, consultation):
    make_booking(service=consultation, start=at(DEC_8, 9, 45), status=Booking.Status.CONFIRMED)

    assert not availability.has_consultation_before(treatment, at(DEC_8, 10), "pat@example.com")
    assert availability.has_consultation_before(treatment, at(DEC_8, 10, 15), "pat@example.com")


def test_another_patients_consultation_does_not_count(client, now):
    make_past_consultation(email="someone.else@example.com")

    response = client.post(BOOK, TREATMENT_POST)

    assert response.status_code == 200
    assert not Booking.objects.filter(service__slug="exosome-treatment").exists()


def test_the_workflow_itself_refuses_whatever_the_route(now, treatment):
    with pytest.raises(availability.SlotUnavailable) as refused:
        workflow.request(
            treatment,
            at(DEC_8, 10),
            consent_version="2026-11",
            name="Pat Example",
            email="pat@example.com",
            phone="+14045550100",
        )

    assert refused.value.code == "consultation"
    assert Booking.objects.count() == 0


def test_a_service_without_the_requirement_is_booked_directly(client, now):
    response = client.post(BOOK, VALID_BOOKING_POST)

    assert response.status_code == 302


def test_the_book_page_explains_it_and_offers_the_consultation_first(client, now):
    response = client.get(BOOK, {"service": "exosome-treatment"})

    html = response.content.decode()
    assert "Given only after a consultation with us." in text_of(response)
    assert 'href="/book/?service=consultation">Book a consultation first</a>' in html
    assert 'aria-describedby="requirement-exosome-treatment"' in html


def test_the_link_opens_the_page_with_the_consultation_chosen(client, now):
    response = client.get(BOOK, {"service": "consultation"})

    assert re.search(r'value="consultation"[^>]* checked', response.content.decode())


def test_the_spanish_page_explains_it_in_spanish(client, now):
    response = client.get("/es/book/", {"service": "exosome-treatment"})

    html = response.content.decode()
    assert 'href="/es/book/?service=consultation"' in html
    assert "Reserve primero una consulta" in html


def test_a_spanish_refusal_is_in_spanish(client, now):
    response = client.post("/es/book/", TREATMENT_POST)

    assert response.status_code == 200
    assert "solo después de una consulta" in text_of(response)


def test_a_patient_cannot_move_the_treatment_before_the_consultation(client, now, treatment):
    consultation = make_booking(start=at(date(2026, 12, 7), 10))
    booking = make_booking(service=treatment, start=at(DEC_8, 10))
    token = links.make_token(booking)

    response = client.post(
        reverse("booking:move", args=[token]), {"date": "2026-12-07", "time": "09:00"}
    )

    booking.refresh_from_db()
    assert response.status_code == 200
    assert REFUSED in text_of(response)
    assert booking.start == at(DEC_8, 10)
    assert consultation.pk != booking.pk


# --- The desk ----------------------------------------------------------------------


@pytest.fixture
def desk(client, now):
    client.force_login(make_staff("rita", "Receptionists"))
    return client


def desk_post(treatment, **changes) -> dict:
    data = {
        "service": treatment.pk,
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


def test_the_desk_is_told_when_the_caller_has_no_consultation(desk, treatment):
    response = desk.post(reverse("admin:booking_booking_add"), desk_post(treatment))

    assert response.status_code == 200
    assert "Book without a consultation" in response.content.decode()
    assert "This patient has no consultation before this time" in text_of(response)
    assert Booking.objects.count() == 0


def test_the_desk_books_without_a_consultation_when_it_says_so(desk, treatment):
    response = desk.post(
        reverse("admin:booking_booking_add"), desk_post(treatment, without_consultation="on")
    )

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert booking.consultation_waived
    record = booking.history.order_by("-history_id").first()
    assert record.consultation_waived
    assert record.history_change_reason == workflow.CONSULTATION_WAIVED
    assert record.history_user.username == "rita"


def test_the_override_shows_in_the_bookings_history(desk, treatment):
    desk.post(
        reverse("admin:booking_booking_add"), desk_post(treatment, without_consultation="on")
    )
    booking = Booking.objects.get()

    history = desk.get(reverse("admin:booking_booking_history", args=[booking.pk]))

    assert workflow.CONSULTATION_WAIVED in history.content.decode()


def test_the_desk_needs_no_override_for_a_patient_with_a_consultation(desk, treatment):
    make_past_consultation(email="Caller@example.com")

    response = desk.post(reverse("admin:booking_booking_add"), desk_post(treatment))

    booking = Booking.objects.get(service=treatment)
    assert response.status_code == 302
    assert not booking.consultation_waived


def test_a_treatment_the_desk_booked_without_one_may_still_be_moved_by_the_patient(
    client, now, treatment
):
    booking = make_booking(service=treatment, consultation_waived=True)
    token = links.make_token(booking)

    response = client.post(
        reverse("booking:move", args=[token]), {"date": "2026-12-09", "time": "11:00"}
    )

    booking.refresh_from_db()
    assert response.status_code == 302
    assert booking.start == at(date(2026, 12, 9), 11)


def test_cancelling_the_consultation_a_treatment_needs_warns_patient_and_desk(
    client, now, treatment, consultation
):
    first = make_booking(service=consultation, start=at(DEC_8, 10))
    make_booking(service=treatment, start=at(date(2026, 12, 15), 10))
    other = make_booking(service=consultation, start=at(DEC_8, 11), email="else@example.com")

    cancel = reverse("booking:cancel", args=[links.make_token(first)])
    page = text_of(client.get(cancel))
    assert "You also have a treatment booked on Tuesday, December 15, 2026 at 10:00 am" in page
    spanish = text_of(client.get("/es" + cancel))
    assert "También tiene un tratamiento reservado el martes, 15 de diciembre de 2026" in spanish
    assert "You also have a treatment" not in text_of(
        client.get(reverse("booking:cancel", args=[links.make_token(other)]))
    )

    client.force_login(make_staff("rita", "Receptionists"))
    desk = text_of(client.get(reverse("admin:booking_booking_change", args=[first.pk])))
    assert "needs this consultation first: if you cancel it, move or cancel the treatment" in desk
    assert Booking.objects.filter(status=Booking.Status.CANCELLED).count() == 0  # GET only
