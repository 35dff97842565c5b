"""The patient's pages: /book/manage/<token>/health/ and /consent/, in English and Spanish."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from booking.models import Booking
from intake.models import Answer, ConsentDocument, ConsentSignature, Submission, text_hash
from tests.conftest import make_booking
from tests.intake.conftest import ASPIRIN, question, valid_answers

pytestmark = pytest.mark.django_db


def test_the_health_page_shows_each_section_as_a_fieldset_with_a_legend(client, health_url):
    response = client.get(health_url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for section in ("Medicines", "Your health", "Hair-loss treatments", "Anything else"):
        assert re.search(rf'<legend class="h5">{section}</legend>', html)
    assert "<script" not in html.split("<main", 1)[-1].split("</main>")[0]


def test_a_flagging_answer_carries_the_clinics_note_beside_it(client, booking, health_url):
    aspirin = question(booking.service, ASPIRIN)

    html = client.get(health_url).content.decode()

    assert re.search(rf'name="q_{aspirin.pk}" value="yes" id="[^"]+" data-flags', html)
    assert "Please do not stop any medicine a doctor told you to take" in html


def test_answers_are_sent_once_then_shown_read_only_with_call_us(client, booking, health_url):
    response = client.post(health_url, valid_answers(booking.service, **{ASPIRIN: "yes"}))

    assert response.status_code == 302
    assert Submission.objects.get(booking=booking).flagged
    page = client.get(health_url).content.decode()
    assert "Your answers" in page
    assert "To correct an answer, please call us at" in page
    assert "(770) 555-0142" in page and 'href="tel:+17705550142"' in page
    assert "Please do not stop any medicine a doctor told you to take" in page
    assert 'name="q_' not in page


def test_a_second_submission_changes_nothing(client, booking, health_url):
    client.post(health_url, valid_answers(booking.service))

    response = client.post(
        health_url, valid_answers(booking.service, **{ASPIRIN: "yes"}), follow=True
    )

    assert "already sent" in response.content.decode()
    assert Submission.objects.get().flagged is False


def test_missing_answers_get_an_error_summary_linking_to_each_field(client, booking, health_url):
    data = valid_answers(booking.service)
    aspirin = question(booking.service, ASPIRIN)
    del data[f"q_{aspirin.pk}"]

    response = client.post(health_url, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert f'href="#id_q_{aspirin.pk}_0"' in html
    assert f'id="id_q_{aspirin.pk}_0"' in html
    # The summary's link names its question: ten alike would say nothing.
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert ASPIRIN in summary and "?: Please answer this question.</a>" in summary
    assert not Submission.objects.exists()


def test_an_answer_too_long_is_refused_kindly(client, booking, health_url):
    anything = question(booking.service, "Is there anything else")
    data = valid_answers(booking.service, **{"Is there anything else": "x" * 301})

    html = client.post(health_url, data).content.decode()

    assert "Please keep this answer under 300 characters." in html
    assert f'href="#id_q_{anything.pk}"' in html
    assert not Answer.objects.exists()


@pytest.mark.parametrize("extra", [{"q_999999": "yes"}, {"q_0": "no"}])
def test_a_forged_question_id_is_refused_and_nothing_stored(client, booking, health_url, extra):
    response = client.post(health_url, {**valid_answers(booking.service), **extra})

    assert response.status_code == 200
    assert "The questions have changed since you opened this page" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_cancelled_booking_gets_a_closed_form_and_nothing_is_stored(
    client, booking, health_url, consent_url
):
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)

    page = client.get(health_url).content.decode()
    posted = client.post(health_url, valid_answers(booking.service))
    signed = client.post(consent_url, {"typed_name": booking.name, "understood": "on"})

    assert "so this form is closed" in page
    assert posted.status_code == 200 and signed.status_code == 200
    assert not Submission.objects.exists() and not ConsentSignature.objects.exists()


def test_a_past_booking_gets_a_closed_form(client, treatment, now):
    from booking.links import make_token

    past = make_booking(
        service=treatment, status=Booking.Status.CONFIRMED, start=now - timedelta(days=2)
    )

    page = client.get(reverse("intake:health", args=[make_token(past)]))

    assert page.status_code == 200
    assert "so this form is closed" in page.content.decode()


def test_a_consultation_has_no_health_or_consent_page(client, consultation, now):
    from booking.links import make_token

    token = make_token(make_booking(service=consultation))

    assert client.get(reverse("intake:health", args=[token])).status_code == 404
    assert client.get(reverse("intake:consent", args=[token])).status_code == 404


def test_a_forged_link_gets_the_invalid_link_page(client, now):
    assert client.get("/book/manage/forged/health/").status_code == 404
    assert client.post("/book/manage/forged/consent/").status_code == 404


# --- Consent -------------------------------------------------------------------------


def test_the_spanish_consent_page_writes_its_date_the_spanish_way(client, consent_url):
    html = client.get(consent_url.replace("/book/", "/es/book/", 1)).content.decode()

    assert "martes, 1 de diciembre de 2026" in html
    # "a las 10:00 a. m." ends the sentence: no second full stop after it.
    assert "a. m.." not in html and "p. m.." not in html


def test_a_consent_still_in_english_fills_in_english_dates(client, consent_url):
    # Its Spanish is not reviewed: the English text is what the patient signs, and a
    # Spanish date inside it would make a document in two languages.
    html = client.get(consent_url.replace("/book/", "/es/book/", 1)).content.decode()

    document = html.split('aria-labelledby="document-title" lang="en">', 1)[1]
    document = document.split("</section>", 1)[0]
    assert "Tuesday, December 8, 2026" in document
    assert "martes, 8 de diciembre" not in document
    # Our own line about the version stays Spanish, and says so.
    assert '<p class="text-body-secondary" lang="es">' in document
    assert "martes, 1 de diciembre de 2026" in document.split('lang="es">', 1)[1]


def test_the_consent_page_shows_the_current_version_its_date_and_the_patients_dates(
    client, consent_url
):
    response = client.get(consent_url)

    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "Version 2026-12, Tuesday, December 1, 2026" in html
    assert "No exosome product is approved by the US Food and Drug Administration" in html
    assert "Tuesday, December 8, 2026 at 10:00 am" in html
    assert "No NSAIDs: from Saturday, December 5 until Tuesday, December 29" in html


def test_signing_records_the_hash_of_the_text_shown(client, booking, consent_url):
    document = ConsentDocument.for_service(booking.service)
    shown = re.search(
        r'name="shown" value="([0-9a-f]{64})"', client.get(consent_url).content.decode()
    )

    response = client.post(
        consent_url, {"shown": shown[1], "typed_name": "Pat Example", "understood": "on"}
    )

    assert response.status_code == 302
    signature = ConsentSignature.objects.get(booking=booking)
    assert signature.text_sha256 == shown[1] == text_hash(document.render(booking))
    page = client.get(consent_url).content.decode()
    assert "You have signed the consent" in page and "Version 2026-12" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Please type your full name to sign."),
        ("   ", "Please type your full name to sign."),
        ("Sam Other", "Please type your full name as it is on your booking"),
    ],
)
def test_an_empty_or_mismatched_name_is_refused_on_the_page(
    client, booking, consent_url, typed, message
):
    shown = text_hash(ConsentDocument.for_service(booking.service).render(booking))

    response = client.post(consent_url, {"shown": shown, "typed_name": typed, "understood": "on"})

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'href="#id_typed_name"' in html
    assert not ConsentSignature.objects.exists()


def test_not_ticking_understood_is_refused(client, booking, consent_url):
    shown = text_hash(ConsentDocument.for_service(booking.service).render(booking))

    html = client.post(consent_url, {"shown": shown, "typed_name": booking.name}).content.decode()

    assert "Please tick the box" in html and 'href="#id_understood"' in html
    assert not ConsentSignature.objects.exists()


def test_the_pages_work_in_spanish_with_the_english_draft_marked(client, token):
    health = client.get(f"/es/book/manage/{token}/health/").content.decode()
    consent = client.get(f"/es/book/manage/{token}/consent/").content.decode()

    assert "Preguntas de salud" in health
    assert "mientras nuestro equipo clínico revisa la versión en español" in health
    # The Spanish drafts are not reviewed: the English text, marked as English.
    assert 'lang="en"' in health and "Do you take aspirin" in health
    assert "Consentimiento" in consent and 'lang="en"' in consent


# --- The booking's own pages ----------------------------------------------------------


def test_the_manage_page_lists_what_is_to_do_and_then_done(client, booking, token, health_url):
    manage = reverse("booking:manage", args=[token])

    before = client.get(manage).content.decode()
    client.post(health_url, valid_answers(booking.service))
    after = client.get(manage).content.decode()

    assert "Answer the health questions" in before and "Read and sign the consent" in before
    assert before.count(">to do<") == 2
    assert after.count(">to do<") == 1 and after.count(">done<") == 1


def test_a_consultations_manage_page_lists_nothing_to_do(client, consultation, now):
    from booking.links import make_token

    page = client.get(reverse("booking:manage", args=[make_token(make_booking())]))

    assert "Answer the health questions" not in page.content.decode()


def test_a_flag_note_shown_in_english_on_the_spanish_page_is_marked_english(
    client, booking, token
):
    spanish = f"/es/book/manage/{token}/health/"
    client.post(spanish, valid_answers(booking.service, **{ASPIRIN: "yes"}))

    html = client.get(spanish).content.decode()
    shown = re.search(r'<div class="intake-flag-note-shown[^>]*>', html)[0]
    assert 'lang="en"' in shown  # the question's Spanish is an unreviewed draft
