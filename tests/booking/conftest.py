"""
A real SMTP server on 127.0.0.1 for the tests that need one (aiosmtpd).

The test runner swaps every mailer for locmem; the `smtp_mailer` fixture puts the
SMTP backend back for one test (django.core.mail.mailers reads settings.MAILERS
each time it creates a connection, so no reload is needed).
"""

import asyncio
import contextlib
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from booking import outbox


@pytest.fixture(autouse=True)
def _english_between_tests():
    # The test client serves a request in the test's own thread, and a request to a
    # Spanish page leaves Spanish active there afterwards (LocaleMiddleware activates
    # a language per request and never resets it): each test starts in English.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


class Inbox:
    """An aiosmtpd handler that keeps every message it is given, `delay` seconds each."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []  # as received, for signatures over the exact bytes
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            # A slow server: the client waits for the reply to DATA.
            await asyncio.sleep(self.delay)
        self.raw.append(envelope.original_content or envelope.content)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        return [" ".join(message["Subject"].split()) for message in self.messages]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def smtp_mailer(port):
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    with override_settings(MAILERS=mailers):
        yield


@pytest.fixture
def server(port):
    """Starts the SMTP server when called; stops it at the end of the test."""
    controllers = []

    def start(inbox: Inbox | None = None) -> Inbox:
        inbox = inbox or Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def commit_and_send(django_capture_on_commit_callbacks):
    """
    `with commit_and_send():` commits at the end of the block (runs the on-commit
    callbacks), then sends the outbox as the worker (run_jobs) would: requests
    only queue mail.
    """

    @contextlib.contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        outbox.send_due()

    return block
