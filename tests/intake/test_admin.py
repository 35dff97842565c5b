"""The clinicians' list, review and print pages; the desk sees the state only."""

import pytest
from django.urls import reverse

from booking.models import Booking
from intake import steps
from intake.models import ClinicalAccess, ClinicalReview, Question, Questionnaire
from tests.conftest import complete_intake, make_booking, make_staff
from tests.intake.conftest import ASPIRIN, as_answers, valid_answers

pytestmark = pytest.mark.django_db

LIST = "admin:intake_intakebooking_changelist"


def answer(booking, **by_start):
    steps.submit_answers(
        booking,
        Questionnaire.for_service(booking.service),
        as_answers(booking.service, valid_answers(booking.service, **by_start)),
    )


@pytest.fixture
def flagged(treatment, now) -> Booking:
    booking = make_booking(service=treatment, status=Booking.Status.CONFIRMED, name="Fran Example")
    answer(booking, **{ASPIRIN: "yes"})
    return booking


@pytest.fixture
def waiting(treatment, now) -> Booking:
    from datetime import date

    from tests.conftest import at

    return make_booking(
        service=treatment,
        status=Booking.Status.CONFIRMED,
        name="Walt Waiting",
        email="walt@example.com",
        start=at(date(2026, 12, 7), 10),
    )


def test_the_clinicians_list_puts_flagged_patients_first_and_highlights_them(
    client, clinician, flagged, waiting
):
    client.force_login(clinician)

    html = client.get(reverse(LIST)).content.decode()

    # Walt's appointment is earlier, yet Fran's flagged answers come first.
    assert html.index("Fran Example") < html.index("Walt Waiting")
    assert 'class="intake-row intake-state-flagged"' in html
    assert "Waiting for the patient" in html


def test_the_list_filters_by_state(client, clinician, flagged, waiting):
    client.force_login(clinician)

    html = client.get(reverse(LIST), {"state": "waiting"}).content.decode()

    assert "Walt Waiting" in html and "Fran Example" not in html


