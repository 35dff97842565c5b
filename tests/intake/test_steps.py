"""The intake's locked steps: each guard checked on a fresh copy, refusals change nothing."""

from datetime import date, timedelta

import pytest

from booking import workflow
from booking.models import Booking
from intake import steps
from intake.models import (
    Answer,
    ClinicalReview,
    ConsentDocument,
    ConsentSignature,
    Questionnaire,
    Submission,
    text_hash,
)
from tests.conftest import complete_intake, make_booking
from tests.intake.conftest import ASPIRIN, as_answers, question, valid_answers

pytestmark = pytest.mark.django_db


def submit(booking, **by_start):
    return steps.submit_answers(
        booking,
        Questionnaire.for_service(booking.service),
        as_answers(booking.service, valid_answers(booking.service, **by_start)),
    )


def sign(booking, name=None, document=None):
    document = document or ConsentDocument.for_service(booking.service)
    return steps.sign_consent(
        booking,
        document,
        shown_hash=text_hash(document.render(booking)),
        typed_name=name if name is not None else booking.name,
        language="en",
    )


def test_answers_are_stored_once_with_what_the_patient_read(booking):
    submission = submit(booking, **{ASPIRIN: "yes"})

    assert submission.flagged
    aspirin = Answer.objects.get(submission=submission, question__text_en__startswith=ASPIRIN)
    assert (aspirin.value, aspirin.shown_value, aspirin.flagged) == ("yes", "Yes", True)
    assert aspirin.question_text.startswith(ASPIRIN)
    assert submission.patient_name == booking.name


def test_answers_without_a_flagging_answer_are_not_flagged(booking):
    assert not submit(booking).flagged


def test_a_second_submission_is_refused_and_changes_nothing(booking):
    submit(booking)

    with pytest.raises(steps.IntakeRefused, match="already sent"):
        submit(booking, **{ASPIRIN: "yes"})

    assert Submission.objects.get().flagged is False


def test_answers_for_a_cancelled_booking_are_refused(booking):
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)

    with pytest.raises(steps.IntakeRefused, match="cancelled"):
        submit(booking)  # the caller's copy still says confirmed: the guard reads afresh

    assert not Submission.objects.exists()


def test_answers_after_the_appointment_started_are_refused(treatment, now):
    past = make_booking(
        service=treatment, status=Booking.Status.CONFIRMED, start=now - timedelta(hours=1)
    )

    with pytest.raises(steps.IntakeRefused):
        submit(past)

    assert not Submission.objects.exists()


def test_a_forged_or_retired_question_id_is_refused(booking):
    retired = question(booking.service, "Do you use minoxidil")
    retired.retired = True
    retired.save()
    answers = as_answers(booking.service, valid_answers(booking.service))

    with pytest.raises(steps.IntakeRefused, match="changed"):
        steps.submit_answers(
            booking, Questionnaire.for_service(booking.service), {**answers, 999999: "yes"}
        )
    with pytest.raises(steps.IntakeRefused, match="changed"):
        steps.submit_answers(
            booking, Questionnaire.for_service(booking.service), {**answers, retired.pk: "no"}
        )

    assert not Submission.objects.exists()


def test_a_missing_required_answer_is_refused(booking):
    answers = as_answers(booking.service, valid_answers(booking.service))
    answers.pop(question(booking.service, ASPIRIN).pk)

    with pytest.raises(steps.IntakeRefused, match="required"):
        steps.submit_answers(booking, Questionnaire.for_service(booking.service), answers)

    assert not Submission.objects.exists()


def test_a_signature_records_version_hash_of_the_text_shown_name_and_time(booking, now):
    document = ConsentDocument.for_service(booking.service)
    shown = document.render(booking)

    signature = sign(booking, name="  pat   EXAMPLE ")

    assert signature.document_version == document.version == "2026-12"
    assert signature.text_sha256 == text_hash(shown)
    assert signature.text_shown == shown
    assert "Tuesday, December 8, 2026 at 10:00 am" in shown  # the patient's own dates
    assert signature.typed_name == "pat EXAMPLE"
    assert signature.signed_at == now


@pytest.mark.parametrize("typed", ["", "   ", "Sam Other", "Pat"])
def test_a_consent_signed_with_an_empty_or_mismatched_name_is_refused(booking, typed):
    with pytest.raises(steps.IntakeRefused, match="full name"):
        sign(booking, name=typed)

    assert not ConsentSignature.objects.exists()


def test_a_consent_is_signed_once(booking):
    sign(booking)

    with pytest.raises(steps.IntakeRefused, match="already signed"):
        sign(booking)

    assert ConsentSignature.objects.count() == 1


def test_a_signature_of_a_text_that_changed_meanwhile_is_refused(booking):
    document = ConsentDocument.for_service(booking.service)

    with pytest.raises(steps.IntakeRefused, match="changed"):
        steps.sign_consent(
            booking, document, shown_hash="0" * 64, typed_name=booking.name, language="en"
        )

    assert not ConsentSignature.objects.exists()


