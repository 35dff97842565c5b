"""
Before a treatment, in Chromium at 360 px: a patient answers the health questions (one
answer flags, and its note shows at once, without JavaScript), signs the consent, and a
clinician clears them in the admin.
"""

import pytest

from booking import availability
from booking.links import manage_path
from booking.models import Booking, Service
from intake.models import ClinicalReview, ConsentSignature, Submission
from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import make_booking, make_staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ASPIRIN = (
    "Do you take aspirin, a blood thinner or another medicine a doctor told you to take every day?"
)
NOTE = "Please do not stop any medicine a doctor told you to take"


def test_a_patient_answers_and_signs_and_a_clinician_clears_them(browser, live_server, page):
    service = Service.objects.get(slug="exosome-treatment")
    rules = availability.Rules.load()
    slot = next(
        slots[0] for slots in availability.free_slots_by_day(rules, service).values() if slots
    )
    booking = make_booking(
        service=service, start=slot.start, status=Booking.Status.CONFIRMED, name="Pat Example"
    )

    phone = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 780},
        # JavaScript stays on for axe-core; the intake pages load no script of their own
        # (the flagged note is CSS: templates/intake/health.html, static/css/intake.css).
    )
    patient = phone.new_page()
    patient.set_default_timeout(15000)
    patient.goto(manage_path(booking))
    patient.get_by_role("link", name="Answer the health questions").click()
    patient.wait_for_url("**/health/")

    # Every closed question answered "No", by its label, as a patient would; then one yes.
    for group in patient.locator(".intake-question fieldset").all():
        group.get_by_label("No", exact=True).check()
    patient.get_by_role("group", name=ASPIRIN).get_by_label("Yes").check()
    assert patient.get_by_text(NOTE).is_visible()  # the clinic's note, at once
    assert patient.locator(".intake-flag-note:visible").count() == 1
    assert axe_violations(patient) == []
    screenshot(patient, "intake-health")
    patient.set_viewport_size({"width": 360, "height": 780})
    with patient.expect_navigation():
        patient.get_by_role("button", name="Send my answers").click()
    assert "We have your answers" in patient.inner_text("main")
    assert "To correct an answer, please call us" in patient.inner_text("main")
    assert Submission.objects.get(booking=booking).flagged

    patient.get_by_role("link", name="Back to your appointment").click()
    patient.get_by_role("link", name="Read and sign the consent").click()
    patient.wait_for_url("**/consent/")
    assert "No exosome product is approved" in patient.inner_text("main")
    assert axe_violations(patient) == []
    screenshot(patient, "intake-consent")
    patient.set_viewport_size({"width": 360, "height": 780})
    patient.get_by_label("I have read and understood this consent").check()
    patient.get_by_label("Your full name").fill("Pat Example")
    with patient.expect_navigation():
        patient.keyboard.press("Enter")  # the Enter key signs, as in any form
    assert "You have signed the consent" in patient.inner_text("main")
    assert ConsentSignature.objects.get(booking=booking).typed_name == "Pat Example"
    phone.close()

    page.set_default_timeout(15000)
    make_staff("clara", "Clinicians")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("clara")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")
    page.goto("/admin/intake/intakebooking/")
    assert page.locator("tr.intake-state-flagged").count() == 1
    screenshot(page, "intake-clinician-list")
    page.get_by_role("link", name="Pat Example").click()
    assert "Flagged:" in page.inner_text("#content-main")
    screenshot(page, "intake-clinician-review")
    page.get_by_label("Cleared for treatment").check()
    page.get_by_label("Note").fill("Called: her doctor says she may carry on.")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/admin/intake/intakebooking/")
    review = ClinicalReview.objects.get(booking=booking)
    assert review.decision == ClinicalReview.Decision.CLEARED
    assert page.console_errors == [] and page.other_hosts == []
