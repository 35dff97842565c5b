"""The desk's forms: a booking made or moved for a caller, and the day sheet's day."""

from datetime import date, datetime

from django import forms
from django.conf import settings

from booking import availability, workflow
from booking.forms import PhoneField, refuse_invisible
from booking.models import Booking, BookingPolicy, Closure, OpeningHours, Service
from booking.picker import Picker, build_picker, parse_day
from clinic import clock

# availability's refusals are written for patients ("or call us"); the desk reads
# these instead. A refused day keeps its own message: it names the day and why.
FOR_STAFF = {
    "past": "That time has already passed. Choose a later free time.",
    "notice": (
        "That time is inside the minimum notice patients must give. Tick “Skip the "
        "minimum notice” to book it anyway."
    ),
    "not_a_time": "That is not one of the clinic's appointment times. Choose a free time.",
    "taken": "That time is full now (another booking took it). Choose another free time.",
    "consultation": (
        "This patient has no consultation before this time (none completed, and none "
        "booked to end before it under this email). Book the consultation first, or "
        "tick “Book without a consultation” if a clinician agreed."
    ),
}


class DeskBookingForm(forms.ModelForm):
    """
    The desk's booking: the patient's details, and the time as a day and one of its
    free times from the same picker patients use (booking/picker.py,
    time_picker.html), checked against the same rules as a patient's booking.
    Reception may skip the minimum notice (a patient who calls this morning);
    nothing else. Without JavaScript, "Show free times" and the day buttons post
    the form: it comes back with that day's times and everything typed, saving nothing.
    """

    phone = PhoneField(label="Phone")
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    # Posted by the picker's radio buttons as HH:MM. Left out on a booking: no move.
    time = forms.TimeField(
        label="Time",
        required=False,
        help_text="Clinic time. The patient is emailed when the time changes.",
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
    )
    # The language of the patient's emails and pages: a Spanish-speaking caller gets
    # Spanish ones. English unless the desk chooses otherwise.
    language = forms.ChoiceField(
        label="Patient's language",
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,
        help_text="Emails, reminders and the patient's booking page are in this language.",
    )
    skip_notice = forms.BooleanField(
        label="Skip the minimum notice",
        required=False,
        initial=True,
        help_text="Lets you book or move to a time sooner than patients may book online.",
    )

    class Meta:
        model = Booking
        fields = ["service", "name", "email", "phone", "notes", "language", "internal_notes"]

    def __init__(self, data=None, *args, **kwargs):
        self.showing_times = data is not None and ("_show_times" in data or "pick_date" in data)
        if self.showing_times and data.get("pick_date"):
            data = data.copy()
            data["day"] = data["pick_date"]  # a day button: that day's times
        super().__init__(data, *args, **kwargs)
        self.start: datetime | None = None  # set when the form asks for a new time
        if self.instance.pk:
            self.initial.setdefault("day", self.instance.local_start.date())

    def picker(self, rules: availability.Rules) -> Picker:
        """The free times the desk is shown: for the chosen service and day."""
        source = self.data if self.is_bound else self.initial
        service = self.instance.service if self.instance.pk else None
        if service is None:
            try:
                service = Service.objects.bookable().get(pk=source.get("service") or 0)
            except (Service.DoesNotExist, ValueError, TypeError):
                service = None
        day = source.get("day")
        day = parse_day(day) if isinstance(day, str) else day
        return build_picker(
            rules,
            service,
            day,
            moving=self.instance if self.instance.pk else None,
            none_free=(
                "No free times in the booking horizon: every time is booked or closed. "
                "Offer the waitlist, or check Opening hours and Closures."
            ),
        )

    def clean_language(self) -> str:
        # Not posted (an older form, a script): keep what the booking has.
        return self.cleaned_data["language"] or self.instance.language or settings.LANGUAGE_CODE

    def clean_name(self) -> str:
        # As on the patient's form: a pasted name must not carry a hidden character
        # into emails, the CSV or the day sheet.
        return refuse_invisible(
            self.cleaned_data["name"], message="Please type the name without special characters."
        )

    def clean_notes(self) -> str:
        return refuse_invisible(
            self.cleaned_data["notes"],
            message="The note holds a hidden special character; please type it again.",
            keep="\r\n\t\u200d",
        )

    def clean(self):
        if self.showing_times:
            # The page comes back with the day's free times; nothing is saved.
            raise forms.ValidationError(
                "Choose one of the free times below, then save.", code="showing_times"
            )
        cleaned = super().clean()
        day, at = cleaned.get("day"), cleaned.get("time")
        if self.instance.pk and at is None and day and day != self.instance.local_start.date():
            self.add_error("time", "Choose one of the free times on the new day, then save.")
            return cleaned
        service = cleaned.get("service") or (
            self.instance.service if self.instance.service_id else None
        )
        if day is None or at is None or service is None:
            return cleaned
        start = clock.at(day, at.replace(second=0, microsecond=0))
        if self.instance.pk and start == self.instance.start:
            return cleaned
        if self.instance.pk and (problem := self._move_refusal()):
            self.add_error("time", problem)
            return cleaned
        # Locked here and held until the admin's transaction for this POST ends,
        # so the time checked is the time saved (the step re-checks under it).
        rules = availability.Rules.locked(skip_notice=cleaned.get("skip_notice", False))
        try:
            availability.check_slot(
                rules, service, start, exclude=self.instance if self.instance.pk else None
            )
        except availability.SlotUnavailable as error:
            self.add_error("time", FOR_STAFF.get(error.code, str(error)))
            return cleaned
        if not self.instance.pk and not cleaned.get("without_consultation"):
            # The same rule as the patient's (availability), under the same lock;
            # only the desk may override it, explicitly.
            email = cleaned.get("email") or ""
            if availability.consultation_refusal(service, start, email):
                self.add_error("without_consultation", FOR_STAFF["consultation"])
                return cleaned
        self.start = start
        return cleaned

    def _move_refusal(self) -> str | None:
        return workflow.refusal(self.instance, "move")

    def details(self) -> dict[str, str]:
        """The patient's details as typed, for a new booking."""
        return {
            key: self.cleaned_data[key] for key in ("name", "email", "phone", "notes", "language")
        }


