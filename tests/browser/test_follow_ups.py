"""A treated patient stops the follow-ups from the link in one, in Chromium, on a phone."""

from urllib.parse import urlsplit

import pytest

from booking import followups
from booking.models import Booking, FollowUpOptOut, OutgoingEmail
from tests.booking.test_follow_ups import CHECK_IN
from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import make_booking

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_patient_stops_follow_ups_from_the_email_link(page):
    from booking.models import Service

    make_booking(
        service=Service.objects.get(slug="exosome-treatment"),
        status=Booking.Status.COMPLETED,
        language="es",
    )
    assert followups.queue_due(CHECK_IN) == 1
    link = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.FOLLOW_UP).unsubscribe_url

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(urlsplit(link).path)
    assert page.locator("html").get_attribute("lang") == "es"
    assert not FollowUpOptOut.objects.exists()  # opening the link changes nothing
    assert axe_violations(page) == []
    screenshot(page, "follow-ups-stop")

    page.get_by_role("button", name="Dejar de recibir correos de seguimiento").click()

    page.get_by_role("status").wait_for()
    assert "no le enviaremos más correos de seguimiento" in page.get_by_role("status").inner_text()
    assert FollowUpOptOut.objects.count() == 1
    assert axe_violations(page) == []
    assert page.console_errors == []
    screenshot(page, "follow-ups-stopped")