def test_a_signed_consent_never_changes(booking):
    signature = sign(booking)
    signature.typed_name = "Someone Else"

    with pytest.raises(Exception, match="never changes"):
        signature.save()


def test_a_new_version_goes_to_bookings_not_yet_signed_and_signed_ones_keep_theirs(
    booking, treatment, now
):
    signed = sign(booking)
    newer = ConsentDocument.objects.create(
        service=treatment,
        version="2027-01",
        published_on=date(2026, 12, 1),
        title="Consent, version two",
        text="New text for {appointment}.",
    )
    other = make_booking(
        service=treatment, status=Booking.Status.CONFIRMED, name="Sam Other", start=booking.start
    )

    assert ConsentDocument.for_service(treatment) == newer
    assert sign(other).document_version == "2027-01"
    signed.refresh_from_db()
    assert signed.document_version == "2026-12"


def test_a_clinician_clears_a_patient_with_a_note_and_the_history_keeps_each_decision(
    booking, clinician
):
    submit(booking, **{ASPIRIN: "yes"})
    sign(booking)

    steps.record_decision(booking, "call_patient", "Asks about Eliquis", clinician)
    steps.record_decision(booking, "cleared", "Spoke with her doctor: fine.", clinician)

    review = ClinicalReview.objects.get(booking=booking)
    assert (review.decision, review.decided_by) == ("cleared", clinician)
    history = list(review.history.order_by("history_date").values_list("decision", "note"))
    assert history == [
        ("call_patient", "Asks about Eliquis"),
        ("cleared", "Spoke with her doctor: fine."),
    ]
    assert steps.intake_state(booking).key == steps.CLEARED


def test_a_patient_is_not_cleared_before_answering_and_signing(booking, clinician):
    with pytest.raises(steps.IntakeRefused, match="not answered"):
        steps.record_decision(booking, "cleared", "", clinician)

    assert not ClinicalReview.objects.exists()


def test_call_the_patient_needs_a_note(booking, clinician):
    submit(booking)
    with pytest.raises(steps.IntakeRefused, match="note"):
        steps.record_decision(booking, "call_patient", "  ", clinician)


def test_the_states_move_from_waiting_to_flagged_to_cleared(booking, clinician):
    assert steps.intake_state(booking).key == steps.WAITING
    submit(booking, **{ASPIRIN: "yes"})
    assert steps.intake_state(booking).key == steps.FLAGGED
    sign(booking)
    steps.record_decision(booking, "cleared", "", clinician)
    assert steps.intake_state(booking).key == steps.CLEARED


def test_an_unflagged_finished_intake_is_to_review(booking):
    submit(booking)
    sign(booking)
    assert steps.intake_state(booking).key == steps.TO_REVIEW


def test_a_consultation_asks_for_nothing(consultation, now):
    state = steps.intake_state(make_booking(service=consultation))
    assert not state.applies
    assert state.label == ""


def test_the_states_of_many_bookings_take_five_queries(treatment, now, django_assert_num_queries):
    bookings = [
        make_booking(service=treatment, status=Booking.Status.CONFIRMED, email=f"p{i}@example.com")
        for i in range(12)
    ]
    complete_intake(bookings[0])

    with django_assert_num_queries(5):
        states = steps.intake_states(bookings)

    assert states[bookings[0].pk].key == steps.CLEARED
    assert {states[b.pk].key for b in bookings[1:]} == {steps.WAITING}


# --- Completing a treatment ---------------------------------------------------------


@pytest.fixture
def started(treatment, now):
    return make_booking(
        service=treatment, status=Booking.Status.CONFIRMED, start=now - timedelta(hours=2)
    )


def test_completing_an_uncleared_treatment_is_refused(started):
    complete_intake(started, cleared=False)

    with pytest.raises(workflow.TransitionNotAllowed, match="clinician has not cleared"):
        workflow.complete(started)

    started.refresh_from_db()
    assert started.status == Booking.Status.CONFIRMED
    assert "complete" not in workflow.allowed_steps(started)


def test_completing_a_treatment_without_a_signed_consent_is_refused(started):
    with pytest.raises(workflow.TransitionNotAllowed, match="not signed the consent"):
        workflow.complete(started)


def test_a_signed_and_cleared_treatment_is_completed(started):
    complete_intake(started)

    workflow.complete(started)

    assert started.status == Booking.Status.COMPLETED


def test_a_consultation_is_completed_without_any_intake(consultation, now):
    booking = make_booking(
        service=consultation, status=Booking.Status.CONFIRMED, start=now - timedelta(hours=2)
    )
    workflow.complete(booking)
    assert booking.status == Booking.Status.COMPLETED
