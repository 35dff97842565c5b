"""
The booking domain: services and their instructions, the clinic's rules, bookings,
and the outbox through which every email of the site leaves.

Times are stored in UTC and shown in the clinic's zone (settings.CLINIC_TIME_ZONE).
"""

import secrets
import string
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from booking import phones
from clinic import clock
from clinic.clock import format_day, format_moment, format_time
from clinic.translation_review import TranslationReview

# --- Services and instructions ------------------------------------------------


class ServiceQuerySet(models.QuerySet):
    def bookable(self) -> "ServiceQuerySet":
        """Offered for booking, with the instructions that decide each one's first day."""
        return (
            self.filter(is_active=True)
            .select_related("requires_consultation")
            .prefetch_related("instructions")
        )


class Service(TranslationReview):
    class Kind(models.TextChoices):
        CONSULTATION = "consultation", "Consultation"
        TREATMENT = "treatment", "Treatment"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CONSULTATION)
    description = models.CharField(
        max_length=300, blank=True, help_text="One or two sentences shown on the booking page."
    )
    duration_minutes = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
        help_text="How long the appointment takes. It occupies every slot it overlaps.",
    )
    is_active = models.BooleanField("offered for booking", default=True)
    order = models.PositiveSmallIntegerField(default=0)
    # An appointment reminder of the service itself, for services whose
    # instructions carry none (a consultation has no instructions at all).
    reminder_day = models.SmallIntegerField(
        "appointment reminder: day",
        null=True,
        blank=True,
        validators=[MinValueValidator(-14), MaxValueValidator(0)],
        help_text="Email an appointment reminder this many days before (-1 is the day "
        "before, 0 the day itself). Empty: none (the instructions' reminders do the job).",
    )
    reminder_at = models.TimeField(
        "appointment reminder: time", default=time(9, 0), help_text="Clinic time."
    )
    # The rule is availability.consultation_refusal; the desk may override it.
    requires_consultation = models.ForeignKey(
        "self",
        verbose_name="requires a consultation first",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "consultation"},
        help_text="Patients book this only after this consultation: completed, or booked "
        "to end before the requested time. Empty: anyone may book it directly.",
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    def reminder_due_at(self, appointment_start: datetime) -> datetime | None:
        """When the appointment reminder is due, or None when the service has none."""
        if self.reminder_day is None:
            return None
        day = clock.today(appointment_start) + timedelta(days=self.reminder_day)
        return clock.at(day, self.reminder_at)

    def clean(self) -> None:
        if self.requires_consultation_id and self.requires_consultation_id == self.pk:
            raise ValidationError(
                {"requires_consultation": "A service cannot require itself first."}
            )

    def preparation_days(self) -> int:
        """How many days before the appointment its earliest instruction starts (3 for NSAIDs)."""
        earliest = min((item.starts_day for item in self.instructions.all()), default=0)
        return max(0, -earliest)


