"""The desk's forms: a booking made or moved for a caller, and the day sheet's day."""

from datetime import date, datetime

from django import forms

from booking import availability, workflow
from booking.forms import refuse_invisible
from booking.models import Booking, BookingPolicy
from clinic import clock


class DeskBookingForm(forms.ModelForm):
    """
    The desk's booking: the patient's details, and the time as day + clinic time,
    checked against the same rules as a patient's booking. Reception may skip the
    minimum notice (a patient who calls this morning); nothing else.
    """

    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(
        label="Time",
        help_text="Clinic time. The patient is emailed when the time changes.",
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
    )
    skip_notice = forms.BooleanField(
        label="Skip the minimum notice",
        required=False,
        initial=True,
        help_text="Lets you book or move to a time sooner than patients may book online.",
    )

    class Meta:
        model = Booking
        fields = ["service", "name", "email", "phone", "notes", "internal_notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.start: datetime | None = None  # set when the form asks for a new time
        if self.instance.pk:
            self.initial.setdefault("day", self.instance.local_start.date())
            self.initial.setdefault("time", self.instance.local_start.time())

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
        cleaned = super().clean()
        day, at = cleaned.get("day"), cleaned.get("time")
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
            self.add_error("time", str(error))
        else:
            self.start = start
        return cleaned

    def _move_refusal(self) -> str | None:
        return workflow.refusal(self.instance, "move")

    def details(self) -> dict[str, str]:
        """The patient's details as typed, for a new booking."""
        return {key: self.cleaned_data[key] for key in ("name", "email", "phone", "notes")}


class DeskBookingAddForm(DeskBookingForm):
    consent = forms.BooleanField(
        label="The patient agreed",
        help_text="Read the agreement to the patient; tick only when they said yes.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "consent"
        ].label = f"The patient agreed: “{BookingPolicy.current().consent_text}”"


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
