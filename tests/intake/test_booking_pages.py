"""The confirmation page and the request email say what is still to do before a treatment."""

import pytest
from django.core import mail

from tests.conftest import VALID_BOOKING_POST

pytestmark = pytest.mark.django_db


def request_treatment(client, commit_and_send):
    with commit_and_send():
        response = client.post("/book/", {**VALID_BOOKING_POST, "service": "exosome-treatment"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_the_confirmation_page_lists_both_with_their_links(
    client, now, consulted, commit_and_send
):
    request_treatment(client, commit_and_send)

    html = client.get("/book/done/").content.decode()

    assert "Answer the health questions" in html and "Read and sign the consent" in html
    assert html.count(">to do<") == 2
    assert "/health/" in html and "/consent/" in html


def test_the_request_email_lists_both_with_their_links_and_no_question(
    client, now, consulted, commit_and_send
):
    request_treatment(client, commit_and_send)

    patient = [m for m in mail.outbox if m.to == ["pat@example.com"]][0]
    assert "Answer the health questions (to do): http" in patient.body
    assert "/health/" in patient.body and "/consent/" in patient.body
    assert "aspirin or a blood thinner" not in patient.body


def test_a_consultation_request_lists_nothing_to_do(client, now, commit_and_send):
    with commit_and_send():
        client.post("/book/", VALID_BOOKING_POST)

    assert "Answer the health questions" not in client.get("/book/done/").content.decode()
    assert all("health questions" not in m.body for m in mail.outbox)