class Instruction(TranslationReview):
    """
    One thing the patient must do, dated relative to the appointment day.

    `starts_day` and `ends_day` count calendar days in the clinic's zone from the
    appointment day (-3 is three days before, 21 three weeks after), never hours.
    Without `ends_day` the instruction is for a single day.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="instructions")
    title = models.CharField(max_length=80, help_text="Short label, e.g. “No NSAIDs”.")
    text = models.TextField(max_length=600, help_text="What the patient should do, plainly.")
    starts_day = models.SmallIntegerField(
        default=0,
        validators=[MinValueValidator(-60), MaxValueValidator(60)],
        help_text="Days relative to the appointment: -1 is the day before, 0 the day itself.",
    )
    ends_day = models.SmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-60), MaxValueValidator(120)],
        help_text="Last day of a window (21 is three weeks after). Empty for a single day.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    # history: booking/translation.py (after the Spanish columns are added)

    class Meta:
        ordering = ["service", "order", "starts_day", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.ends_day is not None and self.ends_day < self.starts_day:
            raise ValidationError({"ends_day": "The window cannot end before it starts."})

    def dates(self, appointment_day: date) -> tuple[date, date | None]:
        start = appointment_day + timedelta(days=self.starts_day)
        end = None if self.ends_day is None else appointment_day + timedelta(days=self.ends_day)
        return start, end

    def when(self, appointment_day: date) -> str:
        """'on Monday, December 7' or 'from Saturday, December 5 until Tuesday, December 29'."""
        start, end = self.dates(appointment_day)
        if end is None or end == start:
            return gettext("on %(day)s") % {"day": format_day(start, appointment_day)}
        return gettext("from %(start)s until %(end)s") % {
            "start": format_day(start, appointment_day),
            "end": format_day(end, appointment_day),
        }


class Reminder(TranslationReview):
    """
    A message sent at a moment relative to the appointment, about one instruction.

    The subject and message may use {appointment} (day and time of the
    appointment), {start} and {end} (the instruction's first and last day) and
    {From_start}, worded for the moment the patient reads it: "From Saturday,
    December 5", "From today, Saturday, December 5", or, sent late, "From now (since
    Saturday, December 5)"; {from_start} is the same for the middle of a sentence
    ("Stop NSAIDs {from_start}"). The values are written in the language active when
    the reminder is rendered (the booking's: booking.emails), so the Spanish message
    ("Deje de tomar AINE {from_start}") gets "a partir del sábado, 5 de diciembre".
    """

    PLACEHOLDERS = ("appointment", "start", "end", "From_start", "from_start")

    instruction = models.ForeignKey(
        Instruction, on_delete=models.CASCADE, related_name="reminders"
    )
    day = models.SmallIntegerField(
        validators=[MinValueValidator(-60), MaxValueValidator(120)],
        help_text="Days relative to the appointment day: -3 is three days before.",
    )
    at = models.TimeField(default=time(9, 0), help_text="Clinic time.")
    subject = models.CharField(
        max_length=120,
        blank=True,
        help_text="What this reminder is about, e.g. “Stop NSAIDs from {start}”. Never "
        "name the treatment: subjects show on lock screens. Empty: a general subject.",
    )
    message = models.TextField(
        max_length=600,
        help_text="May use {appointment}, {start} and {end}; they are filled in per patient.",
    )
    is_active = models.BooleanField(default=True)

    # history: booking/translation.py (after the Spanish columns are added)

    class Meta:
        ordering = ["instruction", "day", "at"]

    def __str__(self) -> str:
        return f"{self.instruction}: day {self.day:+d} at {self.at:%H:%M}"

    def clean(self) -> None:
        errors = {}
        for field in ("subject", "message"):
            try:
                getattr(self, field).format_map(dict.fromkeys(self.PLACEHOLDERS, ""))
            except (KeyError, ValueError, IndexError, AttributeError):
                errors[field] = (
                    "Use only {appointment}, {start}, {end}, {From_start} and {from_start} "
                    "in braces."
                )
        if errors:
            raise ValidationError(errors)

    def due_at(self, appointment_start: datetime) -> datetime:
        return clock.at(clock.today(appointment_start) + timedelta(days=self.day), self.at)

    def last_day(self, appointment_start: datetime) -> date:
        """The last day of the instruction's window: after it the reminder is pointless."""
        start, end = self.instruction.dates(clock.today(appointment_start))
        return end or start

    def _values(self, appointment_start: datetime, now: datetime | None) -> dict:
        day = clock.today(appointment_start)
        start, end = self.instruction.dates(day)
        today = clock.today(now)
        start_text = format_day(start, day)
        if today < start:
            from_start = gettext("From %(day)s") % {"day": start_text}
        elif today == start:
            from_start = gettext("From today, %(day)s") % {"day": start_text}
        else:
            # A late reminder (the worker catching up after an outage) must not
            # say "from today" about a day that has passed.
            from_start = gettext("From now (since %(day)s)") % {"day": start_text}
        return {
            "appointment": format_moment(appointment_start),
            "start": start_text,
            "end": format_day(end or start, day),
            "From_start": from_start,
            "from_start": from_start[0].lower() + from_start[1:],
        }

    def _fill(self, text: str, values: dict) -> str:
        try:
            return text.format_map(values)
        except (KeyError, ValueError, IndexError, AttributeError):
            # clean() stops this in the admin; a bad message must still never block mail.
            return text

    def render(self, appointment_start: datetime, now: datetime | None = None) -> str:
        """The message for this appointment, worded for `now` (default: now)."""
        return self._fill(self.message, self._values(appointment_start, now))

    def render_subject(self, appointment_start: datetime, now: datetime | None = None) -> str:
        return self._fill(self.subject, self._values(appointment_start, now))


class FollowUp(TranslationReview):
    """
    A message some days after a completed appointment of its service: the treatment's
    check-in at three months, the invitation to a re-evaluation at six. Sent once per
    booking (booking.followups has the rule), never to a patient who has stopped them.

    The subject and message may use {appointment}, the day of the appointment.
    """

    PLACEHOLDERS = ("appointment",)

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="follow_ups")
    days_after = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text="Days after the appointment day.",
    )
    at = models.TimeField(default=time(10, 0), help_text="Clinic time.")
    invite_to = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="If it invites the patient to book (a re-evaluation): the service, linked "
        "from the email. Not sent to a patient who has already booked it since.",
    )
    subject = models.CharField(
        max_length=120,
        help_text="Never name the treatment: subjects show on lock screens.",
    )
    message = models.TextField(max_length=1200, help_text="May use {appointment}.")
    is_active = models.BooleanField(default=True)

    # history: booking/translation.py (after the Spanish columns are added)

    class Meta:
        ordering = ["service", "days_after"]
        verbose_name = "follow-up"

    def __str__(self) -> str:
        return f"{self.service}: {self.days_after} days after"

    def clean(self) -> None:
        errors = {}
        for field in ("subject", "message"):
            try:
                (getattr(self, field) or "").format_map(dict.fromkeys(self.PLACEHOLDERS, ""))
            except (KeyError, ValueError, IndexError, AttributeError):
                errors[field] = "Use only {appointment} in braces."
        if errors:
            raise ValidationError(errors)

    def due_at(self, appointment_start: datetime) -> datetime:
        return clock.at(clock.today(appointment_start) + timedelta(days=self.days_after), self.at)

    def _fill(self, text: str, appointment_start: datetime) -> str:
        try:
            return text.format_map({"appointment": format_day(clock.today(appointment_start))})
        except (KeyError, ValueError, IndexError, AttributeError):
            return text  # clean() stops this in the admin; never block mail

    def render(self, appointment_start: datetime) -> str:
        return self._fill(self.message, appointment_start)

    def render_subject(self, appointment_start: datetime) -> str:
        return self._fill(self.subject, appointment_start)


