"""
The outbox: how every email of the site leaves.

queue() renders a message from three templates (templates/emails/<name>_subject.txt,
<name>.txt and <name>.html) and writes it as an OutgoingEmail row in the caller's
transaction, so the message exists exactly when the change that caused it does.
`manage.py run_jobs` (the worker) sends it: a patient's request never talks to
the mail server, so a slow or silent one cannot hold it (each delivery has an
overall deadline, booking.smtp). If the mail server does not answer, the row is
marked failed and retried with a growing pause, until settings.MAIL_MAX_ATTEMPTS
attempts have failed and it gives up (status "gave up", visible in the admin).
Only with settings.MAIL_SEND_AFTER_COMMIT (a local run printing mail to its
console, which waits on nothing) is a message also sent right after commit.
Sending never raises into a request and never undoes the booking.

Two workers never send one row twice: a worker sends only a row it has claimed
with a conditional UPDATE (see _claim). Delivery is at-least-once, not
exactly-once: a worker that dies after the mail server accepted a message but
before the row says "sent" sends it again on the next run. For a reminder a
rare duplicate is better than a lost one. Every attempt at one row carries the
same Message-ID, so a mail client can tell such a repeat for what it is.
"""

import email.policy
import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage, MIMEPart

import dkim
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils import timezone

from booking.models import Booking, OutgoingEmail, Reminder

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status

# After the first failure wait 1 minute, then 2, 4, 8… but never more than
# 6 hours: a mail server that is down for a weekend still gets tried a few times
# a day instead of once every few days.
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
# How long a claimed row is left alone by other workers, counted from the claim
# (see _claim). Longer than any SMTP timeout (settings: 10 s), so a slow send is
# never picked up twice; short enough that a row whose worker died is retried soon.
LEASE = timedelta(minutes=5)
# A run sends at most this many messages, so one run_jobs never blocks for long.
BATCH_SIZE = 200

_EMAIL_ADDRESS = re.compile(r"[^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+")
_LINE_BREAKS = re.compile(r"[\r\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_METHOD = re.compile(r"^METHOD:(\w+)\s*$", re.MULTILINE)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0

    def add(self, outcome: str | None) -> None:
        if outcome == Status.SENT:
            self.sent += 1
        elif outcome == Status.FAILED:
            self.failed += 1
        elif outcome == Status.GAVE_UP:
            self.gave_up += 1


# --- Writing messages -----------------------------------------------------------


def reply_address() -> str:
    """
    Where answers to our mail really arrive: the clinic's mailbox that reception
    reads. Reply-To of every message and ORGANIZER of every invitation (so an
    Accept/Decline from a calendar program lands there too); the sending address
    (DEFAULT_FROM_EMAIL) is not read by anyone.
    """
    return settings.CLINIC["email"]


def clean_subject(text: str) -> str:
    """One line, no CR/LF (header injection), at most the column's 200 characters."""
    return " ".join(_LINE_BREAKS.sub(" ", text).split())[:200]


def _render_text(name: str, context: dict) -> str:
    # Plain text must not be HTML-escaped ("O'Brien", "Q&A"): render with
    # autoescape off, in this one place, so no template has to remember it.
    template = engines["django"].engine.get_template(name)
    return template.render(Context(context, autoescape=False))


def _tidy(text: str) -> str:
    # Template tags leave blank lines and trailing spaces; plain text shows them.
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)) + "\n"


