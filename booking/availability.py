"""
Which times a patient may book, why a day or a time cannot be had, and taking or
moving a time safely. The one place where the booking rules are applied.

The rules (all data, edited by managers): opening hours per weekday, the slot
interval, how many patients a slot holds, closure days and federal holidays, the
minimum notice and the booking horizon, and each service's preparation (a
treatment whose instructions start three days before can only be booked so far
ahead that they start tomorrow at the earliest). Times are built on the clinic's
wall clock, so 09:00 stays 09:00 across daylight-saving changes.

Rules.load() reads them once for a request; free_slots_by_day() answers the
picker for any range of days; day_refusal() and check_slot() say, in one set of
messages, why a day or a time cannot be booked; reserve() and move() check and
write under the booking lock. The desk's one power, skipping the minimum notice,
is the `skip_notice` argument: the stored rules are never changed for it.

The picker's free times are cached per version of the data they depend on
(bookings, hours, closures, rules, services); every change to those bumps the
version on commit (booking.signals). Checks made under the lock never use the
cache.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from booking.holidays import federal_holidays
from booking.models import Booking, BookingPolicy, Closure, OpeningHours, Service
from clinic import clock

logger = logging.getLogger(__name__)

VERSION_KEY = "booking:availability-version"
CACHE_SECONDS = 600
# Closures are loaded this far ahead whatever the horizon: enough for any check of
# an existing booking, which may lie beyond a horizon that was shortened since.
CLOSURES_AHEAD = timedelta(days=400)


class SlotUnavailable(Exception):
    """
    The chosen time cannot be booked. The message is written for the patient; `code`
    says why ("past", "notice", "day", "not_a_time", "taken"), so that the desk can
    word it for staff (booking/admin/forms.py).
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


class SlotTaken(SlotUnavailable):
    """The time was free a moment ago and has just been taken by someone else."""

    def __init__(self, message: str):
        super().__init__(message, "taken")


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
        return clock.format_time(self.start)


