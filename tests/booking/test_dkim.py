"""DKIM signing by the site, checked as a receiving server would (dkimpy's verifier)."""

import base64
import shutil
import subprocess

import dkim
import pytest
from django.core import mail
from django.test import override_settings

from booking import outbox, workflow
from tests.conftest import make_booking

pytestmark = pytest.mark.django_db

SELECTOR = "vsc2026"
DOMAIN = "viningssurgery.example"


@pytest.fixture
def key_pair(tmp_path) -> tuple[bytes, bytes]:
    """A fresh 2048-bit RSA key made for this test: (private PEM, DNS record)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a DKIM key for this test")
    private = tmp_path / "dkim.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [openssl, "genrsa", "-out", str(private), "2048"], check=True, capture_output=True
    )
    public = subprocess.run(  # noqa: S603 - fixed arguments
        [openssl, "rsa", "-in", str(private), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    return private.read_bytes(), record


def dns_for(record: bytes):
    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        return record if name == f"{SELECTOR}._domainkey.{DOMAIN}.".encode() else None

    return lookup


@pytest.fixture
def signing(key_pair):
    private, _ = key_pair
    with override_settings(DKIM_SELECTOR=SELECTOR, DKIM_DOMAIN=DOMAIN, DKIM_PRIVATE_KEY=private):
        yield


def test_a_delivered_message_carries_a_valid_signature(
    treatment, now, signing, key_pair, smtp_mailer, server
):
    inbox = server()
    workflow.confirm(make_booking(service=treatment))
    outbox.send_due()  # as the worker does: requests only queue their mail

    (raw,) = inbox.raw
    assert b"DKIM-Signature:" in raw
    assert dkim.verify(raw, dnsfunc=dns_for(key_pair[1]))


def test_the_signature_covers_from_subject_and_message_id(treatment, now, signing):
    workflow.confirm(make_booking(service=treatment))
    outbox.send_due()  # as the worker does: requests only queue their mail

    signature = mail.outbox[0].message()["DKIM-Signature"]
    tags = dict(tag.strip().split("=", 1) for tag in signature.split(";") if "=" in tag)
    assert tags["d"] == DOMAIN
    assert tags["s"] == SELECTOR
    assert {"from", "subject", "message-id", "date"} <= {
        name.strip() for name in tags["h"].lower().split(":")
    }


def test_a_changed_message_fails_the_check(treatment, now, signing, key_pair, smtp_mailer, server):
    inbox = server()
    workflow.confirm(make_booking(service=treatment))
    outbox.send_due()  # as the worker does: requests only queue their mail

    tampered = inbox.raw[0].replace(b"Appointment confirmed", b"Appointment cancelled", 1)
    assert not dkim.verify(tampered, dnsfunc=dns_for(key_pair[1]))


def test_without_a_key_nothing_is_signed(treatment, now, django_capture_on_commit_callbacks):
    workflow.confirm(make_booking(service=treatment))
    outbox.send_due()  # as the worker does: requests only queue their mail

    assert "DKIM-Signature" not in mail.outbox[0].message()


def test_a_follow_up_is_signed_over_its_unsubscribe_headers_as_sent(
    treatment, signing, key_pair, smtp_mailer, server
):
    # RFC 8058: one-click unsubscribe counts only when DKIM covers both headers, and
    # the signature must hold for the bytes on the wire (long lines included).
    from booking import followups
    from booking.models import Booking
    from tests.booking.test_follow_ups import CHECK_IN

    inbox = server()
    make_booking(service=treatment, status=Booking.Status.COMPLETED)
    followups.queue_due(CHECK_IN)
    outbox.send_due(CHECK_IN)

    (raw,) = inbox.raw
    assert dkim.verify(raw, dnsfunc=dns_for(key_pair[1]))
    signature = raw.split(b"DKIM-Signature:", 1)[1].split(b"; b=", 1)[0]
    assert b"list-unsubscribe" in signature.lower()
    assert b"list-unsubscribe-post" in signature.lower()
