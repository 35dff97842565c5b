"""Staff read the outbox without the patients' live links (issue 9, item 7)."""

import pytest
from django.urls import reverse

from booking import links, workflow
from booking.models import OutgoingEmail
from tests.conftest import make_booking, make_staff


@pytest.fixture
def desk(client, db, now):
    """A client logged in as a receptionist, with the clock frozen at NOW."""
    client.force_login(make_staff("rita", "Receptionists"))
    return client


@pytest.fixture
def confirmation(now) -> OutgoingEmail:
    booking = make_booking()
    workflow.confirm(booking)
    email = OutgoingEmail.objects.get(booking=booking, kind=OutgoingEmail.Kind.CONFIRMED)
    # The patient's copy holds a working link; the admin must not.
    assert links.make_token(booking) in email.body_text
    return email


def test_a_receptionist_sees_the_message_with_the_link_hidden(desk, confirmation):
    token = links.make_token(confirmation.booking)

    response = desk.get(reverse("admin:booking_outgoingemail_change", args=[confirmation.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert token not in page
    assert "/book/manage/[link]/" in page
    assert "Tuesday, December 8, 2026" in page  # the rest of the message is shown


def test_the_booking_page_shows_no_link_either(desk, confirmation):
    token = links.make_token(confirmation.booking)

    response = desk.get(reverse("admin:booking_booking_change", args=[confirmation.booking_id]))

    assert response.status_code == 200
    assert token not in response.content.decode()


def test_the_outbox_list_shows_no_link(desk, confirmation):
    token = links.make_token(confirmation.booking)

    response = desk.get(reverse("admin:booking_outgoingemail_changelist"))

    assert response.status_code == 200
    assert token not in response.content.decode()
