"""
The waitlist's rules: joining and leaving, which freed time is offered to whom and
when, and claiming an offer.

A freed time is found, whatever freed it, by comparing each service's free places
with those of the previous scan (FreeTimes): a cancellation, a booking moved away
or deleted by the desk, opening hours widened, a closure deleted, a capacity
raised. No step of the booking app has to remember to tell the waitlist. The
scan runs in `run_jobs`, under a lock on the service's FreeTimes row, so two
workers never offer the same time twice; the first scan of a service only
records what is free.

A freed time is offered to the active entries it suits (service, days, part of
the day; for a treatment after a consultation, patients who have had one), in the
order they joined: BookingPolicy.waitlist_batch_size of them at once, the next
batch waitlist_batch_minutes later if the time is still free. Each entry is
offered each time at most once (Offer's unique key); the offers due to one patient
in one run go in one email, the soonest TIMES_PER_EMAIL of them. An offer closes
after waitlist_offer_hours, or when the time no longer meets the minimum notice.

Claiming is a POST through booking.workflow.request, under the booking lock,
with the same rules as any booking: the first claim gets the time; a later one
is told it has just been taken, and its entry stays on the list. An entry ends
when the patient books the service by any route, leaves, is removed by the desk,
or after its latest day.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext

from booking import availability, outbox, workflow
from booking.availability import Rules, SlotUnavailable
from booking.models import Booking, BookingPolicy, OutgoingEmail, Service
from clinic import clock
from waitlist import links
from waitlist.models import Entry, FreeTimes, Offer

logger = logging.getLogger(__name__)

Kind = OutgoingEmail.Kind
EndReason = Entry.EndReason


# --- Joining and leaving -----------------------------------------------------------


def join(*, now: datetime | None = None, **fields) -> tuple[Entry, bool]:
    """
    Put a patient on the waitlist and email them their link; (entry, True).

    An address already waiting for the service keeps its entry, unchanged, and is
    emailed its link again: (entry, False). The page says the same either way, so
    it never tells a visitor who else is on the list.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                created_at=now,
                consent_at=now,
                consent_version=BookingPolicy.current().consent_version,
                **fields,
            )
            _email(entry, Kind.WAITLIST_JOINED, "waitlist_joined", now=now)
            return entry, True
    except IntegrityError:
        entry = Entry.objects.active().get(email=fields["email"], service=fields["service"])
        with transaction.atomic():
            _email(entry, Kind.WAITLIST_JOINED, "waitlist_joined", now=now, again=True)
        return entry, False


def end(entry: Entry, reason: str, *, now: datetime | None = None) -> bool:
    """End an entry (locked and read afresh) and close its open offers; False if it had ended."""
    now = now or timezone.now()
    with transaction.atomic():
        current = Entry.objects.select_for_update().get(pk=entry.pk)
        if current.ended_at is not None:
            entry.refresh_from_db()
            return False
        current.ended_at, current.end_reason = now, reason
        current.save(update_fields=["ended_at", "end_reason"])
        current.offers.filter(status__in=Offer.OPEN).update(
            status=Offer.Status.WITHDRAWN, updated_at=now
        )
    entry.refresh_from_db()
    return True


def end_finished(now: datetime) -> int:
    """End the entries whose latest day has passed, and those of patients who have booked."""
    today = clock.today(now)
    ended = 0
    for entry in Entry.objects.active().filter(latest__lt=today):
        ended += end(entry, EndReason.LAST_DAY, now=now)
    active = list(Entry.objects.active())
    if not active:
        return ended
    booked = defaultdict(list)
    rows = (
        Booking.objects.annotate(address=Lower("email"))
        .filter(
            address__in={entry.email for entry in active},
            service_id__in={entry.service_id for entry in active},
            created_at__gte=min(entry.created_at for entry in active),
        )
        .exclude(status=Booking.Status.CANCELLED)
        .values_list("address", "service_id", "created_at")
    )
    for address, service_id, created_at in rows:
        booked[address, service_id].append(created_at)
    for entry in active:
        if any(made >= entry.created_at for made in booked[entry.email, entry.service_id]):
            ended += end(entry, EndReason.BOOKED, now=now)
    return ended


# --- Finding freed times and offering them ------------------------------------------


def _key(start: datetime) -> str:
    """A time as FreeTimes keeps it: ISO 8601 in UTC, whatever zone it was read in."""
    return start.astimezone(UTC).isoformat()


def _free_places(rules: Rules, service: Service) -> dict[str, int]:
    return {
        _key(slot.start): slot.places_left
        for slots in availability.free_slots_by_day(rules, service).values()
        for slot in slots
    }


