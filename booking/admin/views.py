"""The desk's extra pages and exports: the day sheet, the week, the CSV of bookings."""

import csv
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from booking import availability, numbers
from booking.admin.forms import DaySheetForm, PeriodForm, WeekForm
from booking.models import Booking
from clinic import clock
from clinic.admin_site import rendered_in_clinic_time
from intake.steps import intake_states

logger = logging.getLogger(__name__)


def day_sheet(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """The printable list of one day's bookings; the URL carries the date only."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    today = clock.today()
    if "day" in request.GET:
        form = DaySheetForm(request.GET)
        day = form.cleaned_data["day"] if form.is_valid() else None
    else:
        day = today
        form = DaySheetForm(initial={"day": day})
    bookings = (
        list(Booking.objects.on_day(day).select_related("service").order_by("start", "pk"))
        if day
        else []
    )
    rules = availability.Rules.load()
    closures = rules.closures(day, day) if day else {}
    # Each treatment's health questions and consent: the state only, never an answer.
    intake = intake_states(bookings)
    for booking in bookings:
        booking.stranded = (
            booking.holds_place
            and booking.start >= rules.now
            and availability.stranding(rules, booking, closures=closures)
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Day sheet: {clock.format_day(day)}" if day else "Day sheet",
        "form": form,
        "day": day,
        "bookings": bookings,
        "rows": [
            {
                "booking": booking,
                "time": f"{clock.format_time(booking.local_start)} – "
                f"{clock.format_time(booking.local_end)}",
                "intake": intake[booking.pk].desk_label,
            }
            for booking in bookings
        ],
        "holding": [b for b in bookings if b.holds_place],
        "previous_day": day and day - timedelta(days=1),
        "next_day": day and day + timedelta(days=1),
        "today": today,
        "media": model_admin.media,
    }
    return rendered_in_clinic_time(
        TemplateResponse, request, "admin/booking/booking/day_sheet.html", context
    )


# --- The week at a glance --------------------------------------------------------


@dataclass
class WeekCell:
    """One time of one day: open or not, places left, the bookings that start in it."""

    day: date
    open: bool
    past: bool = False
    places_left: int = 0
    bookings: list[Booking] = field(default_factory=list)


@dataclass
class WeekDay:
    day: date
    closed: str  # why the whole day is closed, or ""


def _times_of_week(rules: availability.Rules, bookings: list[Booking]) -> list[time]:
    """Every slot time from the earliest opening to the latest closing, and any booking's."""
    step = timedelta(minutes=rules.policy.slot_minutes)
    times = set()
    for period in rules.hours:
        moment = datetime.combine(date.min, period.opens)
        while moment.time() < period.closes and moment.date() == date.min:
            times.add(moment.time())
            moment += step
    times.update(booking.local_start.time() for booking in bookings)
    return sorted(times)


def week_grid(rules: availability.Rules, monday: date) -> dict:
    """
    The week from `monday`: a row per slot time, a cell per day. Four queries
    whatever the number of bookings (the rules, the hours, closures, the bookings).
    """
    days = [monday + timedelta(days=offset) for offset in range(7)]
    closures = rules.closures(days[0], days[-1])
    bookings = list(
        Booking.objects.on_days(days[0], days[-1])
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("service")
        .order_by("start", "pk")
    )
    window_start, window_end = clock.day_bounds(days[0], days[-1])
    holding = [
        (booking.start, booking.end)
        for booking in bookings
        if booking.holds_place and window_start <= booking.start < window_end
    ]
    step = timedelta(minutes=rules.policy.slot_minutes)
    columns = []
    for day in days:
        if not any(period.weekday == day.weekday() for period in rules.hours):
            columns.append(WeekDay(day, "Closed"))
        else:
            columns.append(WeekDay(day, closures.get(day, "")))

    rows = []
    for slot_time in _times_of_week(rules, bookings):
        cells = []
        for column in columns:
            start = clock.at(column.day, slot_time)
            is_open = not column.closed and rules.fits_hours(start, start + step)
            cells.append(
                WeekCell(
                    day=column.day,
                    open=is_open,
                    past=start + step <= rules.now,
                    places_left=(
                        availability.places_left(rules, start, start + step, holding)
                        if is_open
                        else 0
                    ),
                    bookings=[b for b in bookings if start <= b.local_start < start + step],
                )
            )
        rows.append({"time": clock.format_time(slot_time), "cells": cells})
    for booking in bookings:
        booking.stranded = (
            booking.holds_place
            and booking.start >= rules.now
            and availability.stranding(rules, booking, closures=closures)
        )
    return {"days": columns, "rows": rows, "capacity": rules.policy.capacity}


def week(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """The week at a glance: places taken and free per time, each booking a link."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    rules = availability.Rules.load()
    form = WeekForm(request.GET if "week" in request.GET else None)
    chosen = form.cleaned_data["week"] if form.is_bound and form.is_valid() else rules.today
    monday = chosen - timedelta(days=chosen.weekday())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Week of {clock.format_day(monday)}",
        "form": form,
        "monday": monday,
        "previous_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
        "this_week": rules.today - timedelta(days=rules.today.weekday()),
        "today": rules.today,
        **week_grid(rules, monday),
        "media": model_admin.media,
    }
    return rendered_in_clinic_time(
        TemplateResponse, request, "admin/booking/booking/week.html", context
    )


# --- The clinic's numbers (managers) --------------------------------------------


def clinic_numbers(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """Bookings per week and service, rates and waits, for a period; as a page or CSV."""
    # The numbers are the managers': the clinic's rules are theirs to view, not the desk's.
    if not request.user.has_perm("booking.view_bookingpolicy"):
        raise PermissionDenied
    today = clock.today()
    default = {"first": today - timedelta(weeks=12, days=today.weekday()), "last": today}
    form = PeriodForm(request.GET if "first" in request.GET else None, initial=default)
    period = form.cleaned_data if form.is_bound and form.is_valid() else default
    figures = numbers.figures(period["first"], period["last"])
    if request.GET.get("format") == "csv":
        return numbers_csv(figures)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "The clinic's numbers",
        "form": form,
        "figures": figures,
        "statuses": [(status.value, status.label) for status in numbers.STATUSES],
        "bars": numbers.bars(figures.weeks),
        "chart": {"width": numbers.CHART_WIDTH, "height": numbers.CHART_HEIGHT},
        "period_text": f"{clock.format_day(period['first'])} to {clock.format_day(period['last'])}",
        "csv_query": f"first={period['first']:%Y-%m-%d}&last={period['last']:%Y-%m-%d}&format=csv",
        "media": model_admin.media,
    }
    return rendered_in_clinic_time(
        TemplateResponse, request, "admin/booking/booking/numbers.html", context
    )


def numbers_csv(figures: numbers.Figures) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="clinic-numbers-{figures.first:%Y-%m-%d}-{figures.last:%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["Week of", *(status.label for status in numbers.STATUSES), "Total"])
    for week in figures.weeks:
        writer.writerow(
            [f"{week.monday:%Y-%m-%d}", *(week.counts[s] for s in numbers.STATUSES), week.total]
        )
    writer.writerow([])
    writer.writerow(["Service", *(status.label for status in numbers.STATUSES), "Total"])
    for row in figures.by_service:
        writer.writerow([csv_safe(row["service"]), *row["counts"], row["total"]])
    return response


# --- CSV export -----------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula: a patient
# who types "=HYPERLINK(…)" as their name must not get it run on the desk's PC.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

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


def csv_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


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
            booking.phone_display,
            booking.email,
            booking.notes,
        )
    ]


def bookings_csv(bookings: QuerySet) -> HttpResponse:
    # No personal data in the file name: it ends up in download folders and logs.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="bookings-{clock.today():%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for booking in bookings:
        writer.writerow(csv_row(booking))
        count += 1
    logger.info("bookings exported to CSV at the desk: %d", count)
    return response
