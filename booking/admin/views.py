"""The desk's extra pages and exports: the day sheet and the CSV of bookings."""

import csv
import logging
from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from booking.admin.forms import DaySheetForm
from booking.models import Booking
from clinic import clock
from clinic.admin_site import rendered_in_clinic_time

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
            booking.phone,
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
