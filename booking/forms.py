"""
The patient's booking forms.

Forms own validation: every text has a max_length, clean_* methods normalise what
was typed, and every message is written for a patient. Whether a day or a time can
be had is decided by booking.availability (day_refusal and check_slot here,
reserve and move under the lock in booking.workflow).
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import time

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from booking import availability, phones
from booking.availability import Rules, SlotUnavailable
from booking.models import Booking, Service
from clinic import clock

# Characters nobody means to type: controls (line breaks, tabs, NUL, ESC, BEL, DEL,
# C1), format characters (right-to-left override U+202E, zero-width space U+200B,
# soft hyphen…) and Unicode line separators. In a name a line break could end an
# email header early ("Pat\r\nBcc: …"); a right-to-left override or a zero-width
# space makes one name look like another in the admin, the CSV and emails. Text
# holding one is refused with a message rather than quietly repaired.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
TIME_VALUE = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")

TOO_LONG = gettext_lazy("Please use at most %(limit_value)d characters (you used %(show_value)d).")


# --- Plain text ------------------------------------------------------------------


def refuse_invisible(value: str, *, message: str, keep: str = "") -> str:
    """
    `value` unchanged, or ValidationError(message) if it holds a control or format
    character (see INVISIBLE_CATEGORIES) other than those in `keep`. Every free
    text a patient types goes through here.
    """
    for character in value:
        if character not in keep and unicodedata.category(character) in INVISIBLE_CATEGORIES:
            raise forms.ValidationError(message, code="invisible_character")
    return value


# --- The forms -----------------------------------------------------------------


class PhoneField(forms.CharField):
    """A phone number as typed by a patient or the desk, cleaned to E.164 (booking.phones)."""

    default_error_messages = {
        "invalid": gettext_lazy(
            "Please enter a phone number with its area code, e.g. (770) 555-0142. "
            "For a number outside the US, start with + and the country code."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # A stored number is shown as people write it; what was typed stays as typed.
        if isinstance(value, str) and value.startswith("+") and value[1:].isdigit():
            return phones.display(value)
        return value

    def has_changed(self, initial, data) -> bool:
        # "(404) 555-0100" as shown is the stored "+14045550100": not a change.
        try:
            return (initial or "") != phones.normalise(data or "")
        except phones.InvalidPhone:
            return True

    def clean(self, value) -> str:
        value = super().clean(value)
        if not value:
            return value
        try:
            return phones.normalise(value)
        except phones.InvalidPhone:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class SlotFields(forms.Form):
    """A day and a time on it; cleaned into `start`, an aware datetime in clinic time."""

    date = forms.DateField(
        label=gettext_lazy("Day"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Please choose a day."),
            "invalid": gettext_lazy(
                "Please enter the day as YYYY-MM-DD, or pick it from the calendar."
            ),
        },
    )
    # Rendered by templates/booking/includes/time_picker.html as radio buttons of
    # the day's free times; any other value is refused in clean().
    time = forms.CharField(
        label=gettext_lazy("Time"),
        max_length=5,
        error_messages={
            "required": gettext_lazy("Please choose a time."),
            "max_length": gettext_lazy("Please choose a time from the list."),
        },
    )

    def __init__(self, *args, rules: Rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        self.fields["date"].widget.attrs.update(
            min=rules.first_day().isoformat(), max=rules.last_day.isoformat()
        )

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        problem = availability.day_refusal(self.rules, day)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def clean_time(self) -> time:
        match = TIME_VALUE.match(self.cleaned_data["time"])
        if not match:
            raise forms.ValidationError(gettext("Please choose a time from the list."))
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
        start = clock.at(day, at)
        try:
            availability.check_slot(self.rules, service, start, exclude=self.booking_to_exclude())
        except SlotUnavailable as error:
            self.add_error("time", str(error))
        else:
            cleaned["start"] = start
        return cleaned


class PatientDetails(forms.Form):
    """
    Who the patient is and their agreement: the booking form's and the waitlist's
    (waitlist.forms). `policy` is the BookingPolicy whose consent statement is shown.
    """

    name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": gettext_lazy("Please enter your name."),
            "max_length": TOO_LONG,
        },
    )
    email = forms.EmailField(
        label=gettext_lazy("Email"),
        max_length=254,
        help_text=gettext_lazy("We send your confirmation and preparation instructions here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": gettext_lazy("Please enter your email address."),
            "invalid": gettext_lazy("Please enter an email address like name@example.com."),
            "max_length": TOO_LONG,
        },
    )
    phone = PhoneField(
        label=gettext_lazy("Phone"),
        help_text=gettext_lazy("In case we need to reach you about your appointment."),
        error_messages={
            "required": gettext_lazy("Please enter a phone number."),
            "max_length": TOO_LONG,
        },
    )
    consent = forms.BooleanField(
        error_messages={
            "required": gettext_lazy(
                "Please tick the box to agree, so that we can arrange your appointment."
            )
        },
    )
    # The honeypot: hidden from people (booking.css, aria-hidden, tabindex=-1),
    # filled in by form-filling bots. See clean().
    website = forms.CharField(
        label=gettext_lazy("Leave this empty"), required=False, max_length=200
    )

    HONEYPOT_MESSAGE = gettext_lazy(
        "Sorry, we could not send your request. Please check your details and try again, "
        "or call us."
    )

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        consent = self.fields["consent"]
        # Its Spanish not reviewed yet: the English statement, marked as English.
        consent.label = (
            format_html('<span lang="en">{}</span>', policy.consent_text)
            if policy.translation_pending
            else policy.consent_text
        )
        consent.help_text = format_html(
            gettext(
                '<a href="{}">Read our privacy notice</a> to see how we look after your details.'
            ),
            reverse("privacy"),
        )
        if policy.translation_pending:
            consent.help_text = format_html(
                "{} {}",
                gettext(
                    "This statement is shown in English while our clinical team reviews its "
                    "Spanish version."
                ),
                consent.help_text,
            )
        self.caught_by_honeypot = False

    def clean_name(self) -> str:
        name = refuse_invisible(
            self.cleaned_data["name"],
            message=gettext("Please write your name on one line, without special characters."),
        )
        name = " ".join(name.split())
        if not any(character.isalpha() for character in name):
            raise forms.ValidationError(gettext("Please enter your name."))
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        local, _, domain = email.rpartition("@")
        # Domains are case-insensitive; the part before @ may not be, so it stays.
        return f"{local}@{domain.lower()}"

    def clean(self) -> dict:
        if self.data.get("website"):
            # A bot filled the hidden field. Nothing is stored; a person whose
            # browser filled it by mistake reads a plain message, not a fake success.
            self.caught_by_honeypot = True
            raise forms.ValidationError(self.HONEYPOT_MESSAGE, code="honeypot")
        cleaned = super().clean()
        shown = self.data.get("consent_version")
        if cleaned.get("consent") and shown and shown != self.policy.consent_version:
            self.add_error(
                "consent",
                gettext(
                    "We have updated this statement since you opened the page. "
                    "Please read it, then send your request again."
                ),
            )
        return cleaned


class ServiceChoice(forms.Form):
    """
    The bookable services as cards (templates/booking/includes/service_choice.html):
    the booking form's and the waitlist's. Each choice's label is its Service.
    """

    service = forms.ModelChoiceField(
        label=gettext_lazy("Service"),
        queryset=Service.objects.none(),
        to_field_name="slug",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Please choose a service."),
            "invalid_choice": gettext_lazy("Please choose one of our services."),
        },
    )

    def __init__(self, *args, services: Iterable[Service] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        field.queryset = Service.objects.bookable()
        # The view may have the list already; reuse it for rendering the choices.
        self.services = list(services) if services is not None else list(field.queryset)
        field.choices = [(service.slug, service) for service in self.services]

    @property
    def names_pending(self) -> bool:
        """Some service's Spanish is not reviewed yet: its English is shown, with a note."""
        return any(service.translation_pending for service in self.services)


