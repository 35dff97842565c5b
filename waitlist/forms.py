"""Joining the waitlist (/book/waitlist/): the days, the parts of the day, who to tell."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext, gettext_lazy

from booking.availability import Rules, consultation_refusal, day_refusal
from booking.forms import PatientDetails, ServiceChoice
from clinic import clock


def _day_field(label, required) -> forms.DateField:
    # Each day's message names it: the error summary lists both days' errors.
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": required,
            "invalid": gettext_lazy(
                "Please enter the day as YYYY-MM-DD, or pick it from the calendar."
            ),
        },
    )


class JoinForm(ServiceChoice, PatientDetails):
    field_order = [
        "service",
        "earliest",
        "latest",
        "mornings",
        "afternoons",
        "name",
        "email",
        "phone",
        "consent",
    ]

    earliest = _day_field(
        gettext_lazy("The earliest day you could come"),
        gettext_lazy("Please choose the earliest day you could come."),
    )
    latest = _day_field(
        gettext_lazy("The latest day you could come"),
        gettext_lazy("Please choose the latest day you could come."),
    )
    mornings = forms.BooleanField(label=gettext_lazy("Mornings"), required=False)
    afternoons = forms.BooleanField(label=gettext_lazy("Afternoons"), required=False)

    def __init__(self, *args, rules: Rules, **kwargs):
        super().__init__(*args, policy=rules.policy, **kwargs)
        self.rules = rules
        self.fields["email"].help_text = gettext_lazy(
            "We email you here when a time frees up, and about any time you book from the list."
        )
        self.fields["phone"].help_text = gettext_lazy("In case we need to reach you.")
        for name in ("earliest", "latest"):
            self.fields[name].widget.attrs.update(
                min=rules.today.isoformat(), max=rules.last_day.isoformat()
            )

    def clean_email(self) -> str:
        # One entry per address and service: the address in lower case.
        return super().clean_email().lower()

    def _check_day(self, name: str) -> None:
        day = self.cleaned_data.get(name)
        if day is None:
            return
        if day < self.rules.today:
            self.add_error(
                name,
                gettext("%(day)s has already passed. Please choose a later day.")
                % {"day": clock.format_day(day)},
            )
        elif day > self.rules.last_day:
            self.add_error(
                name,
                gettext(
                    "We take bookings up to %(days)d days ahead, until %(last_day)s. Please "
                    "choose an earlier day."
                )
                % {
                    "days": self.rules.policy.horizon_days,
                    "last_day": clock.format_day(self.rules.last_day),
                },
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        self._check_day("earliest")
        self._check_day("latest")
        earliest, latest = cleaned.get("earliest"), cleaned.get("latest")
        if earliest and latest and latest < earliest and "latest" not in self.errors:
            self.add_error(
                "latest",
                gettext("The latest day cannot be before the earliest day (%(day)s).")
                % {"day": clock.format_day(earliest)},
            )
        if not cleaned.get("mornings") and not cleaned.get("afternoons"):
            self.add_error("mornings", gettext("Please tick mornings, afternoons or both."))
        service, email = cleaned.get("service"), cleaned.get("email")
        if service and earliest and latest and not self.errors:
            self._check_bookable(service, earliest, latest)
        if service and email and latest and not self.errors:
            # As on /book/: a treatment only after a consultation, booked by the end of
            # the latest day at the latest; never a wait for offers that cannot come.
            day_after = clock.start_of_day(latest + timedelta(days=1))
            if problem := consultation_refusal(service, day_after, email):
                self.add_error("service", problem)
        return cleaned

    def _check_bookable(self, service, earliest: date, latest: date) -> None:
        """Some day of the range can be booked (open, with notice): else no offer could come."""
        days = [earliest + timedelta(days=n) for n in range((latest - earliest).days + 1)]
        refusals = [day_refusal(self.rules, day, service) for day in days]
        if all(refusals):
            self.add_error(
                "earliest",
                refusals[0]
                if len(days) == 1
                else gettext(
                    "We cannot book any day from %(earliest)s to %(latest)s (the clinic is "
                    "closed, or there is not enough notice). Please choose other days."
                )
                % {"earliest": clock.format_day(earliest), "latest": clock.format_day(latest)},
            )

    def entry_fields(self) -> dict:
        keys = (
            "service",
            "earliest",
            "latest",
            "mornings",
            "afternoons",
            "name",
            "email",
            "phone",
        )
        return {key: self.cleaned_data[key] for key in keys}
