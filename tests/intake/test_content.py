"""The first questionnaire and consent shipped by intake/migrations/0002."""

import pytest

from clinic.translation_review import Review
from intake.models import ConsentDocument, Question, Questionnaire

pytestmark = pytest.mark.django_db


def test_the_treatment_ships_with_questions_and_a_consent_and_the_consultation_without(
    treatment, consultation
):
    assert Questionnaire.for_service(treatment) is not None
    assert ConsentDocument.for_service(treatment) is not None
    assert Questionnaire.for_service(consultation) is None
    assert ConsentDocument.for_service(consultation) is None


def test_both_need_clinical_and_legal_review_and_their_spanish_is_a_draft(treatment):
    questionnaire = Questionnaire.for_service(treatment)
    document = ConsentDocument.for_service(treatment)

    for item in (questionnaire, document):
        assert item.needs_review
        assert "clinical and legal review" in item.review_note
        assert item.es_review == Review.DRAFT
    assert all(q.es_review == Review.DRAFT and q.text_es for q in questionnaire.questions.all())


@pytest.mark.parametrize(
    "topic",
    [
        "aspirin, a blood thinner",
        "ibuprofen, naproxen",
        "bleeding or clotting",
        "pregnant",
        "breastfeeding",
        "infection, a wound",
        "cancer",
        "allergies",
        "minoxidil",
        "finasteride",
        "hair transplant in the last 12 months",
        "anything else",
    ],
)
def test_the_questions_cover_each_topic(treatment, topic):
    texts = " ".join(
        Questionnaire.for_service(treatment).questions.values_list("text_en", flat=True)
    )
    assert topic in texts


def test_the_prescribed_medicine_answer_flags_and_tells_the_patient_not_to_stop(treatment):
    aspirin = Question.objects.get(text_en__startswith="Do you take aspirin")

    assert aspirin.flags("yes") and not aspirin.flags("no")
    assert "do not stop any medicine a doctor told you to take" in aspirin.flag_note_en
    assert "will call you" in aspirin.flag_note_en


@pytest.mark.parametrize(
    "words",
    [
        "No exosome product is approved by the US Food and Drug Administration (FDA).",
        "Results vary from person to person and are not guaranteed.",
        "Currently there are no large direct studies that can show exosomes or stem cells "
        "do not cause cancer.",
        "from 3 days before your procedure until 3 weeks after it",
        "{preparation}",
        "platelet-rich plasma (PRP)",
        "withdraw this consent at any time",
        "bruising or bleeding",
    ],
)
def test_the_consent_states_each_fact(treatment, words):
    assert words in ConsentDocument.for_service(treatment).text_en


def test_every_shipped_question_is_valid(treatment):
    for question in Questionnaire.for_service(treatment).questions.all():
        question.full_clean()
