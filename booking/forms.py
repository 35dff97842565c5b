"""
The patient's booking forms and the time picker they show.

Forms own validation: every text has a max_length, clean_* methods normalise what
was typed, and every message is written for a patient. Whether a time can be had
is decided by booking.availability (check_slot here, reserve/move under a lock in
booking.workflow); the picker only shows it.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from booking import availability
from booking.availability import Slot, SlotUnavailable
from booking.clock import clinic_zone, format_day
from booking.models import Booking, BookingPolicy, Closure, OpeningHours, Service

# Line breaks, tabs, NUL, DEL, C1 controls and Unicode line separators. In a name
# they could end an email header early ("Pat\r\nBcc: …"), so a name with one is
# refused rather than quietly repaired.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ().\-]+$")
PHONE_DIGITS = (7, 20)
TIME_VALUE = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")

TOO_LONG = "Please use at most %(limit_value)d characters (you used %(show_value)d)."


def parse_day(raw: object) -> date | None:
    """A YYYY-MM-DD string as a date, or None for anything else."""
    if not isinstance(raw, str) or len(raw) != 10:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        return None


def short_day(day: date) -> str:
    """'Thu 3 Dec': for buttons where space is short."""
    return f"{day:%a} {day.day} {day:%b}"


# --- Why a day has no times ----------------------------------------------------


@dataclass(frozen=True)
class Calendar:
    """The clinic's calendar as one request sees it: loaded once, asked many times."""

    policy: BookingPolicy
    now: datetime
    first_day: date
    last_day: date
    closed_days: frozenset[date]
    hours: tuple[OpeningHours, ...]

    @classmethod
    def load(cls, policy: BookingPolicy, now: datetime) -> "Calendar":
        first_day, last_day = availability.bookable_days(policy, now)
        closed = Closure.objects.filter(date__gte=first_day, date__lte=last_day)
        return cls(
            policy=policy,
            now=now,
            first_day=first_day,
            last_day=last_day,
            closed_days=frozenset(closed.values_list("date", flat=True)),
            hours=tuple(OpeningHours.objects.all()),
        )

    @property
    def today(self) -> date:
        return self.now.astimezone(clinic_zone()).date()

    def first_day_for(self, service: Service) -> date:
        """The first bookable day for `service` (later for one that needs preparation)."""
        return availability.bookable_days(self.policy, self.now, service)[0]

    def day_problem(self, day: date, service: Service | None = None) -> str | None:
        """Why nobody can book on `day` at all, for the patient; None when it is open."""
        if day < self.today:
            return f"{format_day(day)} has already passed. Please choose a later day."
        if service is not None and self.first_day <= day < self.first_day_for(service):
            return (
                f"{service.name} needs {service.preparation_days()} days of preparation "
                f"(see your instructions), so the first day you can book it is "
                f"{format_day(self.first_day_for(service))}."
            )
        if day < self.first_day:
            return (
                f"We need at least {self.policy.min_notice_hours} hours' notice, so the "
                f"first day you can book is {format_day(self.first_day)}."
            )
        if day > self.last_day:
            return (
                f"We take bookings up to {self.policy.horizon_days} days ahead, until "
                f"{format_day(self.last_day)}. Please choose an earlier day."
            )
        if day in self.closed_days:
            return f"The clinic is closed on {format_day(day)}. Please choose another day."
        if not any(period.weekday == day.weekday() for period in self.hours):
            return f"The clinic is closed on {day:%A}s. Please choose another day."
        return None

    def free_slots_by_day(
        self, service: Service, *, exclude: Booking | None = None
    ) -> dict[date, list[Slot]]:
        """
        availability.free_slots for every bookable day, with one query for bookings.

        Same rules, same helpers; only the loading is batched so that the picker
        can show the next free days without a query per day. Kept equal to
        free_slots by tests/booking/test_availability.py.
        """
        zone = clinic_zone()
        window_start = datetime.combine(self.first_day, time.min, tzinfo=zone)
        window_end = datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=zone)
        bookings = Booking.objects.holding_a_place().overlapping(window_start, window_end)
        if exclude is not None:
            bookings = bookings.exclude(pk=exclude.pk)
        taken_by_day: dict[date, list[tuple[datetime, datetime]]] = defaultdict(list)
        for start, end in bookings.values_list("start", "end"):
            day = start.astimezone(zone).date()
            while day <= end.astimezone(zone).date():
                taken_by_day[day].append((start, end))
                day += timedelta(days=1)

        earliest = self.now + timedelta(hours=self.policy.min_notice_hours)
        first_day = self.first_day_for(service)
        result: dict[date, list[Slot]] = {}
        day = self.first_day
        while day <= self.last_day:
            slots = []
            if day >= first_day and day not in self.closed_days:
                for start in availability.candidate_starts(service, day, self.policy, self.hours):
                    if start < earliest:
                        continue
                    end = start + service.duration
                    left = availability.places_left(start, end, taken_by_day[day], self.policy)
                    if left > 0:
                        slots.append(Slot(start=start, end=end, places_left=left))
            result[day] = slots
            day += timedelta(days=1)
        return result