class DeskBookingAddForm(DeskBookingForm):
    """
    A caller's booking: the service, then a day and one of its free times from the
    same picker patients use (booking/picker.py, time_picker.html), then the details.
    Without JavaScript, "Show free times" and the day buttons post the form: it comes
    back with that day's times and everything typed so far, and saves nothing.
    """

    consent = forms.BooleanField(
        label="The patient agreed",
        help_text="Read the agreement to the patient; tick only when they said yes.",
    )
    without_consultation = forms.BooleanField(
        label="Book without a consultation",
        required=False,
        help_text=(
            "Only for a service that requires a consultation first, when the patient has "
            "none before this time and a clinician agreed. Kept in the booking's history."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "consent"
        ].label = f"The patient agreed: “{BookingPolicy.current().consent_text}”"
        service = self.fields["service"]
        service.queryset = Service.objects.bookable()
        service.empty_label = None
        service.widget = forms.RadioSelect(choices=service.choices)
        self.fields["time"].required = True


class WeekForm(forms.Form):
    """Any day of the week to show; the week view starts on its Monday."""

    week = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a day as year-month-day, e.g. 2026-12-07."},
    )

    def clean_week(self) -> date:
        day = self.cleaned_data["week"]
        if not date(2000, 1, 8) <= day <= date(2999, 12, 24):
            raise forms.ValidationError("Enter a day between the years 2000 and 2999.")
        return day


class PeriodForm(forms.Form):
    """The period of the clinic's numbers: appointments from `first` to `last`."""

    first = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the day as year-month-day, e.g. 2026-09-01."},
    )
    last = forms.DateField(
        label="Until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the day as year-month-day, e.g. 2026-11-30."},
    )
    MAX_DAYS = 366 * 2

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if last < first:
                raise forms.ValidationError("The period must end on or after its first day.")
            if (last - first).days > self.MAX_DAYS:
                raise forms.ValidationError("Choose a period of at most two years.")
            if not (date(2000, 1, 1) <= first and last <= date(2999, 12, 31)):
                raise forms.ValidationError("Choose days between the years 2000 and 2999.")
        return cleaned


class DaySheetForm(forms.Form):
    day = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the day as year-month-day, e.g. 2026-12-08."},
    )

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        # Far-off years are typos, and the very last dates overflow datetime.
        if not date(2000, 1, 1) <= day <= date(2999, 12, 31):
            raise forms.ValidationError("Enter a day between the years 2000 and 2999.")
        return day


# --- Rules that would strand bookings ----------------------------------------------------


class StrandingCheck(forms.ModelForm):
    """
    A change to the clinic's days or hours that would leave upcoming bookings on a
    closed day or outside the hours is held back, listing them, until the manager
    ticks "Save anyway"; the bookings are then flagged "Needs attention" for the desk.
    """

    strand_anyway = forms.BooleanField(
        label="Save anyway",
        required=False,
        help_text=(
            "Only asked when the change leaves bookings on a closed day or outside the "
            "hours. They are then flagged for the desk to move or cancel."
        ),
    )

    def stranded(self, rules: availability.Rules) -> list[tuple[Booking, str]]:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("strand_anyway"):
            return cleaned
        if found := self.stranded(availability.Rules.load()):
            listed = "; ".join(
                f"{booking.reference} {clock.format_short_moment(booking.start)} ({booking.name})"
                for booking, _ in found
            )
            count = len(found)
            raise forms.ValidationError(
                f"This change leaves {count} upcoming booking{'s' if count > 1 else ''} "
                f"on a closed day or outside the hours: {listed}. Tick “Save anyway” to "
                "save it; each booking is then flagged “Needs attention” for the desk to "
                "move or cancel (the patient is told when they do). Or change nothing.",
                code="strands_bookings",
            )
        return cleaned


class ClosureForm(StrandingCheck):
    class Meta:
        model = Closure
        fields = ["date", "reason"]

    def stranded(self, rules):
        return availability.stranded_by_change(rules, closing=self.cleaned_data["date"])


class OpeningHoursForm(StrandingCheck):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]

    def stranded(self, rules):
        proposed = self.instance
        proposed.weekday = self.cleaned_data["weekday"]
        proposed.opens, proposed.closes = self.cleaned_data["opens"], self.cleaned_data["closes"]
        others = [period for period in rules.hours if period.pk != proposed.pk]
        return availability.stranded_by_change(rules, hours=[*others, proposed])
