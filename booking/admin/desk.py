"""
The reception desk: the bookings list and form, the status buttons and actions.

Every change goes through booking.workflow; this module only decides what to show
and which steps to offer (workflow.allowed_steps), and reports the outcome.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST, require_safe
from simple_history.admin import SimpleHistoryAdmin

from booking import availability, followups, phones, workflow
from booking.admin import views
from booking.admin.forms import DeskBookingAddForm, DeskBookingForm
from booking.models import Booking, BookingPolicy, OutgoingEmail
from clinic import clock
from clinic.admin_site import ClinicTimeMixin, ReadOnlyHistoryMixin

logger = logging.getLogger(__name__)

ADMIN_CSS = {"all": ["css/admin-booking.css"]}


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
        today = clock.today()
        match self.selected():
            case "today":
                return queryset.on_day(today)
            case "tomorrow":
                return queryset.on_day(today + timedelta(days=1))
            case "week":
                monday = today - timedelta(days=today.weekday())
                return queryset.on_days(monday, monday + timedelta(days=6))
            case "upcoming":
                return queryset.filter(start__gte=clock.start_of_day(today))
            case "past":
                return queryset.filter(start__lt=clock.start_of_day(today))
        return queryset


class AttentionFilter(admin.SimpleListFilter):
    """Upcoming bookings that a closure or shorter hours left stranded."""

    title = "attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("needed", "Needs attention")]

    def queryset(self, request, queryset):
        if self.value() != "needed":
            return queryset
        stranded = availability.stranded(availability.Rules.load())
        return queryset.filter(pk__in=[booking.pk for booking, _ in stranded])


# --- The booking ---------------------------------------------------------------------


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


def _email_state(email: OutgoingEmail) -> str:
    """What became of one email, for the desk: sent when, or why not yet."""
    queued = clock.format_short_moment(email.created_at)
    if email.status == OutgoingEmail.Status.SENT:
        return f"Sent {clock.format_short_moment(email.sent_at or email.created_at)}"
    if email.status == OutgoingEmail.Status.GAVE_UP:
        return f"Not delivered: the mail server refused it every time (written {queued})"
    if email.status == OutgoingEmail.Status.FAILED:
        return f"Not sent yet: the mail server failed, it will be retried (written {queued})"
    return f"Written {queued}, waiting to be sent"


class BookingAdmin(ClinicTimeMixin, ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    form = DeskBookingForm
    add_form = DeskBookingAddForm
    # Status second: on a phone the table scrolls sideways and status must stay in view.
    list_display = ["when", "status_badge", "name", "phone_number", "service", "language"]
    list_display += ["reference"]
    list_display_links = ["when", "name"]
    list_filter = [AttentionFilter, DayFilter, "status", "service", "language"]
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
    history_list_display = ["status", "history_when", "consultation_waived"]
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
            # The day and time come from the picker under the service (change_form.html).
            return [
                (
                    "Appointment",
                    {"fields": ["service", "skip_notice", "without_consultation"]},
                ),
                (
                    "Patient",
                    {"fields": ["name", "email", "phone", "language", "notes", "consent"]},
                ),
                ("For staff only", {"fields": ["internal_notes"]}),
            ]
        return [
            (
                "Appointment",
                {"fields": ["reference", "service_name", "skip_notice"]},
            ),
            ("Patient", {"fields": ["name", "email", "phone", "language", "notes"]}),
            ("The patient's other visits", {"fields": ["other_visits"]}),
            ("Follow-ups after the appointment", {"fields": ["follow_ups"]}),
            ("For staff only", {"fields": ["internal_notes"]}),
            (
                "Record",
                {
                    "fields": [
                        "consent_record",
                        "consultation_waived",
                        "created_at",
                        "updated_at",
                    ],
                    "classes": ["collapse"],
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # The service fixes the length of the slot: a different service is a new booking.
        # The note is the patient's own words.
        return [
            "reference",
            "service_name",
            "notes",
            "other_visits",
            "follow_ups",
            "consent_record",
            "consultation_waived",
            "created_at",
            "updated_at",
        ]

    def get_inlines(self, request, obj=None):
        return self.inlines if obj is not None else []

    @admin.display(description="Sent and due")
    def follow_ups(self, booking: Booking) -> str:
        """Each of the service's follow-ups: sent when, due when, or why it will not go."""
        states = followups.states(booking)
        if not states:
            return "None for this service."
        rows = []
        for state in states:
            if state.sent is not None:
                status = _email_state(state.sent)
            elif state.reason:
                status = f"Will not be sent: {state.reason}"
            else:
                status = f"Due {clock.format_short_moment(state.due_at)}"
            rows.append((state.follow_up.days_after, state.follow_up.subject_en, status))
        return format_html(
            '<table class="other-visits"><thead><tr><th scope="col">Days after</th>'
            '<th scope="col">Subject</th><th scope="col">State</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description="Same email or phone")
    def other_visits(self, booking: Booking) -> str:
        """The patient's other bookings, newest first; one on the same day is marked."""
        others = list(
            Booking.objects.of_patient(booking).select_related("service").order_by("-start")[:50]
        )
        if not others:
            return "None: this is the patient's only booking."
        day = booking.local_start.date()
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:booking_booking_change", args=[other.pk]),
                    clock.format_short_moment(other.start),
                    format_html(" <strong>{}</strong>", "Same day")
                    if other.local_start.date() == day and other.holds_place
                    else "",
                    other.service.name,
                    other.get_status_display(),
                    other.reference,
                )
                for other in others
            ),
        )
        return format_html(
            '<table class="other-visits"><thead><tr><th scope="col">Appointment</th>'
            '<th scope="col">Service</th><th scope="col">Status</th>'
            '<th scope="col">Reference</th></tr></thead><tbody>{}</tbody></table>',
            rows,
        )

    @admin.display(description="service")
    def service_name(self, booking: Booking) -> str:
        # Plain text: a link would lead receptionists to a page they may not open.
        return booking.service.name

    @admin.display(description="consent")
    def consent_record(self, booking: Booking) -> str:
        if booking.consent_at is None:
            return "Not recorded"
        return (
            f"Version {booking.consent_version}, given "
            f"{clock.format_short_moment(booking.consent_at)}"
        )

    def save_model(self, request, obj, form, change):
        """Through the booking steps: a new booking, the details, a new time."""
        if not change:
            booking = workflow.book_at_desk(
                form.cleaned_data["service"],
                form.start,
                consent_version=BookingPolicy.current().consent_version,
                skip_notice=form.cleaned_data["skip_notice"],
                without_consultation=form.cleaned_data["without_consultation"],
                internal_notes=form.cleaned_data["internal_notes"],
                **form.details(),
            )
            obj.pk = booking.pk
            obj.refresh_from_db()
            logger.info("booking %s made and confirmed at the desk", obj.reference)
            self._warn_of_same_day(request, obj)
            return
        details = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in workflow.DETAIL_FIELDS
        }
        if details:
            workflow.update_details(obj, **details)
        if form.start is not None:
            workflow.move(obj, form.start, skip_notice=form.cleaned_data["skip_notice"])
            logger.info("booking %s moved at the desk", obj.reference)
            self.message_user(
                request,
                f"{obj.reference} moved to {obj.when}; the patient has been emailed.",
                messages.SUCCESS,
            )
            self._warn_of_same_day(request, obj)

    def _warn_of_same_day(self, request: HttpRequest, booking: Booking) -> None:
        """A patient who already holds a time that day may have booked twice by mistake."""
        same_day = (
            Booking.objects.of_patient(booking)
            .holding_a_place()
            .on_day(booking.local_start.date())
            .order_by("start")
        )
        for other in same_day:
            self.message_user(
                request,
                f"This patient already has {other.reference} at "
                f"{clock.format_time(other.local_start)} on the same day. Check with them "
                "whether both are wanted; cancel one if not.",
                messages.WARNING,
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The picker for a new booking, or for moving one that may still move.
        if add or (obj is not None and workflow.refusal(obj, "move") is None):
            form = context["adminform"].form
            context["picker"] = form.picker(availability.Rules.load(skip_notice=True))
            context["selected_time"] = form.data.get("time", "")
            context["times_url"] = reverse("admin:booking_booking_times") + (
                f"?booking={obj.pk}" if obj is not None else ""
            )
        if obj is not None and obj.holds_place and not obj.has_started():
            if reason := availability.stranding(availability.Rules.load(), obj):
                context["needs_attention"] = reason
        if obj is not None and self.has_change_permission(request, obj):
            allowed = workflow.allowed_steps(obj)
            context["status_steps"] = [
                {
                    "label": workflow.STEPS[key].label,
                    "url": reverse("admin:booking_booking_step", args=[obj.pk, key]),
                    "danger": workflow.STEPS[key].danger,
                }
                for key in workflow.BUTTONS
                if key in allowed
            ]
            # Cancelling this consultation would leave a treatment booked after it without one.
            context["treatments_after"] = availability.treatments_after(obj)
            # A booking still to happen: why "Mark completed" (or "no-show") is not offered yet.
            context["steps_not_yet"] = [
                (workflow.STEPS[key].label, reason)
                for key in ("complete", "no_show")
                if obj.holds_place
                and key not in allowed
                and (reason := workflow.refusal(obj, key))
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="appointment")
    def history_when(self, record) -> str:
        return clock.format_short_moment(record.start)

    # List

    @admin.display(description="appointment", ordering="start")
    def when(self, booking: Booking) -> str:
        return clock.format_short_moment(booking.start)

    @admin.display(description="phone", ordering="phone")
    def phone_number(self, booking: Booking) -> str:
        return booking.phone_display

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
        # Patients give their number in any format: "404-555-0100" finds "+14045550100".
        return found | phones.matching(queryset, search_term), may_have_duplicates

    # Status steps: actions on the list, buttons on the booking

    def apply_step(self, request: HttpRequest, key: str, bookings: Iterable[Booking]) -> None:
        """Run one step on each booking; a refusal is reported and the rest still go ahead."""
        step = workflow.STEPS[key]
        done = []
        for booking in bookings:
            try:
                workflow.RUN[key](booking)  # each in its own transaction
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
        return views.bookings_csv(self._for_action(queryset))

    # Extra pages

    def get_urls(self):
        return [
            path(
                "day-sheet/",
                self.admin_site.admin_view(require_safe(self.day_sheet_view)),
                name="booking_booking_day_sheet",
            ),
            path(
                "times/",
                self.admin_site.admin_view(require_safe(self.times_view)),
                name="booking_booking_times",
            ),
            path(
                "numbers/",
                self.admin_site.admin_view(require_safe(self.numbers_view)),
                name="booking_booking_numbers",
            ),
            path(
                "week/",
                self.admin_site.admin_view(require_safe(self.week_view)),
                name="booking_booking_week",
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
        if booking is None or key not in workflow.BUTTONS:
            raise Http404
        if not self.has_change_permission(request, booking):
            raise PermissionDenied
        self.apply_step(request, key, [booking])
        return redirect("admin:booking_booking_change", booking.pk)

    def day_sheet_view(self, request: HttpRequest) -> HttpResponse:
        return views.day_sheet(self, request)

    def week_view(self, request: HttpRequest) -> HttpResponse:
        return views.week(self, request)

    def times_view(self, request: HttpRequest) -> HttpResponse:
        """The desk's picker for a service and day, as the fragment booking.js fetches."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        booking = None
        if request.GET.get("booking", "").isdigit():
            booking = self.get_object(request, request.GET["booking"])
        form = (DeskBookingForm if booking else DeskBookingAddForm)(
            instance=booking, initial={**request.GET.dict(), "day": request.GET.get("date")}
        )
        return render(
            request,
            "booking/includes/time_picker.html",
            {
                "picker": form.picker(availability.Rules.load(skip_notice=True)),
                "selected_time": request.GET.get("time", ""),
            },
        )

    def numbers_view(self, request: HttpRequest) -> HttpResponse:
        return views.clinic_numbers(self, request)
