"""
The FAQ editors' report of what readers tell us: which answers leave them unsatisfied
(by share of "No") and which searches found nothing, for a period they choose; and
"handled" for a search once the FAQ answers it (an entry or synonym added).

The admin is in English (no translation). The chart is SVG drawn here on the server:
nothing for the Content Security Policy to refuse.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from clinic import clock
from feedback.models import AnswerVotes, MissedSearch, week_of

DEFAULT_WEEKS = 12
TOP_SEARCHES = 20
BAR_WIDTH = 160  # px: the whole bar is every vote, the dark part the "No" votes


# Any day a report could mean; a day like 9999-12-31 has no week after it to count.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def _period_day() -> forms.DateField:
    return forms.DateField(
        widget=forms.DateInput(
            attrs={"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}
        ),
        required=False,
    )


class PeriodForm(forms.Form):
    since = _period_day()
    until = _period_day()

    def clean(self):
        data = super().clean()
        for name in ("since", "until"):
            if data.get(name) and not FIRST_DAY <= data[name] <= LAST_DAY:
                self.add_error(name, "Please choose a day from 2000 to 2100.")
        since, until = data.get("since"), data.get("until")
        if since and until and since > until and not self.errors:
            raise forms.ValidationError("The first day must come before the last.")
        return data


def period(form: PeriodForm) -> tuple[date, date]:
    """
    The weeks to count, as their Mondays: the form's; a last day alone, the twelve
    weeks up to it; a first day alone, from it to this week; else the last twelve.
    """
    this_week = week_of()
    since_day = until_day = None
    if form.is_valid():
        since_day, until_day = form.cleaned_data["since"], form.cleaned_data["until"]
    if until_day:
        until = week_of(until_day)
    else:
        until = max(this_week, week_of(since_day)) if since_day else this_week
    since = week_of(since_day) if since_day else until - timedelta(weeks=DEFAULT_WEEKS - 1)
    return since, until


@dataclass(frozen=True)
class EntryRow:
    question: str
    slug: str
    pk: int
    helpful: int
    not_helpful: int

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def share_no(self) -> float:
        return self.not_helpful / self.total if self.total else 0.0

    @property
    def percent_no(self) -> int:
        return round(self.share_no * 100)

    @property
    def bar_no(self) -> int:
        return round(self.share_no * BAR_WIDTH)


def entry_rows(since: date, until: date) -> list[EntryRow]:
    """One query: each answer's votes in the period, the least helpful first."""
    totals = (
        AnswerVotes.objects.filter(week__range=(since, until))
        .values("entry__slug", "entry__question", "entry_id")
        .annotate(helpful=Sum("helpful"), not_helpful=Sum("not_helpful"))
    )
    rows = [
        EntryRow(
            t["entry__question"], t["entry__slug"], t["entry_id"], t["helpful"], t["not_helpful"]
        )
        for t in totals
    ]
    return sorted(rows, key=lambda row: (-row.share_no, -row.not_helpful, row.question))


def missed_rows(since: date, until: date) -> list[dict]:
    """One query: the most frequent searches that found nothing, not yet handled."""
    names = dict(settings.LANGUAGES)
    return [
        {**row, "language_name": names.get(row["language"], row["language"])}
        for row in MissedSearch.objects.filter(week__range=(since, until), handled_at__isnull=True)
        .values("query", "language")
        .annotate(searches=Sum("searches"))
        .order_by("-searches", "query")[:TOP_SEARCHES]
    ]


@admin.register(AnswerVotes)
class AnswerVotesAdmin(admin.ModelAdmin):
    """Its list is the report; the counts themselves are never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "handled/",
                self.admin_site.admin_view(self.handled_view),
                name="feedback_missedsearch_handled",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PeriodForm(request.GET or None)
        since, until = period(form)
        if not form.is_bound:
            form = PeriodForm(initial={"since": since, "until": until + timedelta(days=6)})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "What the FAQ's readers tell us",
            "form": form,
            "since_text": clock.format_day(since),
            "until_text": clock.format_day(until + timedelta(days=6)),
            "entries": entry_rows(since, until),
            "missed": missed_rows(since, until),
            "bar_width": BAR_WIDTH,
            "can_mark_handled": request.user.has_perm("feedback.change_missedsearch"),
        }
        return TemplateResponse(request, "admin/feedback/report.html", context)

    def handled_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("feedback.change_missedsearch"):
            raise PermissionDenied
        query = request.POST.get("query", "")
        handled = MissedSearch.objects.filter(
            query=query, language=request.POST.get("language", ""), handled_at__isnull=True
        ).update(handled_at=timezone.now(), handled_by=request.user)
        if handled:
            self.message_user(request, f"“{query}” is marked handled.", messages.SUCCESS)
        else:
            self.message_user(request, "That search was already handled.", messages.WARNING)
        back = reverse("admin:feedback_answervotes_changelist")
        next_query = request.POST.get("period", "")
        return redirect(f"{back}?{next_query}" if next_query.startswith("since=") else back)


@admin.register(MissedSearch)
class MissedSearchAdmin(admin.ModelAdmin):
    list_display = ["query", "language", "week", "searches", "handled_at", "handled_by"]
    list_filter = [("handled_at", admin.EmptyFieldListFilter), "language"]
    search_fields = ["query"]
    date_hierarchy = "week"
    readonly_fields = ["query", "language", "week", "searches", "handled_at", "handled_by"]
    actions = ["mark_handled"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Mark handled (the FAQ now answers it)", permissions=["change"])
    def mark_handled(self, request, queryset):
        count = queryset.filter(handled_at__isnull=True).update(
            handled_at=timezone.now(), handled_by=request.user
        )
        self.message_user(request, f"{count} marked handled.", messages.SUCCESS)
