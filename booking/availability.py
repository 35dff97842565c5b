"""
Which times a patient may book, and taking one of them safely.

The rules (all data, edited by managers): opening hours per weekday, the slot
interval, how many patients a slot holds, closure days, the minimum notice and
the booking horizon. Times are built on the clinic's calendar in its own zone, so
09:00 stays 09:00 across daylight-saving changes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from booking.clock import clinic_zone, format_day, format_time
from booking.models import Booking, BookingPolicy, Closure, OpeningHours, Service


class SlotUnavailable(Exception):
    """The chosen time cannot be booked; the message is written for the patient."""


class SlotTaken(SlotUnavailable):
    """The time was free a moment ago and has just been taken by someone else."""


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, clinic zone
    end: datetime
    places_left: int

    @property
    def value(self) -> str:
        """The form value: HH:MM in clinic time."""
        return f"{self.start:%H:%M}"

    @property
    def label(self) -> str:
        return format_time(self.start)


def bookable_days(
    policy: BookingPolicy, now: datetime | None = None, service: Service | None = None
) -> tuple[date, date]:
    """
    The first and last day a patient may pick, in the clinic's calendar.

    A service whose instructions start before the appointment (no NSAIDs from three
    days before) can be booked only so far ahead that the first of those days is
    still to come tomorrow: nobody is told to have started yesterday.
    """
    now = (now or timezone.now()).astimezone(clinic_zone())
    first = (now + timedelta(hours=policy.min_notice_hours)).date()
    if service is not None and (days := service.preparation_days()):
        first = max(first, now.date() + timedelta(days=days + 1))
    return first, now.date() + timedelta(days=policy.horizon_days)


def candidate_starts(
    service: Service, day: date, policy: BookingPolicy, hours: Iterable[OpeningHours]
) -> list[datetime]:
    """Every start time on `day` at which `service` fits inside the opening hours."""
    zone = clinic_zone()
    step = timedelta(minutes=policy.slot_minutes)
    starts = []
    for period in hours:
        if period.weekday != day.weekday():
            continue
        start = datetime.combine(day, period.opens, tzinfo=zone)
        closes = datetime.combine(day, period.closes, tzinfo=zone)
        while start + service.duration <= closes:
            starts.append(start)
            start += step
    return starts


def places_left(
    start: datetime, end: datetime, taken: list[tuple[datetime, datetime]], policy: BookingPolicy
) -> int:
    """Capacity minus the most bookings overlapping at any moment of [start, end)."""
    step = timedelta(minutes=policy.slot_minutes)
    busiest = 0
    moment = start
    while moment < end:
        slice_end = min(moment + step, end)
        busiest = max(busiest, sum(1 for s, e in taken if s < slice_end and e > moment))
        moment = slice_end
    return policy.capacity - busiest


def free_slots(
    service: Service,
    day: date,
    *,
    now: datetime | None = None,
    policy: BookingPolicy | None = None,
    exclude: Booking | None = None,
) -> list[Slot]:
    """
    The times on `day` at which `service` can still be booked.

    `exclude` leaves a booking out of the count (when its own patient moves it).
    Three queries whatever the number of slots or bookings.
    """
    policy = policy or BookingPolicy.current()
    now = now or timezone.now()
    first_day, last_day = bookable_days(policy, now, service)
    if not first_day <= day <= last_day or Closure.objects.filter(date=day).exists():
        return []
    starts = candidate_starts(service, day, policy, OpeningHours.objects.all())
    if not starts:
        return []
    earliest = now + timedelta(hours=policy.min_notice_hours)
    bookings = Booking.objects.holding_a_place().overlapping(
        starts[0], starts[-1] + service.duration
    )
    if exclude is not None:
        bookings = bookings.exclude(pk=exclude.pk)
    taken = list(bookings.values_list("start", "end"))
    slots = []
    for start in starts:
        if start < earliest:
            continue
        left = places_left(start, start + service.duration, taken, policy)
        if left > 0:
            slots.append(Slot(start=start, end=start + service.duration, places_left=left))
    return slots


def check_slot(
    service: Service,
    start: datetime,
    *,
    now: datetime | None = None,
    policy: BookingPolicy | None = None,
    exclude: Booking | None = None,
) -> Slot:
    """The slot starting at `start`, or SlotUnavailable saying why not, for the patient."""
    policy = policy or BookingPolicy.current()
    now = now or timezone.now()
    local = start.astimezone(clinic_zone())
    first_day, last_day = bookable_days(policy, now, service)
    if start < now:
        raise SlotUnavailable("That time has already passed. Please choose a later time.")
    if start < now + timedelta(hours=policy.min_notice_hours):
        raise SlotUnavailable(
            f"We need at least {policy.min_notice_hours} hours' notice. "
            "Please choose a later time, or call us."
        )
    if local.date() < first_day:
        raise SlotUnavailable(
            f"{service.name} needs {service.preparation_days()} days of preparation before "
            f"the day, so the earliest day you can book it is {format_day(first_day)}."
        )
    if local.date() > last_day:
        raise SlotUnavailable(
            f"We take bookings up to {policy.horizon_days} days ahead. Please choose an earlier day."
        )
    if Closure.objects.filter(date=local.date()).exists():
        raise SlotUnavailable("The clinic is closed that day. Please choose another day.")
    starts = candidate_starts(service, local.date(), policy, OpeningHours.objects.all())
    if local not in starts:
        raise SlotUnavailable(
            "That is not one of our appointment times. Please choose a time from the list."
        )
    for slot in free_slots(service, local.date(), now=now, policy=policy, exclude=exclude):
        if slot.start == local:
            return slot
    raise SlotTaken("Sorry, that time was just taken. Please choose another time.")


def reserve(
    service: Service, start: datetime, *, now: datetime | None = None, **fields
) -> Booking:
    """
    Create a booking for the slot at `start`, or raise SlotUnavailable.

    The booking rules row is locked for the check and the insert, so two patients
    asking for the last place at once are served one after the other and the
    second is told it was taken. Must run inside the caller's transaction, which
    also writes the emails the booking causes.
    """
    with transaction.atomic():
        policy = BookingPolicy.objects.select_for_update().get(pk=1)
        slot = check_slot(service, start, now=now, policy=policy)
        return Booking.objects.create(service=service, start=slot.start, end=slot.end, **fields)


def move(booking: Booking, start: datetime, *, now: datetime | None = None) -> Booking:
    """Move `booking` to the slot at `start` under the same lock and rules as reserve()."""
    with transaction.atomic():
        policy = BookingPolicy.objects.select_for_update().get(pk=1)
        slot = check_slot(booking.service, start, now=now, policy=policy, exclude=booking)
        booking.start, booking.end = slot.start, slot.end
        booking.sequence += 1
        booking.save(update_fields=["start", "end", "sequence", "updated_at"])
        return booking