def test_opening_a_patients_answers_is_recorded(client, clinician, flagged):
    client.force_login(clinician)

    response = client.get(reverse("admin:intake_intakebooking_change", args=[flagged.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Flagged:" in html and "intake-answer-flagged" in html
    access = ClinicalAccess.objects.get()
    assert (access.booking, access.user, access.kind) == (flagged, clinician, "viewed")


def test_a_clinician_clears_a_patient_and_the_decision_is_in_the_history(
    client, clinician, flagged
):
    complete_intake_consent(flagged)
    client.force_login(clinician)
    url = reverse("admin:intake_intakebooking_change", args=[flagged.pk])

    response = client.post(url, {"decision": "cleared", "note": "Spoke to her GP."})

    assert response.status_code == 302
    review = ClinicalReview.objects.get(booking=flagged)
    assert (review.decision, review.note, review.decided_by) == (
        "cleared",
        "Spoke to her GP.",
        clinician,
    )
    page = client.get(url).content.decode()
    assert "Cleared for treatment by clara" in page


def complete_intake_consent(booking):
    from intake.models import ConsentDocument, text_hash

    document = ConsentDocument.for_service(booking.service)
    steps.sign_consent(
        booking,
        document,
        shown_hash=text_hash(document.render(booking)),
        typed_name=booking.name,
        language="en",
    )


def test_a_decision_without_a_choice_changes_nothing(client, clinician, flagged):
    client.force_login(clinician)

    response = client.post(
        reverse("admin:intake_intakebooking_change", args=[flagged.pk]), {"decision": "maybe"}
    )

    assert response.status_code == 200
    assert not ClinicalReview.objects.exists()


@pytest.mark.parametrize("group", ["Receptionists", "Managers", "FAQ editors"])
def test_other_staff_never_see_the_answers(client, flagged, group):
    client.force_login(make_staff("someone", group))

    for name in ("change", "print"):
        response = client.get(reverse(f"admin:intake_intakebooking_{name}", args=[flagged.pk]))
        assert response.status_code == 403
    assert client.get(reverse(LIST)).status_code == 403
    assert not ClinicalAccess.objects.exists()


def test_the_printable_record_is_for_clinicians_and_has_a_print_stylesheet(
    client, clinician, flagged
):
    complete_intake_consent(flagged)
    client.force_login(clinician)

    html = client.get(reverse("admin:intake_intakebooking_print", args=[flagged.pk])).content
    html = html.decode()

    assert "css/admin-intake.css" in html
    assert "Fran Example" in html and "SHA-256" in html
    assert "No exosome product is approved by the US Food and Drug Administration" in html
    assert ClinicalAccess.objects.get().kind == "printed"


def test_the_day_sheet_shows_the_state_and_never_an_answer(client, receptionist, flagged):
    client.force_login(receptionist)

    html = client.get(
        reverse("admin:booking_booking_day_sheet"), {"day": "2026-12-08"}
    ).content.decode()

    assert "Questions and consent" in html
    assert "To review by a clinician (consent to do)" in html
    assert "aspirin" not in html.lower() and "Flagged" not in html


def test_a_receptionist_cannot_complete_an_uncleared_treatment(
    client, receptionist, treatment, now
):
    from datetime import timedelta

    booking = make_booking(
        service=treatment, status=Booking.Status.CONFIRMED, start=now - timedelta(hours=1)
    )
    client.force_login(receptionist)

    client.post(reverse("admin:booking_booking_step", args=[booking.pk, "complete"]))

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_the_completed_button_appears_once_cleared(client, receptionist, treatment, now):
    from datetime import timedelta

    booking = make_booking(
        service=treatment, status=Booking.Status.CONFIRMED, start=now - timedelta(hours=1)
    )
    client.force_login(receptionist)
    url = reverse("admin:booking_booking_change", args=[booking.pk])

    before = client.get(url).content.decode()
    complete_intake(booking)
    after = client.get(url).content.decode()

    assert ">Mark completed</button>" not in before
    assert "is not offered yet: The patient has not signed the consent" in before
    assert ">Mark completed</button>" in after


# --- Managers edit the questions; answered ones are retired, never deleted -----------


def test_a_manager_edits_a_question_and_it_has_a_history(client, manager, treatment):
    question = Question.objects.filter(questionnaire__service=treatment).first()
    client.force_login(manager)
    url = reverse("admin:intake_question_change", args=[question.pk])

    page = client.get(url)

    assert page.status_code == 200
    assert 'name="text_es"' in page.content.decode()
    assert (
        client.get(reverse("admin:intake_question_history", args=[question.pk])).status_code == 200
    )


def test_an_answered_question_cannot_be_deleted_only_retired(client, manager, flagged):
    question = Question.objects.get(text_en__startswith=ASPIRIN)
    client.force_login(manager)

    response = client.post(
        reverse("admin:intake_question_delete", args=[question.pk]), {"post": "yes"}
    )
    bulk = client.post(
        reverse("admin:intake_question_changelist"),
        {"action": "delete_selected", "_selected_action": [question.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert bulk.status_code in (200, 302)
    assert Question.objects.filter(pk=question.pk).exists()
    with pytest.raises(Exception, match="retire"):
        question.delete()


def test_an_unanswered_question_can_be_deleted(client, manager, treatment, now):
    question = Question.objects.filter(questionnaire__service=treatment).last()
    client.force_login(manager)

    client.post(reverse("admin:intake_question_delete", args=[question.pk]), {"post": "yes"})

    assert not Question.objects.filter(pk=question.pk).exists()


def test_only_a_clinician_records_the_content_review(client, clinician, manager, treatment):
    questionnaire = Questionnaire.for_service(treatment)
    url = reverse("admin:intake_questionnaire_changelist")
    data = {"action": "record_content_review", "_selected_action": [questionnaire.pk]}

    client.force_login(manager)
    client.post(url, data)
    questionnaire.refresh_from_db()
    assert questionnaire.needs_review

    client.force_login(clinician)
    client.post(url, data)
    questionnaire.refresh_from_db()
    assert not questionnaire.needs_review
    assert questionnaire.reviewed_by == clinician