@dataclass(frozen=True)
class Rules:
    """The clinic's booking rules as one request or step sees them: loaded once."""

    policy: BookingPolicy
    now: datetime
    min_notice: timedelta
    hours: tuple[OpeningHours, ...]
    closed: dict[date, str] = field(default_factory=dict)
    closed_until: date | None = None

    @classmethod
    def load(
        cls,
        *,
        now: datetime | None = None,
        policy: BookingPolicy | None = None,
        skip_notice: bool = False,
    ) -> "Rules":
        """Three queries: the rules, the opening hours, the closures."""
        now = (now or timezone.now()).astimezone(clock.zone())
        policy = policy or BookingPolicy.current()
        today = now.date()
        until = today + max(timedelta(days=policy.horizon_days), CLOSURES_AHEAD)
        return cls(
            policy=policy,
            now=now,
            min_notice=timedelta(hours=0 if skip_notice else policy.min_notice_hours),
            hours=tuple(OpeningHours.objects.all()),
            closed=_closed_days(policy, today, until),
            closed_until=until,
        )

    @classmethod
    def locked(cls, *, now: datetime | None = None, skip_notice: bool = False) -> "Rules":
        """The rules with their row locked until the transaction ends (see BookingPolicy)."""
        return cls.load(now=now, policy=BookingPolicy.objects.locked(), skip_notice=skip_notice)

    # Days

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def earliest(self) -> datetime:
        return self.now + self.min_notice

    @property
    def last_day(self) -> date:
        return self.today + timedelta(days=self.policy.horizon_days)

    def first_day(self, service: Service | None = None) -> date:
        """The first day that may be picked, before closures are considered."""
        first = self.earliest.astimezone(clock.zone()).date()
        if service is not None and (days := service.preparation_days()):
            # Nobody is told to have started their preparation yesterday.
            first = max(first, self.today + timedelta(days=days + 1))
        return first

    def is_closed(self, day: date) -> bool:
        """Closed all day: a closure, a federal holiday, or a weekday without hours."""
        if not any(period.weekday == day.weekday() for period in self.hours):
            return True
        if self.closed_until is not None and self.today <= day <= self.closed_until:
            return day in self.closed
        return day in _closed_days(self.policy, day, day)

    def closures(self, first: date, last: date) -> dict[date, str]:
        """The closed days of [first, last] with their reasons (not weekdays without hours)."""
        if self.closed_until is not None and self.today <= first and last <= self.closed_until:
            return {day: reason for day, reason in self.closed.items() if first <= day <= last}
        return _closed_days(self.policy, first, last)

    def first_open_day(self, service: Service | None = None) -> date | None:
        day = self.first_day(service)
        while day <= self.last_day:
            if not self.is_closed(day):
                return day
            day += timedelta(days=1)
        return None

    # Times

    def starts_on(self, service: Service, day: date) -> list[datetime]:
        """Every start on `day` at which `service` fits inside the opening hours."""
        step = timedelta(minutes=self.policy.slot_minutes)
        starts = []
        for period in self.hours:
            if period.weekday != day.weekday():
                continue
            start = clock.at(day, period.opens)
            closes = clock.at(day, period.closes)
            while start + service.duration <= closes:
                starts.append(start)
                start += step
        return sorted(starts)

    def fits_hours(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end) lies inside one opening period of its day."""
        local_start, local_end = start.astimezone(clock.zone()), end.astimezone(clock.zone())
        return any(
            period.weekday == local_start.weekday()
            and clock.at(local_start.date(), period.opens) <= local_start
            and local_end <= clock.at(local_start.date(), period.closes)
            for period in self.hours
        )


def _closed_days(policy: BookingPolicy, first: date, last: date) -> dict[date, str]:
    closed = federal_holidays(first, last) if policy.closed_on_federal_holidays else {}
    rows = Closure.objects.filter(date__gte=first, date__lte=last).values_list("date", "reason")
    closed.update({day: reason or "Closed" for day, reason in rows})
    return closed


# --- Why a day or a time cannot be booked -----------------------------------------


# "The clinic is closed on Sundays": a weekday's name in the plural, for each language.
WEEKDAYS_PLURAL = (
    gettext_lazy("Mondays"),
    gettext_lazy("Tuesdays"),
    gettext_lazy("Wednesdays"),
    gettext_lazy("Thursdays"),
    gettext_lazy("Fridays"),
    gettext_lazy("Saturdays"),
    gettext_lazy("Sundays"),
)


def _first_day_text(rules: Rules, service: Service | None) -> str:
    day = rules.first_open_day(service)
    return clock.format_day(day) if day else gettext("after the next few weeks (please call us)")


def day_refusal(rules: Rules, day: date, service: Service | None = None) -> str | None:
    """Why nobody can book `service` on `day` at all, for the patient; None when open."""
    if day < rules.today:
        return gettext("%(day)s has already passed. Please choose a later day.") % {
            "day": clock.format_day(day)
        }
    if service is not None and rules.first_day() <= day < rules.first_day(service):
        days = service.preparation_days()
        return ngettext(
            "%(service)s needs %(days)d day of preparation (see your instructions), so the "
            "first day you can book it is %(first_day)s.",
            "%(service)s needs %(days)d days of preparation (see your instructions), so the "
            "first day you can book it is %(first_day)s.",
            days,
        ) % {"service": service.name, "days": days, "first_day": _first_day_text(rules, service)}
    if day < rules.first_day():
        return gettext(
            "We need at least %(hours)d hours' notice, so the first day you can book is "
            "%(first_day)s."
        ) % {"hours": rules.policy.min_notice_hours, "first_day": _first_day_text(rules, service)}
    if day > rules.last_day:
        return gettext(
            "We take bookings up to %(days)d days ahead, until %(last_day)s. Please choose "
            "an earlier day."
        ) % {"days": rules.policy.horizon_days, "last_day": clock.format_day(rules.last_day)}
    if not any(period.weekday == day.weekday() for period in rules.hours):
        return gettext("The clinic is closed on %(weekdays)s. Please choose another day.") % {
            "weekdays": WEEKDAYS_PLURAL[day.weekday()]
        }
    if rules.is_closed(day):
        return gettext("The clinic is closed on %(day)s. Please choose another day.") % {
            "day": clock.format_day(day)
        }
    return None


def check_slot(
    rules: Rules, service: Service, start: datetime, *, exclude: Booking | None = None
) -> Slot:
    """The slot starting at `start`, or SlotUnavailable saying why not, for the patient."""
    local = start.astimezone(clock.zone())
    if start < rules.now:
        raise SlotUnavailable(
            gettext("That time has already passed. Please choose a later time."), "past"
        )
    if start < rules.earliest:
        raise SlotUnavailable(
            gettext(
                "We need at least %(hours)d hours' notice. Please choose a later time, or call us."
            )
            % {"hours": rules.policy.min_notice_hours},
            "notice",
        )
    if problem := day_refusal(rules, local.date(), service):
        raise SlotUnavailable(problem, "day")
    if local not in rules.starts_on(service, local.date()):
        raise SlotUnavailable(
            gettext(
                "That is not one of our appointment times. Please choose a time from the list."
            ),
            "not_a_time",
        )
    day_slots = _compute(rules, service, local.date(), local.date(), exclude)[local.date()]
    for slot in day_slots:
        if slot.start == local:
            return slot
    raise SlotTaken(gettext("Sorry, that time was just taken. Please choose another time."))


def has_consultation_before(
    service: Service, start: datetime, email: str, *, exclude: Booking | None = None
) -> bool:
    """Whether the patient (matched by email, as Booking.objects.of_patient does) has
    the consultation ``service`` requires: completed, or booked to end by ``start``
    and still holding its place. True when the service requires none."""
    needed = service.requires_consultation_id
    if needed is None:
        return True
    if not email:
        return False
    consultations = Booking.objects.filter(
        service_id=needed, email__iexact=email, anonymised_at__isnull=True
    ).filter(
        Q(status=Booking.Status.COMPLETED) | Q(status__in=Booking.HOLDS_PLACE, end__lte=start)
    )
    if exclude is not None:
        consultations = consultations.exclude(pk=exclude.pk)
    return consultations.exists()


def treatments_after(consultation: Booking) -> list[Booking]:
    """
    The patient's upcoming bookings (same email, holding a place, after it) of services
    that require `consultation`'s service first, and were not booked without one on
    purpose: what cancelling that consultation would leave without its consultation.
    """
    if consultation.status not in Booking.HOLDS_PLACE or not consultation.email:
        return []
    return list(
        Booking.objects.holding_a_place()
        .filter(
            service__requires_consultation=consultation.service_id,
            email__iexact=consultation.email,
            start__gte=consultation.end,
            consultation_waived=False,
            anonymised_at__isnull=True,
        )
        .exclude(pk=consultation.pk)
        .select_related("service")
        .order_by("start")
    )


def consultation_refusal(
    service: Service, start: datetime, email: str, *, exclude: Booking | None = None
) -> str | None:
    """Why the patient cannot book ``service`` at ``start`` yet, for the patient; None
    when they can. Checked under the booking lock by reserve() and move()."""
    if has_consultation_before(service, start, email, exclude=exclude):
        return None
    return gettext(
        "%(service)s is given only after a consultation, and we have no consultation "
        "for this email address before that time. Please book a consultation first "
        "(choose “%(consultation)s” above), or call us."
    ) % {"service": service.name, "consultation": service.requires_consultation.name}


def check_consultation(
    service: Service, start: datetime, email: str, *, exclude: Booking | None = None
) -> None:
    """SlotUnavailable (code "consultation") when consultation_refusal() says why."""
    if problem := consultation_refusal(service, start, email, exclude=exclude):
        raise SlotUnavailable(problem, "consultation")


def stranding(
    rules: Rules, booking: Booking, *, closures: dict[date, str] | None = None
) -> str | None:
    """
    Why a booking's time no longer fits the rules (closed since, hours cut), for staff.
    `closures`: the closed days already loaded for a page of bookings.
    """
    day = booking.local_start.date()
    closed = day in closures if closures is not None else rules.is_closed(day)
    if closed or not any(period.weekday == day.weekday() for period in rules.hours):
        return f"The clinic is closed on {clock.format_day(day)}."
    if not rules.fits_hours(booking.start, booking.end):
        return "The appointment is outside the opening hours."
    return None


def stranded(rules: Rules) -> list[tuple[Booking, str]]:
    """Every upcoming booking holding a place that the rules strand, with the reason."""
    upcoming = (
        Booking.objects.holding_a_place()
        .filter(start__gte=rules.now)
        .select_related("service")
        .order_by("start", "pk")
    )
    last = max((b.local_start.date() for b in upcoming), default=rules.today)
    closures = rules.closures(rules.today, last)
    return [
        (booking, reason)
        for booking in upcoming
        if (reason := stranding(rules, booking, closures=closures))
    ]


def stranded_by_change(
    rules: Rules,
    *,
    closing: date | None = None,
    hours: list[OpeningHours] | None = None,
) -> list[tuple[Booking, str]]:
    """
    The upcoming bookings a proposed change would strand that the current rules do
    not: closing the day `closing`, or opening hours replaced by `hours`.
    """
    proposed = rules
    if closing is not None:
        until = max(rules.closed_until or closing, closing)
        known = rules.closures(rules.today, until)
        proposed = replace(proposed, closed={**known, closing: "Closed"}, closed_until=until)
    if hours is not None:
        proposed = replace(proposed, hours=tuple(hours))
    already = {booking.pk for booking, _ in stranded(rules)}
    return [(b, reason) for b, reason in stranded(proposed) if b.pk not in already]


# --- Free times ------------------------------------------------------------------------


def places_left(
    rules: Rules, start: datetime, end: datetime, taken: list[tuple[datetime, datetime]]
) -> int:
    """Capacity minus the most bookings overlapping at any moment of [start, end)."""
    step = timedelta(minutes=rules.policy.slot_minutes)
    busiest = 0
    moment = start
    while moment < end:
        slice_end = min(moment + step, end)
        busiest = max(busiest, sum(1 for s, e in taken if s < slice_end and e > moment))
        moment = slice_end
    return rules.policy.capacity - busiest


def _compute(
    rules: Rules, service: Service, first: date, last: date, exclude: Booking | None
) -> dict[date, list[Slot]]:
    """Slots with a place left on each open day of [first, last]; one query for bookings."""
    window_start, window_end = clock.day_bounds(first, last)
    bookings = Booking.objects.holding_a_place().overlapping(window_start, window_end)
    if exclude is not None:
        bookings = bookings.exclude(pk=exclude.pk)
    taken_by_day: dict[date, list[tuple[datetime, datetime]]] = defaultdict(list)
    for start, end in bookings.values_list("start", "end"):
        day, last_of_booking = clock.today(start), clock.today(end)
        while day <= last_of_booking:
            taken_by_day[day].append((start, end))
            day += timedelta(days=1)
    result: dict[date, list[Slot]] = {}
    day = first
    while day <= last:
        slots = []
        if not rules.is_closed(day):
            for start in rules.starts_on(service, day):
                end = start + service.duration
                left = places_left(rules, start, end, taken_by_day[day])
                if left > 0:
                    slots.append(Slot(start=start, end=end, places_left=left))
        result[day] = slots
        day += timedelta(days=1)
    return result


def version() -> int | None:
    """The version of everything free times depend on (None: the cache is away)."""
    try:
        current = cache.get(VERSION_KEY)
        if current is None:
            cache.add(VERSION_KEY, int(timezone.now().timestamp() * 1000), None)
            current = cache.get(VERSION_KEY)
        return current
    except Exception:  # noqa: BLE001 - a cache that is down means "work it out", never an error
        logger.warning("availability cache unavailable; free times worked out uncached")
        return None


def forget() -> None:
    """Bookings or rules changed: free times are worked out again from now on."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet: the next reader starts one
            pass
    except Exception:  # noqa: BLE001 - the change stands; cached times expire by themselves
        logger.warning("availability cache unavailable; could not forget free times")


