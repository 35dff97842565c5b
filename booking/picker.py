"""
The day-and-time picker: the chosen day's free times and the next free days.

Shown by the patient's booking and move pages (and the fragment booking.js
fetches). It only presents booking.availability: which times are free and why a
day has none come from there, in that module's words.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import dateformat
from django.utils.translation import gettext, gettext_lazy, ngettext

from booking import availability
from booking.availability import Rules, Slot
from booking.models import Booking, Service
from clinic import clock

PARTS_OF_DAY = (
    (gettext_lazy("Morning"), time(0, 0)),
    (gettext_lazy("Afternoon"), time(12, 0)),
    (gettext_lazy("Evening"), time(17, 0)),
)


def parse_day(raw: object) -> date | None:
    """A YYYY-MM-DD string as a date, or None for anything else."""
    if not isinstance(raw, str) or len(raw) != 10:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        return None


def group_slots(slots: Iterable[Slot]) -> list[tuple[str, list[Slot]]]:
    """[('Morning', [...]), ('Afternoon', [...])]: only the parts of the day that have times."""
    groups: dict[str, list[Slot]] = {}
    for slot in slots:
        part = next(
            str(name) for name, begins in reversed(PARTS_OF_DAY) if slot.start.time() >= begins
        )
        groups.setdefault(part, []).append(slot)
    return list(groups.items())


@dataclass(frozen=True)
class FreeDay:
    day: date
    count: int

    @property
    def value(self) -> str:
        return self.day.isoformat()

    @property
    def weekday(self) -> str:
        """'Tue' ('mar' in Spanish): the day chip's first line."""
        return dateformat.format(self.day, "D")

    @property
    def short(self) -> str:
        """'Dec 8' ('8 dic' in Spanish): the day chip's second line."""
        return clock.format_short_day(self.day).split(" ", 1)[1].lstrip(", ").strip()

    @property
    def label(self) -> str:
        return clock.format_day(self.day)


@dataclass
class Picker:
    """What the 'Day and time' step shows."""

    service: Service | None
    day: date | None
    first_day: date
    last_day: date
    slots: list[Slot] = field(default_factory=list)
    problem: str = ""
    free_days: list[FreeDay] = field(default_factory=list)
    next_free: FreeDay | None = None

    @property
    def groups(self) -> list[tuple[str, list[Slot]]]:
        return group_slots(self.slots)

    @property
    def day_label(self) -> str:
        return clock.format_day(self.day) if self.day else ""

    @property
    def announcement(self) -> str:
        """One sentence for screen readers when the times change."""
        if self.service is None:
            return gettext("Choose a service to see free times.")
        if self.slots:
            count = len(self.slots)
            return ngettext(
                "%(count)d free time on %(day)s.", "%(count)d free times on %(day)s.", count
            ) % {"count": count, "day": self.day_label}
        return self.problem


def build_picker(
    rules: Rules,
    service: Service | None,
    day: date | None,
    *,
    moving: Booking | None = None,
    show_days: int = 6,
    none_free: str | None = None,
) -> Picker:
    """
    The picker for `service` on `day`; without a day it opens on the first day that
    has a free time. When a patient moves `moving`, its own place counts as free
    for other times, and its current time is not offered as if it were new.
    `none_free` says what the patient's sentence says when no day has a free time.
    """
    picker = Picker(service=service, day=day, first_day=rules.first_day(), last_day=rules.last_day)
    if service is None:
        return picker
    by_day = availability.free_slots_by_day(rules, service, exclude=moving)
    if moving is not None:
        by_day = {
            d: [slot for slot in slots if slot.start != moving.start]
            for d, slots in by_day.items()
        }
    free = [FreeDay(d, len(slots)) for d, slots in by_day.items() if slots]
    picker.free_days = free[:show_days]
    if day is None:
        if not free:
            picker.problem = none_free or gettext(
                "There are no free times in the next weeks. Please call us."
            )
            return picker
        picker.day = day = free[0].day
    picker.slots = by_day.get(day, [])
    if not picker.slots:
        picker.problem = availability.day_refusal(rules, day, service) or (
            gettext("All times on %(day)s are taken. Please choose another day.")
            % {"day": clock.format_day(day)}
        )
        picker.next_free = next((item for item in free if item.day > day), None)
    return picker


def picker_choice(
    data: Mapping[str, str], services: Iterable[Service]
) -> tuple[Service | None, date | None]:
    """The service and day that request data (GET or POST) asks the picker for."""
    by_slug = {service.slug: service for service in services}
    service = by_slug.get(data.get("service", ""))
    day = parse_day(data.get("pick_date")) or parse_day(data.get("date"))
    return service, day