class FollowUpOptOut(models.Model):
    """
    A patient who asked for no more follow-ups. Kept as an HMAC of the email address
    (booking.followups.email_digest): the opt-out outlives the retention purge
    without keeping the address.
    """

    email_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "follow-up opt-out"

    def __str__(self) -> str:
        return self.email_digest[:12]


# --- The clinic's rules -------------------------------------------------------


class OpeningHoursManager(models.Manager):
    CACHE_KEY = "booking:opening-hours-summary"

    def cache_key(self, language: str | None = None) -> str:
        """One summary per language: its weekdays and times are written in it."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        return f"{self.CACHE_KEY}:{language}"

    def forget_summary(self) -> None:
        """Drop the cached summary of every language (the hours changed)."""
        cache.delete_many([self.cache_key(code) for code, _name in settings.LANGUAGES])

    def summary(self) -> list[dict[str, str]]:
        """Opening hours grouped into lines such as 'Monday – Friday: 9:00 am – 5:00 pm'."""
        key = self.cache_key()
        lines = cache.get(key)
        if lines is None:
            lines = []
            for row in self.order_by("weekday", "opens"):
                hours = f"{format_time(row.opens)} – {format_time(row.closes)}"
                if lines and lines[-1]["hours"] == hours and lines[-1]["last"] == row.weekday - 1:
                    lines[-1]["last"] = row.weekday
                else:
                    lines.append({"first": row.weekday, "last": row.weekday, "hours": hours})
            for line in lines:
                first, last = (
                    OpeningHours.Weekday(line["first"]),
                    OpeningHours.Weekday(line["last"]),
                )
                line["days"] = (
                    str(first.label) if first == last else f"{first.label} – {last.label}"
                )
            cache.set(key, lines, 3600)
        return lines


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    opens = models.TimeField()
    closes = models.TimeField()

    objects = OpeningHoursManager()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="opens_before_closes"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": "Closing time must be after opening time."})


class Closure(models.Model):
    """A day the clinic takes no appointments (holiday, training, maintenance)."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=120, blank=True, help_text="For staff; not shown.")

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}".strip()


class BookingPolicyManager(models.Manager):
    def locked(self) -> "BookingPolicy":
        """
        The rules row, locked until the transaction ends: every booking step that
        takes or moves a time holds it (SELECT … FOR UPDATE on PostgreSQL; SQLite's
        IMMEDIATE transactions write one at a time).
        """
        BookingPolicy.current()  # a fresh database has no row yet
        return self.select_for_update().get(pk=1)