def free_slots_by_day(
    rules: Rules,
    service: Service,
    *,
    first: date | None = None,
    last: date | None = None,
    exclude: Booking | None = None,
) -> dict[date, list[Slot]]:
    """
    The bookable times of `service` for every day of [first, last] (default: every
    bookable day), an empty list for a day without any. Cached between changes;
    what depends on the moment (the minimum notice) is applied after the cache.
    """
    first = max(first or rules.first_day(service), rules.first_day(service))
    last = min(last or rules.last_day, rules.last_day)
    if first > last:
        return {}
    by_day = _cached(rules, service, first, last, exclude)
    return {day: [s for s in slots if s.start >= rules.earliest] for day, slots in by_day.items()}


def _cached(
    rules: Rules, service: Service, first: date, last: date, exclude: Booking | None
) -> dict[date, list[Slot]]:
    current = version()
    if current is None:
        return _compute(rules, service, first, last, exclude)
    key = f"booking:slots:{current}:{service.pk}:{first}:{last}:{exclude.pk if exclude else '-'}"
    try:
        by_day = cache.get(key)
    except Exception:  # noqa: BLE001 - as in version(): uncached, never an error
        return _compute(rules, service, first, last, exclude)
    if by_day is None:
        by_day = _compute(rules, service, first, last, exclude)
        try:
            cache.set(key, by_day, CACHE_SECONDS)
        except Exception:  # noqa: BLE001 - as in version()
            logger.warning("availability cache unavailable; free times not kept")
    return by_day