class RequestForm(SlotFields, ServiceChoice, PatientDetails):
    """A patient asks for an appointment (/book/)."""

    field_order = ["service", "date", "time", "name", "email", "phone", "notes", "consent"]

    notes = forms.CharField(
        label=gettext_lazy("Anything we should know? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For example, questions you have. Please do not include medical records."
        ),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, rules: Rules, **kwargs):
        super().__init__(*args, rules=rules, policy=rules.policy, **kwargs)

    def clean_notes(self) -> str:
        notes = refuse_invisible(
            self.cleaned_data["notes"],
            message=gettext(
                "Your note holds a hidden special character (this happens with text "
                "copied from another program). Please type the note again."
            ),
            # Line breaks and tabs are tidied below; the zero-width joiner only
            # holds emoji sequences together (woman + ZWJ + medical symbol).
            keep="\r\n\t\u200d",
        )
        notes = notes.replace("\r\n", "\n").replace("\r", "\n")
        lines = [" ".join(line.split()) for line in notes.split("\n")]
        # Keep the patient's paragraphs, drop runs of empty lines.
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    def service_for_slot(self) -> Service | None:
        return self.cleaned_data.get("service")

    def clean(self) -> dict:
        cleaned = super().clean()
        # Told at once, with the other errors; the rule itself is availability's, and
        # reserve() checks it again under the booking lock.
        service, start, email = (cleaned.get(name) for name in ("service", "start", "email"))
        if service and start and email and "service" not in self.errors:
            if problem := availability.consultation_refusal(service, start, email):
                self.add_error("service", problem)
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
            self.add_error("time", gettext("That is already your appointment time."))
        return cleaned
