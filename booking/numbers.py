"""
The clinic's numbers for managers: bookings per week and service by status, the
no-show and cancellation rates, how far ahead patients book, and how long a request
waits for confirmation. Every figure is aggregated by the database: the number of
queries does not grow with the number of bookings.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate

from booking.models import Booking
from clinic import clock

Status = Booking.Status
STATUSES = [Status.REQUESTED, Status.CONFIRMED, Status.COMPLETED, Status.CANCELLED, Status.NO_SHOW]


@dataclass
class Week:
    monday: date
    counts: dict[str, int]  # by status value

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Figures:
    first: date
    last: date
    weeks: list[Week]
    by_service: list[dict]  # {"service": name, "counts": [by STATUSES], "total": n}
    totals: dict[str, int]
    no_show_rate: float | None  # of the appointments that were due: completed + no-show
    cancellation_rate: float | None  # of all bookings in the period
    average_days_ahead: float | None
    average_hours_to_confirm: float | None

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def figures(first: date, last: date) -> Figures:
    """The numbers for appointments on the clinic's days `first` to `last`. Four queries."""
    bookings = Booking.objects.on_days(first, last)

    # By clinic day, then added up into weeks here: a handful of rows per day, never
    # one per booking (and week truncation differs between the databases).
    per_day = (
        bookings.annotate(day=TruncDate("start", tzinfo=clock.zone()))
        .values("day", "status")
        .annotate(n=Count("pk"))
    )
    weeks: dict[date, Week] = {}
    monday = _monday(first)
    while monday <= last:
        weeks[monday] = Week(monday, dict.fromkeys(STATUSES, 0))
        monday += timedelta(days=7)
    for row in per_day:
        weeks[_monday(row["day"])].counts[row["status"]] += row["n"]

    per_service = bookings.values("service__name").annotate(
        total=Count("pk"), **{status: Count("pk", filter=Q(status=status)) for status in STATUSES}
    )
    by_service = sorted(
        (
            {
                "service": row["service__name"],
                "counts": [row[status] for status in STATUSES],
                "total": row["total"],
            }
            for row in per_service
        ),
        key=lambda row: row["service"],
    )
    totals = {status: sum(w.counts[status] for w in weeks.values()) for status in STATUSES}

    ahead = bookings.aggregate(
        average=Avg(ExpressionWrapper(F("start") - F("created_at"), output_field=DurationField()))
    )["average"]
    # Requests that reception confirmed later; a caller booked at the desk is confirmed
    # as it is made and would only pull the average towards zero.
    waited = bookings.filter(confirmed_at__gt=F("created_at") + timedelta(minutes=1)).aggregate(
        average=Avg(
            ExpressionWrapper(F("confirmed_at") - F("created_at"), output_field=DurationField())
        )
    )["average"]

    due = totals[Status.COMPLETED] + totals[Status.NO_SHOW]
    return Figures(
        first=first,
        last=last,
        weeks=list(weeks.values()),
        by_service=by_service,
        totals=totals,
        no_show_rate=_rate(totals[Status.NO_SHOW], due),
        cancellation_rate=_rate(totals[Status.CANCELLED], sum(totals.values())),
        average_days_ahead=ahead.total_seconds() / 86400 if ahead is not None else None,
        average_hours_to_confirm=waited.total_seconds() / 3600 if waited is not None else None,
    )


# --- The chart: bars drawn on the server, no script ------------------------------------

CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 720, 200, 6


def bars(weeks: list[Week]) -> list[dict]:
    """One bar per week, stacked by status, as SVG rectangles (x, y, width, height)."""
    tallest = max((week.total for week in weeks), default=0) or 1
    width = CHART_WIDTH / max(len(weeks), 1)
    drawn = []
    for index, week in enumerate(weeks):
        y = CHART_HEIGHT
        parts = []
        for status in STATUSES:
            height = CHART_HEIGHT * week.counts[status] / tallest
            if height:
                y -= height
                parts.append({"status": status, "y": round(y, 1), "height": round(height, 1)})
        drawn.append(
            {
                "x": round(index * width + BAR_GAP / 2, 1),
                "width": round(max(width - BAR_GAP, 1), 1),
                "parts": parts,
                "label": f"{week.monday:%b} {week.monday.day}",
                "label_x": round(index * width + width / 2, 1),
                "week": week,
            }
        )
    return drawn