def free_slots(
    service: Service,
    day: date,
    *,
    rules: Rules | None = None,
    exclude: Booking | None = None,
) -> list[Slot]:
    """The times on `day` at which `service` can still be booked."""
    rules = rules or Rules.load()
    return free_slots_by_day(rules, service, first=day, last=day, exclude=exclude).get(day, [])


# --- Taking a time, under the lock ---------------------------------------------------


def reserve(
    service: Service,
    start: datetime,
    *,
    now: datetime | None = None,
    skip_notice: bool = False,
    skip_consultation: bool = False,
    **fields,
) -> Booking:
    """
    Create a booking for the slot at `start`, or raise SlotUnavailable.

    A service that requires a consultation first is refused (code "consultation")
    unless the patient has one (consultation_refusal); `skip_consultation` is the
    desk's explicit override, recorded in the booking's history by the caller.

    The booking rules row is locked for the check and the insert, so two patients
    asking for the last place at once are served one after the other and the
    second is told it was taken. Runs inside the caller's transaction, which also
    writes the emails the booking causes.
    """
    with transaction.atomic():
        rules = Rules.locked(now=now, skip_notice=skip_notice)
        slot = check_slot(rules, service, start)
        if not skip_consultation:
            check_consultation(service, slot.start, fields.get("email", ""))
        return Booking.objects.create(service=service, start=slot.start, end=slot.end, **fields)


def move(
    booking: Booking,
    start: datetime,
    *,
    now: datetime | None = None,
    skip_notice: bool = False,
    skip_consultation: bool = False,
) -> Booking:
    """Move `booking` (a locked, fresh copy) to the slot at `start`, under the same lock.

    A treatment moved by its patient keeps the consultation rule: not before it."""
    with transaction.atomic():
        rules = Rules.locked(now=now, skip_notice=skip_notice)
        slot = check_slot(rules, booking.service, start, exclude=booking)
        if not skip_consultation:
            check_consultation(booking.service, slot.start, booking.email, exclude=booking)
        booking.start, booking.end = slot.start, slot.end
        booking.sequence += 1
        booking.save(update_fields=["start", "end", "sequence", "updated_at"])
        return booking