class BookingPolicy(TranslationReview):
    """
    The clinic's booking rules: one row, edited by managers.

    Its row is also the lock that serialises bookings (see availability.reserve):
    a small clinic takes a handful of bookings an hour, so one lock costs nothing
    and makes "never over capacity" a database guarantee.
    """

    slot_minutes = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text="Appointments start at this interval from opening time.",
    )
    capacity = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="How many patients one slot holds.",
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        default=24, help_text="The earliest a patient may book, in hours from now."
    )
    horizon_days = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="How many days ahead patients may book.",
    )
    remind_requested = models.BooleanField(
        default=False,
        help_text="Also send reminders for requests reception has not confirmed yet.",
    )
    consent_text = models.CharField(
        max_length=400,
        default=(
            "I agree that Vinings Surgery Center stores these details to arrange my "
            "appointment and emails me appointment details and preparation instructions."
        ),
    )
    consent_version = models.CharField(
        max_length=20, default="2026-11", help_text="Change this whenever the wording changes."
    )
    closed_on_federal_holidays = models.BooleanField(
        default=True,
        help_text="Take no bookings on US federal holidays (as observed). Other days "
        "the clinic is closed are added under Closures.",
    )
    # The waitlist (waitlist.offers): who hears of a freed time, and when.
    waitlist_batch_size = models.PositiveSmallIntegerField(
        "waitlist: patients per batch",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="When a time frees up, this many waitlisted patients are offered it "
        "at once, in the order they joined.",
    )
    waitlist_batch_minutes = models.PositiveSmallIntegerField(
        "waitlist: minutes between batches",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
        help_text="If nobody has booked the time by then, the next batch is offered it.",
    )
    waitlist_offer_hours = models.PositiveSmallIntegerField(
        "waitlist: hours an offer stays open",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text="An offer also closes when the time no longer meets the minimum notice.",
    )

    # history: booking/translation.py (after the Spanish columns are added)
    objects = BookingPolicyManager()

    class Meta:
        verbose_name = verbose_name_plural = "booking rules"

    def __str__(self) -> str:
        return "Booking rules"

    def save(self, *args, **kwargs):
        self.pk = 1  # a single row
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "BookingPolicy":
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy


# --- Bookings -----------------------------------------------------------------

# No 0/O or 1/I/L: patients read references out over the phone.
REFERENCE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "0O1IL")


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def new_access_key() -> str:
    return secrets.token_urlsafe(16)


class BookingQuerySet(models.QuerySet):
    def holding_a_place(self) -> "BookingQuerySet":
        """Bookings that occupy their slot: requested or confirmed."""
        return self.filter(status__in=Booking.HOLDS_PLACE)

    def overlapping(self, start: datetime, end: datetime) -> "BookingQuerySet":
        return self.filter(start__lt=end, end__gt=start)

    def on_days(self, first: date, last: date | None = None) -> "BookingQuerySet":
        """Bookings starting on the clinic's calendar days `first` to `last`."""
        start, end = clock.day_bounds(first, last)
        return self.filter(start__gte=start, start__lt=end)

    def on_day(self, day: date) -> "BookingQuerySet":
        return self.on_days(day)

    def of_patient(self, booking: "Booking") -> "BookingQuerySet":
        """The same patient's other bookings: the same email or the same phone number."""
        same = models.Q(email__iexact=booking.email) if booking.email else models.Q(pk=None)
        if booking.phone:
            same |= models.Q(phone=booking.phone)
        return self.filter(same, anonymised_at__isnull=True).exclude(pk=booking.pk)