def scan(now: datetime | None = None) -> int:
    """
    One pass of the waitlist (run_jobs): end finished entries, find freed times and
    schedule their offers, then send the offers whose batch has come. Returns how
    many offer emails went (one per patient, listing their times).
    """
    now = now or timezone.now()
    end_finished(now)
    rules = Rules.load(now=now)
    free: dict[int, dict[str, int]] = {}
    for service in Service.objects.bookable():
        free[service.pk] = places = _free_places(rules, service)
        with transaction.atomic():
            state = FreeTimes.objects.select_for_update().filter(service=service).first()
            if state is None:
                try:
                    with transaction.atomic():
                        FreeTimes.objects.create(service=service, places=places, scanned_at=now)
                except IntegrityError:
                    pass  # another worker's first scan
                continue
            freed = [
                datetime.fromisoformat(start)
                for start, left in places.items()
                if left > state.places.get(start, 0)
            ]
            if freed:
                _schedule(service, freed, rules, now)
            if places != state.places:
                state.places, state.scanned_at = places, now
                state.save(update_fields=["places", "scanned_at"])
    return _send_due(rules, free, now)


def _schedule(service: Service, freed: list[datetime], rules: Rules, now: datetime) -> None:
    """An offer for each entry each freed time suits, batched in the order they joined."""
    days = [clock.today(start) for start in freed]
    entries = list(
        Entry.objects.active()
        .filter(service=service, earliest__lte=max(days), latest__gte=min(days))
        .order_by("created_at", "pk")
    )
    if not entries:
        return
    already = set(
        Offer.objects.filter(entry__in=entries, start__in=freed).values_list("entry_id", "start")
    )
    size = rules.policy.waitlist_batch_size
    spacing = timedelta(minutes=rules.policy.waitlist_batch_minutes)
    for start in sorted(freed):
        waiting = [
            entry
            for entry in entries
            if entry.suits(start)
            and (entry.pk, start) not in already
            # A treatment after a consultation: never offer a time the patient cannot book.
            and availability.has_consultation_before(service, start, entry.email)
        ]
        for position, entry in enumerate(waiting):
            Offer.objects.create(
                entry=entry, start=start, send_at=now + (position // size) * spacing
            )
        if waiting:
            logger.info(
                "waitlist time freed service=%s start=%s waiting=%s",
                service.slug,
                start.isoformat(),
                len(waiting),
            )


# Many times freed at once (hours widened, a closure removed): one email lists the
# soonest few that suit the patient, not a pile of emails nor a list of twenty.
TIMES_PER_EMAIL = 3


def closes_at(rules: Rules, start: datetime, offered_at: datetime) -> datetime:
    """When an offer made at `offered_at` closes: its hours, or the minimum notice."""
    return min(
        offered_at + timedelta(hours=rules.policy.waitlist_offer_hours),
        start - timedelta(hours=rules.policy.min_notice_hours),
    )


def _send_due(rules: Rules, free: dict[int, dict[str, int]], now: datetime) -> int:
    Offer.objects.filter(status=Offer.Status.OFFERED, expires_at__lte=now).update(
        status=Offer.Status.EXPIRED, updated_at=now
    )
    # Offered, then booked by someone else (or closed since): the page says so.
    for offer in Offer.objects.filter(status=Offer.Status.OFFERED).select_related("entry"):
        if _key(offer.start) not in free.get(offer.entry.service_id, {}):
            Offer.objects.filter(pk=offer.pk, status=Offer.Status.OFFERED).update(
                status=Offer.Status.TAKEN, updated_at=now
            )
    sent = 0
    due = (
        Offer.objects.filter(status=Offer.Status.SCHEDULED, send_at__lte=now)
        .order_by("send_at", "pk")
        .values_list("entry_id", flat=True)
    )
    for entry_id in dict.fromkeys(due):  # in the order their batches came, each once
        sent += _send_to(entry_id, rules, free, now)
    return sent


def _send_to(entry_id: int, rules: Rules, free: dict[int, dict[str, int]], now: datetime) -> int:
    """
    One email to one patient with their offers now due: the soonest TIMES_PER_EMAIL
    still free (the page links to all free times); the others are not sent. 1 if sent.
    """
    with transaction.atomic():
        due = list(
            Offer.objects.select_for_update(of=("self",))
            .select_related("entry__service")
            .filter(entry_id=entry_id, status=Offer.Status.SCHEDULED, send_at__lte=now)
            .order_by("start")
        )
        if not due:
            return 0  # another worker has sent them
        entry = due[0].entry
        still_free = free.get(entry.service_id, {}) if entry.is_active else {}
        going = [offer for offer in due if _key(offer.start) in still_free][:TIMES_PER_EMAIL]
        for offer in due:
            if offer in going:
                offer.status, offer.offered_at = Offer.Status.OFFERED, now
                offer.expires_at = closes_at(rules, offer.start, now)
            else:
                offer.status = Offer.Status.WITHDRAWN
            offer.save(update_fields=["status", "offered_at", "expires_at", "updated_at"])
        if not going:
            return 0
        _email(entry, Kind.WAITLIST_OFFER, "waitlist_offer", now=now, offers=going)
    logger.info("waitlist offer sent entry=%s times=%s", entry.pk, len(going))
    return 1


# --- Claiming an offer ---------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    booking: Booking | None
    problem: str = ""  # for the patient, when there is no booking


def claim(offer: Offer, *, now: datetime | None = None) -> Claim:
    """
    Book the offered time for the entry's patient, under the booking lock, through
    the same step as every patient's request. A time taken a moment ago closes the
    offer (the entry stays on the list); a claim that worked ends the entry.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The rules' lock first, as every booking step takes it (booking.workflow).
        policy = BookingPolicy.objects.locked()
        current = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("entry__service")
            .get(pk=offer.pk)
        )
        entry = current.entry
        if current.status == Offer.Status.CLAIMED:
            return Claim(current.booking)
        if not current.is_open(now):
            return Claim(None, offer_closed(current, now))
        try:
            with transaction.atomic():
                booking = workflow.request(
                    entry.service,
                    current.start,
                    consent_version=policy.consent_version,
                    now=now,
                    name=entry.name,
                    email=entry.email,
                    phone=entry.phone,
                    language=entry.language,
                )
        except SlotUnavailable as error:
            gone = error.code in ("taken", "day", "not_a_time")
            current.status = Offer.Status.TAKEN if gone else Offer.Status.EXPIRED
            current.save(update_fields=["status", "updated_at"])
            logger.info("waitlist offer refused offer=%s code=%s", current.pk, error.code)
            return Claim(None, _refusal_for_patient(error))
        current.status, current.booking = Offer.Status.CLAIMED, booking
        current.save(update_fields=["status", "booking", "updated_at"])
        end(entry, EndReason.BOOKED, now=now)
    logger.info("waitlist offer claimed offer=%s booking=%s", current.pk, booking.reference)
    offer.refresh_from_db()
    return Claim(booking)


def _refusal_for_patient(error: SlotUnavailable) -> str:
    if error.code == "taken":
        return taken_message()
    return str(error)


def taken_message() -> str:
    return gettext(
        "Sorry, someone else booked this time a moment before you. You are still on the "
        "waitlist: we will email you when another time frees up."
    )


def offer_closed(offer: Offer, now: datetime) -> str:
    """Why an offer can no longer be booked, for the patient."""
    if not offer.entry.is_active:
        return gettext("You are no longer on the waitlist, so this offer has closed.")
    if offer.status == Offer.Status.TAKEN:
        return taken_message()
    return gettext(
        "This offer has closed. You are still on the waitlist: we will email you when "
        "another time frees up."
    )


# --- Emails ------------------------------------------------------------------------------


def email_context(entry: Entry, offers: list[Offer] = (), **extra) -> dict:
    """What the waitlist's emails say, in the active language (never a health detail).
    With `offers` (soonest first): each time and its link, and when the first closes."""
    context = {
        "entry": entry,
        "service": entry.service.name,
        "days": entry.days(),
        "parts": entry.parts_of_day(),
        "entry_url": links.entry_url(entry),
        **extra,
    }
    if offers:
        times = [
            {"when": clock.format_moment(offer.local_start), "url": links.offer_url(offer)}
            for offer in offers
        ]
        context.update(
            times=times,
            when=times[0]["when"],
            day=clock.format_day(offers[0].local_start.date()),
            offer_url=times[0]["url"],
            closes=clock.format_moment(min(offer.expires_at for offer in offers)),
        )
    return context


def _email(
    entry: Entry, kind: str, template: str, *, now: datetime, offers: list[Offer] = (), **extra
) -> OutgoingEmail:
    """One message to the patient, in the entry's language, through the outbox."""
    with translation.override(entry.language):
        return outbox.queue(
            to=entry.email,
            kind=kind,
            template=template,
            context=email_context(entry, offers, **extra),
            now=now,
            # run_jobs sends its offers itself, so that its summary counts them.
            send_on_commit=not offers,
        )


def waiting_for(entry: Entry, now: datetime) -> list[Offer]:
    """The entry's offers the patient can still book, soonest first."""
    return [
        offer
        for offer in entry.offers.filter(status=Offer.Status.OFFERED, expires_at__gt=now)
        if offer.is_open(now)
    ]
