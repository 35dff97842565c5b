"""
The reception desk and the clinic's rules, in the Django admin.

A booking's status changes only through booking.workflow (one-click actions on the
list, buttons on the booking), so the patient is always told and every step is in
the booking's history with the staff member who took it. A new time is checked
against the same rules as a patient's booking, except the minimum notice, under
the booking lock. Who may do what: the staff groups in
booking/migrations/0003_staff_groups.py.
"""

import csv
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Func, QuerySet, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import SimpleTemplateResponse, TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST, require_safe
from simple_history.admin import SimpleHistoryAdmin

from booking import availability, emails, outbox, workflow
from booking.clock import clinic_zone, format_day, format_time
from booking.models import (
    Booking,
    BookingPolicy,
    Closure,
    Instruction,
    OpeningHours,
    OutgoingEmail,
    Reminder,
    Service,
)

logger = logging.getLogger(__name__)
Status = Booking.Status

ADMIN_CSS = {"all": ["css/admin-booking.css"]}


# --- Clinic time ----------------------------------------------------------------


def clinic_today() -> date:
    return timezone.now().astimezone(clinic_zone()).date()


def clinic_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clinic_zone())


def short_when(moment: datetime) -> str:
    """'Tue 8 Dec 2026, 10:00 am', in the clinic's time."""
    local = moment.astimezone(clinic_zone())
    return f"{local:%a} {local.day} {local:%b %Y}, {format_time(local)}"


def rendered_in_clinic_time(view: Callable[..., HttpResponse], *args, **kwargs) -> HttpResponse:
    """
    Run and render an admin view with the clinic's zone as the current one, so every
    date and time the admin shows or reads (lists, forms, history, inlines) is
    clinic time rather than the server's UTC. Rendering happens here because a
    template response would otherwise render after the override has ended.
    """
    with timezone.override(clinic_zone()):
        response = view(*args, **kwargs)
        if isinstance(response, SimpleTemplateResponse):
            response.render()
    return response


