"""
Follow-ups after a completed appointment, and the patient's way to stop them.

The rule (also in `manage.py run_jobs --help`):

- A follow-up (FollowUp: per service, data like the reminders) is due at its number of
  days after the appointment day, at its time, clinic time. It goes to bookings of its
  service that were marked completed, from that moment until LATE_LIMIT after it (a
  check-in weeks late is noise).
- Never twice for one booking: the outbox's unique key (booking, follow-up), as for
  the reminders.
- Never to a patient who has stopped follow-ups (an HMAC of their email address in
  FollowUpOptOut), nor to an anonymised booking (the retention purge), nor when the
  patient already has a later booking, not cancelled, of the same service or of the
  service the follow-up invites them to book.
- Reminders about an appointment are not follow-ups: stopping follow-ups leaves them.

Stopping: every follow-up carries a signed link (and RFC 8058's List-Unsubscribe
headers). The link holds only the HMAC of the address, never the address. Its page
has one POST button; mail providers' one-click POST reaches the same view.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from booking.models import Booking, FollowUp, FollowUpOptOut, OutgoingEmail

logger = logging.getLogger(__name__)

Status = Booking.Status
LATE_LIMIT = timedelta(days=14)
STOP_SALT = "booking.followups.stop"


def email_digest(address: str) -> str:
    return salted_hmac(
        "booking.followups", address.strip().lower(), algorithm="sha256"
    ).hexdigest()


def stop_token(address: str) -> str:
    return signing.dumps(email_digest(address), salt=STOP_SALT, compress=False)


def digest_from_token(token: str) -> str | None:
    if len(token) > 200:
        return None
    try:
        digest = signing.loads(token, salt=STOP_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return digest if isinstance(digest, str) and len(digest) == 64 else None


def stop_url(booking: Booking) -> str:
    with translation.override(booking.language or settings.LANGUAGE_CODE):
        path = reverse("booking:stop_follow_ups", args=[stop_token(booking.email)])
    return settings.SITE_URL + path


def opt_out(digest: str) -> bool:
    """Record the opt-out; True if it is new. Idempotent: a second click changes nothing."""
    try:
        with transaction.atomic():
            FollowUpOptOut.objects.create(email_digest=digest)
    except IntegrityError:
        return False
    return True


def has_opted_out(booking: Booking) -> bool:
    return FollowUpOptOut.objects.filter(email_digest=email_digest(booking.email)).exists()


def _booked_again(booking: Booking, follow_up: FollowUp) -> bool:
    """
    Whether the patient has a later booking of the service or the one it invites to,
    not cancelled nor missed. The patient is their email, as the opt-out is: a phone
    a household shares would let another person's booking stop these.
    """
    services = {follow_up.service_id, follow_up.invite_to_id} - {None}
    return (
        Booking.objects.filter(email__iexact=booking.email, anonymised_at__isnull=True)
        .filter(service_id__in=services, start__gt=booking.start)
        .exclude(status__in=[Status.CANCELLED, Status.NO_SHOW])
        .exists()
    )


@dataclass(frozen=True)
class Due:
    booking: Booking
    follow_up: FollowUp


def due_follow_ups(now: datetime | None = None) -> list[Due]:
    """Follow-ups due at `now` and not yet in the outbox."""
    now = now or timezone.now()
    follow_ups = list(FollowUp.objects.filter(is_active=True).select_related("service"))
    if not follow_ups:
        return []
    longest = max(f.days_after for f in follow_ups)
    shortest = min(f.days_after for f in follow_ups)
    bookings = list(
        Booking.objects.filter(
            status=Status.COMPLETED,
            anonymised_at__isnull=True,
            service_id__in={f.service_id for f in follow_ups},
            start__gte=now - timedelta(days=longest + LATE_LIMIT.days + 2),
            start__lte=now - timedelta(days=shortest - 2),
        ).select_related("service")
    )
    if not bookings:
        return []
    already = set(
        OutgoingEmail.objects.filter(booking__in=bookings, follow_up__isnull=False).values_list(
            "booking_id", "follow_up_id"
        )
    )
    opted_out = set(
        FollowUpOptOut.objects.filter(
            email_digest__in={email_digest(b.email) for b in bookings}
        ).values_list("email_digest", flat=True)
    )
    found = []
    for booking in bookings:
        if email_digest(booking.email) in opted_out:
            continue
        for follow_up in follow_ups:
            if follow_up.service_id != booking.service_id:
                continue
            if (booking.pk, follow_up.pk) in already:
                continue
            moment = follow_up.due_at(booking.start)
            if not moment <= now < moment + LATE_LIMIT:
                continue
            if _booked_again(booking, follow_up):
                continue
            found.append(Due(booking, follow_up))
    return found


def queue_due(now: datetime | None = None) -> int:
    """Queue every due follow-up once; returns how many this call queued."""
    from booking import emails

    now = now or timezone.now()
    queued = 0
    for item in due_follow_ups(now):
        try:
            with transaction.atomic():
                emails.queue_follow_up(item.booking, item.follow_up, now=now)
        except IntegrityError:
            continue  # another run_jobs queued it a moment ago
        except Exception:  # noqa: BLE001 - one follow-up that cannot be rendered must not hold back the rest
            logger.exception(
                "follow-up failed booking=%s follow_up=%s",
                item.booking.reference,
                item.follow_up.pk,
            )
            continue
        queued += 1
        logger.info(
            "follow-up queued booking=%s follow_up=%s", item.booking.reference, item.follow_up.pk
        )
    return queued


@dataclass(frozen=True)
class State:
    follow_up: FollowUp
    due_at: datetime
    sent: OutgoingEmail | None
    reason: str  # why it will not go, for the desk; "" when sent or still to come


def states(booking: Booking, now: datetime | None = None) -> list[State]:
    """For the desk: each of the service's follow-ups, sent, due, or why not."""
    now = now or timezone.now()
    sent = {email.follow_up_id: email for email in booking.emails.filter(follow_up__isnull=False)}
    opted_out = has_opted_out(booking)
    result = []
    for follow_up in FollowUp.objects.filter(service=booking.service_id, is_active=True):
        moment = follow_up.due_at(booking.start)
        reason = ""
        if follow_up.pk not in sent:
            if booking.anonymised_at is not None:
                reason = "booking anonymised"
            elif opted_out:
                reason = "the patient stopped follow-ups"
            elif booking.status != Status.COMPLETED:
                reason = "only after a completed appointment"
            elif _booked_again(booking, follow_up):
                reason = "the patient has booked again"
            elif now >= moment + LATE_LIMIT:
                reason = "its moment has passed"
        result.append(State(follow_up, moment, sent.get(follow_up.pk), reason))
    return result