# --- The time picker -----------------------------------------------------------

PARTS_OF_DAY = (("Morning", time(0, 0)), ("Afternoon", time(12, 0)), ("Evening", time(17, 0)))


def group_slots(slots: Iterable[Slot]) -> list[tuple[str, list[Slot]]]:
    """[('Morning', [...]), ('Afternoon', [...])]: only the parts of the day that have times."""
    groups: dict[str, list[Slot]] = {}
    for slot in slots:
        part = next(name for name, begins in reversed(PARTS_OF_DAY) if slot.start.time() >= begins)
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
        return f"{self.day:%a}"

    @property
    def short(self) -> str:
        return f"{self.day.day} {self.day:%b}"

    @property
    def label(self) -> str:
        return format_day(self.day)


@dataclass
class Picker:
    """What the 'Day and time' step shows: the chosen day's times and the next free days."""

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
        return format_day(self.day) if self.day else ""

    @property
    def announcement(self) -> str:
        """One sentence for screen readers when the times change."""
        if self.service is None:
            return "Choose a service to see free times."
        if self.slots:
            count = len(self.slots)
            return f"{count} free time{'s' if count != 1 else ''} on {self.day_label}."
        return self.problem


def build_picker(
    service: Service | None,
    day: date | None,
    calendar: Calendar,
    *,
    exclude: Booking | None = None,
    show_days: int = 6,
) -> Picker:
    """
    The picker for `service` on `day`. Without a day it opens on the first day
    that has a free time. Four queries at most, however many bookings there are.
    """
    picker = Picker(
        service=service, day=day, first_day=calendar.first_day, last_day=calendar.last_day
    )
    if service is None:
        return picker
    by_day = calendar.free_slots_by_day(service, exclude=exclude)
    free = [FreeDay(d, len(slots)) for d, slots in by_day.items() if slots]
    picker.free_days = free[:show_days]
    if day is None:
        if not free:
            picker.problem = "There are no free times in the next weeks. Please call us."
            return picker
        picker.day = day = free[0].day
    picker.slots = by_day.get(day, [])
    if not picker.slots:
        picker.problem = calendar.day_problem(day, service) or (
            f"All times on {format_day(day)} are taken. Please choose another day."
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


# --- The forms -----------------------------------------------------------------


class SlotFields(forms.Form):
    """A day and a time on it; cleaned into `start`, an aware datetime in clinic time."""

    date = forms.DateField(
        label="Day",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Please choose a day.",
            "invalid": "Please enter the day as YYYY-MM-DD, or pick it from the calendar.",
        },
    )
    # Rendered by templates/booking/includes/time_picker.html as radio buttons of
    # the day's free times; any other value is refused in clean().
    time = forms.CharField(
        label="Time",
        max_length=5,
        error_messages={
            "required": "Please choose a time.",
            "max_length": "Please choose a time from the list.",
        },
    )

    def __init__(self, *args, calendar: Calendar, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar = calendar
        self.fields["date"].widget.attrs.update(
            min=calendar.first_day.isoformat(), max=calendar.last_day.isoformat()
        )

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        problem = self.calendar.day_problem(day)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def clean_time(self) -> time:
        match = TIME_VALUE.match(self.cleaned_data["time"])
        if not match:
            raise forms.ValidationError("Please choose a time from the list.")
        return time(int(match[1]), int(match[2]))

    def service_for_slot(self) -> Service | None:
        raise NotImplementedError

    def booking_to_exclude(self) -> Booking | None:
        return None

    def clean(self) -> dict:
        cleaned = super().clean()
        if "date" in self._errors:
            # The day's own message says what to do; "choose a time" on top of it
            # would ask for something the patient cannot do yet.
            self._errors.pop("time", None)
        service = self.service_for_slot()
        day, at = cleaned.get("date"), cleaned.get("time")
        if service is None or day is None or at is None:
            return cleaned
        start = datetime.combine(day, at, tzinfo=clinic_zone())
        try:
            availability.check_slot(
                service,
                start,
                now=self.calendar.now,
                policy=self.calendar.policy,
                exclude=self.booking_to_exclude(),
            )
        except SlotUnavailable as error:
            self.add_error("time", str(error))
        else:
            cleaned["start"] = start
        return cleaned


class BookingForm(SlotFields):
    """A patient asks for an appointment (/book/)."""

    field_order = ["service", "date", "time", "name", "email", "phone", "notes", "consent"]

    service = forms.ModelChoiceField(
        label="Service",
        queryset=Service.objects.none(),
        to_field_name="slug",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose a service.",
            "invalid_choice": "Please choose one of our services.",
        },
    )
    name = forms.CharField(
        label="Full name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Please enter your name.", "max_length": TOO_LONG},
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="We send your confirmation and preparation instructions here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter an email address like name@example.com.",
            "max_length": TOO_LONG,
        },
    )
    phone = forms.CharField(
        label="Phone",
        max_length=32,
        help_text="In case we need to reach you about your appointment.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": "Please enter a phone number.", "max_length": TOO_LONG},
    )
    notes = forms.CharField(
        label="Anything we should know? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, questions you have. Please do not include medical records.",
        error_messages={"max_length": TOO_LONG},
    )
    consent = forms.BooleanField(
        error_messages={
            "required": "Please tick the box to agree, so that we can arrange your appointment."
        },
    )
    # The honeypot: hidden from people (booking.css, aria-hidden, tabindex=-1),
    # filled in by form-filling bots. See clean().
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)

    HONEYPOT_MESSAGE = (
        "Sorry, we could not send your request. Please check your details and try again, "
        "or call us."
    )

    def __init__(self, *args, services: Iterable[Service] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        policy = self.calendar.policy
        self.fields["service"].queryset = Service.objects.filter(is_active=True).prefetch_related(
            "instructions"
        )
        if services is not None:
            # The view has the list already; reuse it for rendering the choices.
            self.fields["service"].choices = [(s.slug, s) for s in services]
        consent = self.fields["consent"]
        consent.label = policy.consent_text
        consent.help_text = format_html(
            '<a href="{}">Read our privacy notice</a> to see how we look after your details.',
            reverse("privacy"),
        )
        self.caught_by_honeypot = False

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if CONTROL_CHARACTERS.search(name):
            raise forms.ValidationError(
                "Please write your name on one line, without special characters."
            )
        name = " ".join(name.split())
        if not any(character.isalpha() for character in name):
            raise forms.ValidationError("Please enter your name.")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        local, _, domain = email.rpartition("@")
        # Domains are case-insensitive; the part before @ may not be, so it stays.
        return f"{local}@{domain.lower()}"

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        digits = sum(character.isdigit() for character in phone)
        low, high = PHONE_DIGITS
        if not PHONE_CHARACTERS.match(phone) or not low <= digits <= high:
            raise forms.ValidationError(
                "Please enter a phone number of 7 to 20 digits, e.g. 770-555-0142. "
                "You may use +, spaces, brackets, dots and dashes."
            )
        return phone

    def clean_notes(self) -> str:
        notes = self.cleaned_data["notes"].replace("\r\n", "\n").replace("\r", "\n")
        lines = [" ".join(line.split()) for line in notes.split("\n")]
        # Keep the patient's paragraphs, drop runs of empty lines.
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    def service_for_slot(self) -> Service | None:
        return self.cleaned_data.get("service")

    def clean(self) -> dict:
        if self.data.get("website"):
            # A bot filled the hidden field. Nothing is stored; a person whose
            # browser filled it by mistake reads a plain message, not a fake success.
            self.caught_by_honeypot = True
            raise forms.ValidationError(self.HONEYPOT_MESSAGE, code="honeypot")
        cleaned = super().clean()
        shown = self.data.get("consent_version")
        if cleaned.get("consent") and shown and shown != self.calendar.policy.consent_version:
            self.add_error(
                "consent",
                "We have updated this statement since you opened the page. "
                "Please read it, then send your request again.",
            )
        return cleaned

    def patient_details(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in ("name", "email", "phone", "notes")}


class MoveForm(SlotFields):
    """The patient moves their own booking to another free time (/book/manage/…/move/)."""

    def __init__(self, *args, booking: Booking, **kwargs):
        super().__init__(*args, **kwargs)
        self.booking = booking

    def service_for_slot(self) -> Service:
        return self.booking.service

    def booking_to_exclude(self) -> Booking:
        return self.booking

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("start") == self.booking.start:
            self.add_error("time", "That is already your appointment time.")
        return cleaned