def render(template: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of emails/<template>, with the clinic's details in context."""
    context = {"clinic": settings.CLINIC, "site_url": settings.SITE_URL, **context}
    subject = clean_subject(_render_text(f"emails/{template}_subject.txt", context))
    text = _tidy(_render_text(f"emails/{template}.txt", context))
    html = render_to_string(f"emails/{template}.html", context)
    return subject, text, html


def queue(
    *,
    to: str,
    kind: str,
    template: str,
    context: dict,
    booking: Booking | None = None,
    ics: str = "",
    preparation_ics: str = "",
    reminder: Reminder | None = None,
    appointment_start: datetime | None = None,
    follow_up=None,
    unsubscribe_url: str = "",
    now: datetime | None = None,
    send_on_commit: bool = True,
) -> OutgoingEmail:
    """
    Write one message to the outbox in the current transaction, for run_jobs to send.

    With settings.MAIL_SEND_AFTER_COMMIT (local runs only) it is also sent right
    after commit, unless `send_on_commit=False` (run_jobs queues reminders and
    sends them itself, so that its summary counts them).
    """
    subject, body_text, body_html = render(template, context)
    email = OutgoingEmail.objects.create(
        booking=booking,
        kind=kind,
        reminder=reminder,
        appointment_start=appointment_start,
        follow_up=follow_up,
        unsubscribe_url=unsubscribe_url,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        ics=ics,
        preparation_ics=preparation_ics,
        next_attempt_at=now or timezone.now(),
    )
    if send_on_commit and settings.MAIL_SEND_AFTER_COMMIT:
        # robust: whatever happens while sending, the patient's request has
        # already been committed and must not turn into an error page.
        transaction.on_commit(lambda: send(email.pk), robust=True)
    return email


# --- Sending --------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """The pause after the `attempts`-th failed attempt: 1, 2, 4, 8… minutes, capped."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def _claim(pk: int, now: datetime) -> bool:
    """
    Take the row for this worker, or learn that it is not ours to send.

    `now` says what is due (a run compares every row with the moment it
    started, or with run_jobs --now); the lease is counted from the moment of
    the claim itself. A lease counted from the start of a run that has been
    sending for longer than LEASE (a slow mail server, a long batch) would
    already have expired, and a second worker would send the row again.

    One conditional UPDATE: the database lets only one worker match the WHERE
    (on PostgreSQL the second waits for the first and then re-reads the row,
    seeing the new next_attempt_at; SQLite writes one at a time), so this works
    on both without SELECT … FOR UPDATE. The attempt is counted here, before
    sending, so a message that kills its worker still runs out of attempts.
    """
    # max(): a run whose clock is ahead of the real one (run_jobs --now to catch
    # up) must lease past its own clock too, or it would not protect the row
    # from a second run with the same --now.
    leased_until = max(now, timezone.now()) + LEASE
    claimed = (
        OutgoingEmail.objects.pending()
        .filter(pk=pk, next_attempt_at__lte=now)
        .update(next_attempt_at=leased_until, attempts=F("attempts") + 1)
    )
    return claimed == 1


class ClinicMessage(EmailMultiAlternatives):
    """
    EmailMultiAlternatives with the invitation where mail clients look for it and,
    when configured, a DKIM signature over the finished message.

    An invitation is a `text/calendar; method=…` part inside the
    multipart/alternative beside the text and HTML (RFC 6047, CalConnect's iMIP
    guide): that is the part Outlook, Gmail and Apple Mail turn into a meeting
    request. The same file is attached as application/ics for clients that only
    offer attachments; a different media type, so no client acts on it twice.
    """

    def __init__(self, *args, calendar_method: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar_method = calendar_method

    def message(self, *, policy=email.policy.default) -> EmailMessage:
        if "List-Unsubscribe" in self.extra_headers:
            # Python folds a header at 78 characters, and a URL longer than that has no
            # space to fold at: it would go out as RFC 2047 encoded words, which mail
            # providers do not read as a link. RFC 5322 allows lines of 998.
            policy = policy.clone(max_line_length=998)
        msg = super().message(policy=policy)
        if self.calendar_method:
            for part in msg.walk():
                if part.get_content_type() == "text/calendar" and not part.is_attachment():
                    part.set_param("method", self.calendar_method)
        if settings.DKIM_SELECTOR:
            _sign(msg)
        return msg


# The headers a DKIM signature covers: those a reader sees and trusts.
DKIM_HEADERS = [
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"reply-to",
    b"mime-version",
    b"content-type",
    # RFC 8058: a one-click unsubscribe is honoured only if the signature covers both.
    b"list-unsubscribe",
    b"list-unsubscribe-post",
]


def _sign(msg: EmailMessage) -> None:
    # Signed over the bytes the SMTP backend sends (policy SMTP: CRLF line ends);
    # relaxed canonicalisation survives relays that refold headers.
    # The message's own policy (its line length), with SMTP's line ends.
    data = msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))
    signature = dkim.sign(
        data,
        selector=settings.DKIM_SELECTOR.encode(),
        domain=settings.DKIM_DOMAIN.encode(),
        privkey=settings.DKIM_PRIVATE_KEY,
        include_headers=DKIM_HEADERS,
        canonicalize=(b"relaxed", b"relaxed"),
    )
    name, value = signature.decode().split(":", 1)
    msg[name] = " ".join(value.split())


def message_id(email: OutgoingEmail) -> str:
    """
    <outbox-42.20261201170000@viningssurgery.example>: in the clinic's mail domain
    (never the machine's name), and the same on every attempt, so a retry after a
    worker died mid-send is recognisably the same message.
    """
    created = email.created_at or timezone.now()
    return f"<outbox-{email.pk}.{created:%Y%m%d%H%M%S}@{settings.MAIL_DOMAIN}>"


