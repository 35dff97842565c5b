"""
SMTP with an overall deadline per delivery: the mail backend of production.

Django's SMTP backend gives each socket operation a timeout (EMAIL_TIMEOUT), not
a delivery as a whole: a server that answers a line every few seconds (a greeting
of endless "220-" lines, a reply dribbled byte by byte) or stalls between
commands holds the sender for as long as it likes. Here every read and write
waits at most for what is left of the delivery's `deadline` (EMAIL_DEADLINE
seconds from the moment the connection is opened: connect, greeting, STARTTLS,
login, MAIL/RCPT/DATA and QUIT together; the outbox opens one connection per
message); past it the delivery fails with DeadlinePassed, the connection is
closed, and the outbox retries the message later.

The deadline is shorter than the outbox's lease (booking.outbox.LEASE, checked in
settings), so a delivery has given up, with its connection closed, before any
other worker may claim the same message again.
"""

import io
import smtplib
import time

from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend


class DeadlinePassed(smtplib.SMTPServerDisconnected):
    """The mail server did not finish the delivery in time (the connection is dropped)."""


class _DeadlineReader(io.RawIOBase):
    """The server's replies, each read waiting at most for what is left of the deadline."""

    def __init__(self, smtp: "_DeadlineMixin"):
        self.smtp = smtp

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.smtp._arm()
        try:
            return self.smtp.sock.recv_into(buffer)
        except TimeoutError as error:
            self.smtp._raise_if_late(error)
            raise


class _DeadlineMixin:
    """For smtplib.SMTP and SMTP_SSL: bound every socket operation by `deadline_at`."""

    deadline_at: float
    deadline: float

    def _remaining(self) -> float:
        return self.deadline_at - time.monotonic()

    def _raise_if_late(self, cause: BaseException | None = None) -> None:
        if self._remaining() <= 0:
            raise DeadlinePassed(
                f"the mail server did not finish within {self.deadline:g} s"
            ) from cause

    def _bounded(self, timeout) -> float:
        self._raise_if_late()
        remaining = self._remaining()
        if isinstance(timeout, int | float):
            return min(timeout, remaining)
        return remaining

    def _arm(self) -> None:
        self.sock.settimeout(self._bounded(self.timeout))

    def _get_socket(self, host, port, timeout):
        return super()._get_socket(host, port, self._bounded(timeout))

    def send(self, s) -> None:
        if self.sock:
            # sendall() counts its timeout for the whole call (Python 3.5+).
            self._arm()
        super().send(s)

    def getreply(self):
        if self.file is None and self.sock:
            # smtplib reads replies line by line from self.file (again after
            # STARTTLS, which resets it): give it one whose every read is bounded.
            self.file = io.BufferedReader(_DeadlineReader(self))
        return super().getreply()

    def starttls(self, *args, **kwargs):
        # The TLS handshake reads and writes the socket with its current timeout.
        self._arm()
        return super().starttls(*args, **kwargs)


class DeadlineSMTP(_DeadlineMixin, smtplib.SMTP):
    def __init__(self, *args, deadline: float, **kwargs):
        # Set before smtplib.SMTP.__init__, which connects and reads the greeting.
        self.deadline = deadline
        self.deadline_at = time.monotonic() + deadline
        super().__init__(*args, **kwargs)


class DeadlineSMTP_SSL(_DeadlineMixin, smtplib.SMTP_SSL):  # noqa: N801 - as smtplib names it
    def __init__(self, *args, deadline: float, **kwargs):
        self.deadline = deadline
        self.deadline_at = time.monotonic() + deadline
        super().__init__(*args, **kwargs)


class EmailBackend(DjangoSMTPBackend):
    """Django's SMTP backend with OPTIONS["deadline"]: seconds for a whole delivery."""

    def __init__(self, *args, deadline: float = 30, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    @property
    def connection_class(self):
        base = DeadlineSMTP_SSL if self.use_ssl else DeadlineSMTP
        deadline = self.deadline

        def connect(*args, **kwargs):
            return base(*args, deadline=deadline, **kwargs)

        return connect