class Booking(models.Model):
    class Status(models.TextChoices):
        # Patients read these on their own page (in their language).
        REQUESTED = "requested", pgettext_lazy("booking status", "Requested")
        CONFIRMED = "confirmed", pgettext_lazy("booking status", "Confirmed")
        COMPLETED = "completed", pgettext_lazy("booking status", "Completed")
        CANCELLED = "cancelled", pgettext_lazy("booking status", "Cancelled")
        NO_SHOW = "no_show", pgettext_lazy("booking status", "No-show")

    HOLDS_PLACE = (Status.REQUESTED, Status.CONFIRMED)

    reference = models.CharField(max_length=8, unique=True, default=new_reference, editable=False)
    access_key = models.CharField(
        max_length=32,
        default=new_access_key,
        editable=False,
        help_text="Part of the patient's signed link; replacing it revokes old links.",
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=Status, default=Status.REQUESTED, db_index=True
    )

    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=32)
    notes = models.TextField("patient's note", max_length=1000, blank=True)
    # The language the booking was made in: every later message to the patient
    # (emails, reminders, calendar files, the self-service pages) is written in it,
    # whoever causes it (booking.emails, booking.views).
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The patient's emails, reminders and pages are in this language.",
    )
    consent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When reception confirmed it (or booked it, confirmed at once): the clinic's numbers.
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    consent_version = models.CharField(max_length=20, blank=True, editable=False)
    # The desk booked a treatment that requires a consultation without one, on
    # purpose ("Book without a consultation"): kept, and in the history.
    consultation_waived = models.BooleanField(
        "booked without a consultation", default=False, editable=False
    )

    internal_notes = models.TextField(
        blank=True, max_length=4000, help_text="For staff only. The patient never sees this."
    )
    # Calendar entries with a higher SEQUENCE replace the one already in the
    # patient's calendar; raised on every change of time or status.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["access_key"])
    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["status", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="booking_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("admin:booking_booking_change", args=[self.pk])

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(clock.zone())

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(clock.zone())

    @property
    def phone_display(self) -> str:
        """The phone number as people in the US write it: '(404) 555-0100'."""
        return phones.display(self.phone)

    @property
    def when(self) -> str:
        """'Tuesday, December 8, 2026 at 10:00 am'."""
        return format_moment(self.start)

    @property
    def holds_place(self) -> bool:
        return self.status in self.HOLDS_PLACE

    def has_started(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.start

    def patient_can_change(self, now: datetime | None = None) -> bool:
        return self.holds_place and not self.has_started(now) and self.anonymised_at is None

    def schedule(self) -> list[dict]:
        """The service's instructions with this patient's dates, in order."""
        day = self.local_start.date()
        return [
            {"instruction": item, "when": item.when(day), "dates": item.dates(day)}
            for item in self.service.instructions.all()
        ]


class OutgoingEmailQuerySet(models.QuerySet):
    def pending(self) -> "OutgoingEmailQuerySet":
        """Not sent yet: queued, or failed and waiting for its next attempt."""
        return self.filter(status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.FAILED])


class OutgoingEmail(models.Model):
    """
    The outbox. Every email of the site is written here in the same transaction as
    the change that causes it, sent right after commit, and retried by `run_jobs`
    while the mail server is away. The row stays as the record of what was sent.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, will retry"
        GAVE_UP = "gave_up", "Gave up"

    class Kind(models.TextChoices):
        REQUEST_RECEIVED = "request_received", "Request received"
        CONFIRMED = "confirmed", "Confirmed"
        RESCHEDULED = "rescheduled", "New time"
        CANCELLED = "cancelled", "Cancelled"
        INSTRUCTIONS = "instructions", "Instructions (resent)"
        REMINDER = "reminder", "Reminder"
        APPOINTMENT_REMINDER = "appointment_reminder", "Appointment reminder"
        # Health questions or consent still to do (intake.reminders): the link only.
        INTAKE_REMINDER = "intake_reminder", "Reminder: health questions and consent"
        RECEPTION_NEW = "reception_new", "To reception: new request"
        RECEPTION_CHANGE = "reception_change", "To reception: patient changed booking"
        FOLLOW_UP = "follow_up", "Follow-up after the appointment"
        WAITLIST_JOINED = "waitlist_joined", "Waitlist: joined"
        WAITLIST_OFFER = "waitlist_offer", "Waitlist: a time to book"

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="emails", null=True, blank=True
    )
    kind = models.CharField(max_length=30, choices=Kind)
    reminder = models.ForeignKey(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    # A follow-up's one-click "stop these" address (List-Unsubscribe, RFC 8058).
    unsubscribe_url = models.URLField(max_length=300, blank=True)
    # The appointment time a reminder was for: a rescheduled booking gets its
    # reminders again for the new time, and never twice for the same one.
    appointment_start = models.DateTimeField(null=True, blank=True)

    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # The invitation (the appointment alone, METHOD:REQUEST or CANCEL) and the
    # preparation days (METHOD:PUBLISH), as sent: see booking.ics.
    ics = models.TextField("invitation (.ics)", blank=True)
    preparation_ics = models.TextField("preparation days (.ics)", blank=True)

    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "email"
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "reminder", "appointment_start"],
                condition=Q(reminder__isnull=False),
                name="one_email_per_reminder_and_appointment_time",
            ),
            # The service's own appointment reminder (Service.reminder_day): once
            # per booking and appointment time, like the instructions' reminders.
            models.UniqueConstraint(
                fields=["booking", "appointment_start"],
                condition=Q(kind="appointment_reminder"),
                name="one_appointment_reminder_per_appointment_time",
            ),
            models.UniqueConstraint(
                fields=["booking", "follow_up"],
                condition=Q(follow_up__isnull=False),
                name="one_email_per_follow_up",
            ),
            # The intake reminder (intake.reminders): once per booking and appointment time.
            models.UniqueConstraint(
                fields=["booking", "appointment_start"],
                condition=Q(kind="intake_reminder"),
                name="one_intake_reminder_per_appointment_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