class ClinicTimeMixin:
    def changelist_view(self, request, extra_context=None):
        return rendered_in_clinic_time(super().changelist_view, request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return rendered_in_clinic_time(
            super().changeform_view, request, object_id, form_url, extra_context
        )

    def history_view(self, request, object_id, extra_context=None):
        return rendered_in_clinic_time(super().history_view, request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return rendered_in_clinic_time(super().delete_view, request, object_id, extra_context)


# --- Finding bookings -----------------------------------------------------------


class DayFilter(admin.SimpleListFilter):
    """
    Bookings by day in the clinic's calendar (a receptionist's "today" is the
    clinic's today, whatever the server's zone). "This week" is Monday to Sunday.

    Without a choice the list starts at today, so the desk opens on what is next
    rather than on two years of history; a search looks through every booking.
    """

    title = "day"
    parameter_name = "day"
    CHOICES = [
        ("today", "Today"),
        ("tomorrow", "Tomorrow"),
        ("week", "This week"),
        ("upcoming", "Upcoming (from today)"),
        ("past", "Past"),
        ("all", "All"),
    ]

    def __init__(self, request, params, model, model_admin):
        self.searching = bool(request.GET.get(SEARCH_VAR, "").strip())
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return self.CHOICES

    def selected(self) -> str:
        value = self.value()
        if value in dict(self.CHOICES):
            return value
        return "all" if self.searching else "upcoming"

    def choices(self, changelist):
        selected = self.selected()
        for value, label in self.lookup_choices:
            yield {
                "selected": value == selected,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        today = clinic_today()
        match self.selected():
            case "today":
                return queryset.on_day(today)
            case "tomorrow":
                return queryset.on_day(today + timedelta(days=1))
            case "week":
                monday = today - timedelta(days=today.weekday())
                return queryset.filter(
                    start__gte=clinic_midnight(monday),
                    start__lt=clinic_midnight(monday + timedelta(days=7)),
                )
            case "upcoming":
                return queryset.filter(start__gte=clinic_midnight(today))
            case "past":
                return queryset.filter(start__lt=clinic_midnight(today))
        return queryset


# Patients give their number in any format: "404-555-0100" must find "+1 404 555 0100".
_PHONE_LIKE = re.compile(r"[\d\s()+.\-]+")


def phone_digits() -> Func:
    expression = F("phone")
    for character in " -()+.":
        expression = Func(expression, Value(character), Value(""), function="REPLACE")
    return expression


# --- Status steps ---------------------------------------------------------------


def _after_start(step: Callable[[Booking], None], what: str) -> Callable[[Booking], None]:
    # A slip of the mouse must not mark tomorrow's patient as a no-show.
    def run(booking: Booking) -> None:
        if not booking.has_started():
            raise workflow.TransitionNotAllowed(
                f"A booking cannot be marked {what} before its appointment has started."
            )
        step(booking)

    return run


def resend_instructions(booking: Booking) -> None:
    if not booking.holds_place:
        raise workflow.TransitionNotAllowed(
            "Instructions are resent only for requested or confirmed bookings."
        )
    with transaction.atomic():
        emails.resend_instructions(booking)


@dataclass(frozen=True)
class Step:
    label: str
    run: Callable[[Booking], None]
    done: str  # completes "2 bookings …"
    allowed: Callable[[Booking], bool]
    danger: bool = False


STEPS = {
    "confirm": Step(
        "Confirm",
        workflow.confirm,
        "confirmed; the patient has been emailed",
        lambda b: b.status in workflow.ALLOWED_FROM[Status.CONFIRMED],
    ),
    "complete": Step(
        "Mark completed",
        _after_start(workflow.complete, "completed"),
        "marked completed",
        lambda b: b.status in workflow.ALLOWED_FROM[Status.COMPLETED] and b.has_started(),
    ),
    "no_show": Step(
        "Mark no-show",
        _after_start(workflow.mark_no_show, "no-show"),
        "marked as no-show",
        lambda b: b.status in workflow.ALLOWED_FROM[Status.NO_SHOW] and b.has_started(),
    ),
    "resend": Step(
        "Resend instructions",
        resend_instructions,
        "had their instructions resent",
        lambda b: b.holds_place,
    ),
    "cancel": Step(
        "Cancel booking",
        workflow.cancel,
        "cancelled; the patient has been emailed",
        lambda b: b.status in workflow.ALLOWED_FROM[Status.CANCELLED],
        danger=True,
    ),
}


# --- CSV export -----------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula: a patient
# who types "=HYPERLINK(…)" as their name must not get it run on the desk's PC.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


CSV_COLUMNS = [
    "Reference",
    "Day",
    "Time",
    "Service",
    "Status",
    "Name",
    "Phone",
    "Email",
    "Patient's note",
]


def csv_row(booking: Booking) -> list[str]:
    local = booking.local_start
    return [
        csv_safe(value)
        for value in (
            booking.reference,
            f"{local:%Y-%m-%d}",
            f"{local:%H:%M}",
            booking.service.name,
            booking.get_status_display(),
            booking.name,
            booking.phone,
            booking.email,
            booking.notes,
        )
    ]


# --- Forms ------------------------------------------------------------------------


def staff_slot(
    service: Service, start: datetime, *, exclude: Booking | None = None
) -> availability.Slot:
    """
    The slot at `start` for a booking made or moved at the desk, or SlotUnavailable.

    The patients' rules apply (opening hours, closures, capacity, horizon) except
    the minimum notice: reception may fit in a patient who calls this morning. The
    booking rules row is locked as in availability.reserve(); the admin handles a
    POST in one transaction, so the lock holds until the booking is saved.
    """
    with transaction.atomic():
        policy = BookingPolicy.objects.select_for_update().get(pk=1)
        policy.min_notice_hours = 0  # for this check only; never saved
        return availability.check_slot(service, start, policy=policy, exclude=exclude)


class BookingForm(forms.ModelForm):
    """The desk's booking form: the time as day + clinic time, checked for a free slot."""

    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(
        label="Time",
        help_text="Clinic time. The patient is emailed when the time changes.",
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
    )

    class Meta:
        model = Booking
        fields = ["service", "name", "email", "phone", "notes", "internal_notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_slot: availability.Slot | None = None
        if self.instance.pk:
            self.initial.setdefault("day", self.instance.local_start.date())
            self.initial.setdefault("time", self.instance.local_start.time())

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("day"), cleaned.get("time")
        service = cleaned.get("service") or (
            self.instance.service if self.instance.service_id else None
        )
        if day is None or at is None or service is None:
            return cleaned
        start = datetime.combine(day, at.replace(second=0, microsecond=0), tzinfo=clinic_zone())
        if self.instance.pk:
            if start == self.instance.start:
                return cleaned
            if not self.instance.holds_place:
                self.add_error("time", "Only requested or confirmed bookings can be moved.")
                return cleaned
        moving = self.instance if self.instance.pk else None
        try:
            self.new_slot = staff_slot(service, start, exclude=moving)
        except availability.SlotUnavailable as error:
            self.add_error("time", str(error))
        return cleaned


class BookingAddForm(BookingForm):
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


# --- Bookings ----------------------------------------------------------------------


class OutgoingEmailInline(admin.TabularInline):
    """Every message sent or failed for the booking: the record the desk looks at."""

    model = OutgoingEmail
    fields = ["created_at", "kind", "to", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields
    ordering = ["-created_at"]
    extra = 0
    can_delete = False
    verbose_name_plural = "emails to and about this booking"
    classes = ["booking-emails"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(ClinicTimeMixin, SimpleHistoryAdmin):
    form = BookingForm
    add_form = BookingAddForm
    # Status second: on a phone the table scrolls sideways and status must stay in view.
    list_display = ["when", "status_badge", "name", "phone", "service", "reference"]
    list_display_links = ["when", "name"]
    list_filter = [DayFilter, "status", "service"]
    list_select_related = ["service"]
    search_fields = ["reference", "name", "email", "phone"]
    search_help_text = "Search by name, email, phone or reference."
    ordering = ["start", "pk"]
    list_per_page = 50
    inlines = [OutgoingEmailInline]
    actions = [
        "confirm_bookings",
        "complete_bookings",
        "mark_no_shows",
        "cancel_bookings",
        "resend_instructions",
        "export_csv",
    ]
    # The patient's signed link is built from the access key: it never appears here.
    view_on_site = False
    history_list_display = ["status", "history_when"]
    change_form_template = "admin/booking/booking/change_form.html"
    change_list_template = "admin/booking/booking/change_list.html"

    class Media:
        css = ADMIN_CSS

    # Change form

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                ("Appointment", {"fields": ["service", "day", "time"]}),
                ("Patient", {"fields": ["name", "email", "phone", "notes", "consent"]}),
                ("For staff only", {"fields": ["internal_notes"]}),
            ]
        return [
            ("Appointment", {"fields": ["reference", "service_name", "day", "time"]}),
            ("Patient", {"fields": ["name", "email", "phone", "notes"]}),
            (
                "For staff only",
                {"fields": ["internal_notes"]},
            ),
            (
                "Record",
                {
                    "fields": ["consent_record", "created_at", "updated_at"],
                    "classes": ["collapse"],
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # The service fixes the length of the slot: a different service is a new booking.
        # The note is the patient's own words.
        return ["reference", "service_name", "notes", "consent_record", "created_at", "updated_at"]

    def get_inlines(self, request, obj=None):
        return self.inlines if obj is not None else []

    @admin.display(description="service")
    def service_name(self, booking: Booking) -> str:
        # Plain text: a link would lead receptionists to a page they may not open.
        return booking.service.name

    @admin.display(description="consent")
    def consent_record(self, booking: Booking) -> str:
        if booking.consent_at is None:
            return "Not recorded"
        return f"Version {booking.consent_version}, given {short_when(booking.consent_at)}"

    def save_model(self, request, obj, form, change):
        slot = form.new_slot
        if not change:
            obj.start, obj.end = slot.start, slot.end
            obj.consent_at = timezone.now()
            obj.consent_version = BookingPolicy.current().consent_version
            super().save_model(request, obj, form, change)
            # Agreed with the patient on the spot: confirmed at once, so the patient
            # gets the confirmation with their instructions.
            workflow.confirm(obj)
            logger.info("booking %s made and confirmed at the desk", obj.reference)
            return
        if slot is not None:
            obj.start, obj.end = slot.start, slot.end
            obj.sequence += 1
        super().save_model(request, obj, form, change)
        if slot is not None:
            emails.notify_rescheduled(obj, by_patient=False)
            logger.info("booking %s moved at the desk", obj.reference)
            self.message_user(
                request,
                f"{obj.reference} moved to {obj.when}; the patient has been emailed.",
                messages.SUCCESS,
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            context["status_steps"] = [
                {
                    "label": step.label,
                    "url": reverse("admin:booking_booking_step", args=[obj.pk, key]),
                    "danger": step.danger,
                }
                for key, step in STEPS.items()
                if step.allowed(obj)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Reverting to an old version would change status and time behind the
    # workflow's back (no availability check, no email): history is read-only.
    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return rendered_in_clinic_time(
            super().history_form_view, request, object_id, version_id, extra_context
        )

    @admin.display(description="appointment")
    def history_when(self, record) -> str:
        return short_when(record.start)

    # List

    @admin.display(description="appointment", ordering="start")
    def when(self, booking: Booking) -> str:
        return short_when(booking.start)

    @admin.display(description="status", ordering="status")
    def status_badge(self, booking: Booking) -> str:
        return format_html(
            '<span class="status-badge status-{}">{}</span>',
            booking.status,
            booking.get_status_display(),
        )

    def get_ordering(self, request):
        if request.GET.get(DayFilter.parameter_name) == "past":
            return ["-start", "-pk"]  # the most recent visits first
        return super().get_ordering(request)

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        digits = re.sub(r"\D", "", term)
        if len(digits) >= 4 and _PHONE_LIKE.fullmatch(term):
            by_phone = queryset.alias(digits=phone_digits()).filter(digits__contains=digits)
            found = found | queryset.filter(pk__in=by_phone.values("pk"))
        return found, may_have_duplicates

    # Status steps: actions on the list, buttons on the booking

    def apply_step(self, request: HttpRequest, key: str, bookings: Iterable[Booking]) -> None:
        """Run one step on each booking; a refusal is reported and the rest still go ahead."""
        step = STEPS[key]
        done = []
        for booking in bookings:
            try:
                step.run(booking)  # each in its own transaction
            except workflow.TransitionNotAllowed as error:
                self.message_user(request, f"{booking.reference}: {error}", messages.ERROR)
            else:
                done.append(booking.reference)
                self.log_change(request, booking, f"{step.label}.")
                logger.info("booking %s: %s at the desk", booking.reference, key)
        if done:
            count = "1 booking" if len(done) == 1 else f"{len(done)} bookings"
            self.message_user(
                request, f"{count} {step.done}: {', '.join(done)}.", messages.SUCCESS
            )

    def _for_action(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("service").order_by("start", "pk")

    @admin.action(description="Confirm (emails the patient)", permissions=["change"])
    def confirm_bookings(self, request, queryset):
        self.apply_step(request, "confirm", self._for_action(queryset))

    @admin.action(description="Mark completed", permissions=["change"])
    def complete_bookings(self, request, queryset):
        self.apply_step(request, "complete", self._for_action(queryset))

    @admin.action(description="Mark no-show", permissions=["change"])
    def mark_no_shows(self, request, queryset):
        self.apply_step(request, "no_show", self._for_action(queryset))

    @admin.action(description="Cancel (emails the patient)", permissions=["change"])
    def cancel_bookings(self, request, queryset):
        self.apply_step(request, "cancel", self._for_action(queryset))

    @admin.action(description="Resend instructions (emails the patient)", permissions=["change"])
    def resend_instructions(self, request, queryset):
        self.apply_step(request, "resend", self._for_action(queryset))

    @admin.action(description="Export to CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        # No personal data in the file name: it ends up in download folders and logs.
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="bookings-{clinic_today():%Y-%m-%d}.csv"'
        )
        response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_row(booking) for booking in self._for_action(queryset))
        logger.info("bookings exported to CSV at the desk: %d", queryset.count())
        return response

    # Extra pages

    def get_urls(self):
        return [
            path(
                "day-sheet/",
                self.admin_site.admin_view(require_safe(self.day_sheet_view)),
                name="booking_booking_day_sheet",
            ),
            path(
                "<path:object_id>/step/<slug:key>/",
                self.admin_site.admin_view(require_POST(self.step_view)),
                name="booking_booking_step",
            ),
            *super().get_urls(),
        ]

    def step_view(self, request: HttpRequest, object_id: str, key: str) -> HttpResponse:
        """One status step from the buttons on a booking (POST, with the CSRF token)."""
        booking = self.get_object(request, unquote(object_id))
        if booking is None or key not in STEPS:
            raise Http404
        if not self.has_change_permission(request, booking):
            raise PermissionDenied
        self.apply_step(request, key, [booking])
        return redirect("admin:booking_booking_change", booking.pk)

    def day_sheet_view(self, request: HttpRequest) -> HttpResponse:
        """The printable list of one day's bookings; the URL carries the date only."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if "day" in request.GET:
            form = DaySheetForm(request.GET)
            day = form.cleaned_data["day"] if form.is_valid() else None
        else:
            day = clinic_today()
            form = DaySheetForm(initial={"day": day})
        bookings = (
            list(Booking.objects.on_day(day).select_related("service").order_by("start", "pk"))
            if day
            else []
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Day sheet: {format_day(day)}" if day else "Day sheet",
            "form": form,
            "day": day,
            "bookings": bookings,
            "rows": [
                {
                    "booking": booking,
                    "time": f"{format_time(booking.local_start)} – {format_time(booking.local_end)}",
                }
                for booking in bookings
            ],
            "holding": [b for b in bookings if b.holds_place],
            "previous_day": day and day - timedelta(days=1),
            "next_day": day and day + timedelta(days=1),
            "today": clinic_today(),
            "media": self.media,
        }
        return rendered_in_clinic_time(
            TemplateResponse, request, "admin/booking/booking/day_sheet.html", context
        )


# --- The outbox ----------------------------------------------------------------------


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ClinicTimeMixin, admin.ModelAdmin):
    """Read-only: emails are records of what was sent. Managers may retry failed ones."""

    list_display = ["created_at", "kind", "booking_link", "to", "status_badge", "attempts"]
    list_display += ["sent_at", "last_error"]
    list_filter = ["status", "kind"]
    list_select_related = ["booking"]
    search_fields = ["booking__reference", "to", "subject"]
    search_help_text = "Search by booking reference, recipient or subject."
    actions = ["retry_now"]
    fields = ["booking", "kind", "reminder", "appointment_start", "to", "subject", "body_text"]
    fields += ["status", "attempts", "next_attempt_at", "last_error", "created_at", "sent_at"]
    readonly_fields = fields

    class Media:
        css = ADMIN_CSS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # change_outgoingemail allows the retry action on the list, never an edit.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="booking", ordering="booking__start")
    def booking_link(self, email: OutgoingEmail) -> str:
        if email.booking is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:booking_booking_change", args=[email.booking_id]),
            email.booking.reference,
        )

    @admin.display(description="status", ordering="status")
    def status_badge(self, email: OutgoingEmail) -> str:
        return format_html(
            '<span class="status-badge email-{}">{}</span>',
            email.status,
            email.get_status_display(),
        )

    @admin.action(description="Retry now (failed emails only)", permissions=["change"])
    def retry_now(self, request, queryset):
        count = outbox.retry_now(queryset)
        skipped = queryset.count() - count
        self.message_user(
            request,
            f"{count} email(s) will be sent again on the next mail run."
            + (f" {skipped} were not failed and were left alone." if skipped else ""),
            messages.SUCCESS if count else messages.WARNING,
        )


# --- Services and the clinic's rules (managers) -----------------------------------------


class InstructionInline(admin.StackedInline):
    model = Instruction
    fields = [("title", "order"), "text", ("starts_day", "ends_day")]
    extra = 0


@admin.register(Service)
class ServiceAdmin(ClinicTimeMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "duration_minutes", "is_active", "order"]
    list_editable = ["is_active", "order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [InstructionInline]


@admin.register(Instruction)
class InstructionAdmin(ClinicTimeMixin, SimpleHistoryAdmin):
    """The same instructions as on their service, here for their history."""

    list_display = ["title", "service", "starts_day", "ends_day", "order"]
    list_filter = ["service"]
    list_select_related = ["service"]


@admin.register(Reminder)
class ReminderAdmin(ClinicTimeMixin, SimpleHistoryAdmin):
    list_display = ["instruction", "service", "day", "at", "is_active"]
    list_filter = ["instruction__service", "is_active"]
    list_select_related = ["instruction__service"]

    @admin.display(description="service", ordering="instruction__service")
    def service(self, reminder: Reminder) -> Service:
        return reminder.instruction.service


@admin.register(OpeningHours)
class OpeningHoursAdmin(ClinicTimeMixin, admin.ModelAdmin):
    list_display = ["weekday", "opens", "closes"]


@admin.register(Closure)
class ClosureAdmin(ClinicTimeMixin, admin.ModelAdmin):
    list_display = ["date", "reason"]
    date_hierarchy = "date"


@admin.register(BookingPolicy)
class BookingPolicyAdmin(ClinicTimeMixin, SimpleHistoryAdmin):
    """One row of rules: no adding a second, no deleting the one."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not BookingPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if self.has_view_or_change_permission(request):
            return redirect("admin:booking_bookingpolicy_change", BookingPolicy.current().pk)
        return super().changelist_view(request, extra_context)