def build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The Django message for an outbox row: text, HTML and invitation, files attached."""
    method = calendar_method(email.ics) if email.ics else ""
    message = ClinicMessage(
        subject=clean_subject(email.subject),
        body=email.body_text,
        to=[email.to],
        # Replies reach reception, not the unattended sending address.
        reply_to=[reply_address()],
        headers={
            # Asks auto-responders not to answer (RFC 3834).
            "Auto-Submitted": "auto-generated",
            "Message-ID": message_id(email),
            # A follow-up's one-click "stop these" (RFC 2369, RFC 8058).
            **(
                {
                    "List-Unsubscribe": f"<{email.unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                }
                if email.unsubscribe_url
                else {}
            ),
        },
        calendar_method=method,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.ics:
        message.attach_alternative(email.ics, "text/calendar")
        filename = "cancel.ics" if method == "CANCEL" else "appointment.ics"
        message.attach(filename, email.ics.encode(), "application/ics")
    if email.preparation_ics:
        message.attach(_calendar_part(email.preparation_ics, "preparation.ics"))
    return message


def calendar_method(ics: str) -> str:
    found = _METHOD.search(ics)
    return found.group(1) if found else "PUBLISH"


def _calendar_part(ics: str, filename: str) -> MIMEPart:
    # The METHOD parameter on the Content-Type tells mail clients what the file
    # is for; PUBLISH: entries to add, no meeting anyone is invited to.
    part = MIMEPart()
    part.set_content(
        ics,
        subtype="calendar",
        charset="utf-8",
        params={"method": calendar_method(ics)},
        disposition="attachment",
        filename=filename,
    )
    return part


def describe_error(error: BaseException, email: OutgoingEmail | None = None) -> str:
    """'SMTPRecipientsRefused: …' for last_error: short, without email addresses."""
    text = f"{type(error).__name__}: {error}"
    if email is not None and email.to:
        text = text.replace(email.to, "<address>")
    text = _EMAIL_ADDRESS.sub("<address>", text)
    return " ".join(text.split())[:300]


# Refusals that concern one message only; any other failure (no connection, a
# silent or dropped server, the delivery's deadline) means the server itself is
# not taking mail now.
MESSAGE_REFUSALS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)


@dataclass
class Attempt:
    status: str | None = None
    # The mail server is not taking mail: the rest of the run would meet the
    # same, so it waits for the next run.
    stop_run: bool = False


def send(pk: int, *, now: datetime | None = None) -> str | None:
    """
    Send one outbox row if it is due and this worker wins it.

    Returns the row's new status, or None when there was nothing to do (already
    sent, not due yet, or another worker has it). Never raises.
    """
    return _attempt(pk, now or timezone.now()).status


def _attempt(pk: int, now: datetime) -> Attempt:
    try:
        return _send(pk, now)
    except DatabaseError:
        # The row keeps its lease (if it was claimed) and is tried again when it
        # runs out. A connection the database dropped (a restart,
        # pg_terminate_backend) stays broken: close it, so the next row opens a
        # fresh one instead of every other row of the run failing the same way.
        logger.exception("outbox send failed email=%s; database error", pk)
        if not connection.in_atomic_block:
            connection.close()
        return Attempt()
    except Exception:  # noqa: BLE001 - called once per row of a run: one bad row must not reach the other rows
        # The row keeps its lease and is tried again when it runs out. If the
        # server had already accepted the message, that is the rare duplicate
        # the module docstring accepts.
        logger.exception("outbox send failed email=%s", pk)
        return Attempt()


def _send(pk: int, now: datetime) -> Attempt:
    if not _claim(pk, now):
        return Attempt()
    email = OutgoingEmail.objects.select_related("booking").get(pk=pk)
    reference = email.booking.reference if email.booking else "-"
    try:
        build_message(email).send()
    except Exception as error:  # noqa: BLE001 - any failure (network, TLS, auth, bad address, deadline) means "try later"
        gave_up = email.attempts >= settings.MAIL_MAX_ATTEMPTS
        status = Status.GAVE_UP if gave_up else Status.FAILED
        OutgoingEmail.objects.filter(pk=pk).update(
            status=status,
            last_error=describe_error(error, email),
            # From the real clock too: a delivery that ran into its deadline
            # must not be due again the moment it gave up.
            next_attempt_at=max(now, timezone.now()) + backoff(email.attempts),
        )
        log = logger.error if gave_up else logger.warning
        log(
            "email %s email=%s booking=%s kind=%s attempts=%s error=%s",
            "gave up" if gave_up else "failed",
            pk,
            reference,
            email.kind,
            email.attempts,
            type(error).__name__,
        )
        server_down = isinstance(error, OSError) and not isinstance(error, MESSAGE_REFUSALS)
        return Attempt(status, stop_run=server_down)
    OutgoingEmail.objects.filter(pk=pk).update(status=Status.SENT, sent_at=now, last_error="")
    logger.info("email sent email=%s booking=%s kind=%s", pk, reference, email.kind)
    return Attempt(Status.SENT)


def due(now: datetime | None = None):
    """Rows waiting to be sent or retried whose time has come, oldest first."""
    return (
        OutgoingEmail.objects.pending()
        .filter(next_attempt_at__lte=now or timezone.now())
        .order_by("next_attempt_at", "pk")
    )


def send_due(now: datetime | None = None, *, limit: int = BATCH_SIZE) -> SendReport:
    """Send queued mail and retry failed mail whose next attempt has come."""
    now = now or timezone.now()
    report = SendReport()
    for pk in list(due(now).values_list("pk", flat=True)[:limit]):
        attempt = _attempt(pk, now)
        report.add(attempt.status)
        if attempt.stop_run:
            # The rest would each wait for the same dead server, up to the
            # deadline apiece: they stay due, untouched, for the next run.
            logger.warning("mail server not taking mail; the rest wait for the next run")
            break
    return report


def retry_now(emails) -> int:
    """For staff: send failed or given-up messages again at the next run, with fresh attempts."""
    return emails.filter(status__in=[Status.FAILED, Status.GAVE_UP]).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
