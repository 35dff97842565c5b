"""
The desk's view of the waitlist: who waits for what, per service and day, with the
offers sent and booked; "Remove from the waitlist" ends an entry (its open offers
close). Entries are the patients' own: nobody adds or edits one here.
"""

from datetime import date, timedelta

from django.contrib import admin, messages
from django.db.models import Count, Q
from simple_history.admin import SimpleHistoryAdmin

from booking import phones
from clinic import clock
from clinic.admin_site import ClinicTimeMixin, ReadOnlyHistoryMixin
from waitlist import offers
from waitlist.models import Entry, Offer

# The patient's page words the reasons for the patient; the desk reads these.
ENDED = {
    Entry.EndReason.BOOKED: "booked",
    Entry.EndReason.LEFT: "left by the patient",
    Entry.EndReason.LAST_DAY: "latest day passed",
    Entry.EndReason.REMOVED: "removed by the desk",
}
SENT = [Offer.Status.OFFERED, Offer.Status.CLAIMED, Offer.Status.TAKEN, Offer.Status.EXPIRED]


class ActiveFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Waiting"), ("ended", "Ended")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(ended_at__isnull=True)
        if self.value() == "ended":
            return queryset.filter(ended_at__isnull=False)
        return queryset


class DayFilter(admin.SimpleListFilter):
    """Entries that could come on a given day: the next two weeks."""

    title = "could come on"
    parameter_name = "day"

    def lookups(self, request, model_admin):
        today = clock.today()
        days = [today + timedelta(days=offset) for offset in range(14)]
        return [(day.isoformat(), clock.format_short_day(day)) for day in days]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = date.fromisoformat(self.value())
        except ValueError:
            return queryset.none()
        return queryset.filter(earliest__lte=day, latest__gte=day)


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    can_delete = False
    fields = ["when", "status", "sent", "closes", "booking"]
    readonly_fields = fields

    @admin.display(description="time offered")
    def when(self, offer: Offer) -> str:
        return clock.format_short_moment(offer.start)

    @admin.display(description="sent")
    def sent(self, offer: Offer) -> str:
        if offer.offered_at:
            return clock.format_short_moment(offer.offered_at)
        if offer.status == Offer.Status.SCHEDULED:
            return f"due {clock.format_short_moment(offer.send_at)}"
        return "–"

    @admin.display(description="closes")
    def closes(self, offer: Offer) -> str:
        return clock.format_short_moment(offer.expires_at) if offer.expires_at else "–"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Entry)
class EntryAdmin(ClinicTimeMixin, ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "service",
        "days",
        "parts",
        "joined",
        "state",
        "offers_sent",
        "offers_booked",
    ]
    list_filter = [ActiveFilter, "service", DayFilter]
    search_fields = ["name", "email", "phone"]
    list_select_related = ["service"]
    inlines = [OfferInline]
    actions = ["remove"]
    fields = [
        "service",
        ("earliest", "latest"),
        ("mornings", "afternoons"),
        "name",
        "email",
        "phone_number",
        "language",
        "joined",
        ("ended", "state"),
        "consent_version",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent=Count("offers", filter=Q(offers__status__in=SENT)),
                booked=Count("offers", filter=Q(offers__status=Offer.Status.CLAIMED)),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        return [
            name for row in self.fields for name in (row if isinstance(row, tuple) else (row,))
        ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # An entry is the patient's own: the desk reads it and may remove it (the list's
        # action, which needs this permission), but never edits or saves it.
        return obj is None and super().has_change_permission(request)

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # "(404) 555-0142" or "404-555-0142" finds the "+14045550142" stored.
        return found | phones.matching(queryset, search_term), may_have_duplicates

    @admin.display(description="phone", ordering="phone")
    def phone_number(self, entry: Entry) -> str:
        return phones.display(entry.phone)

    @admin.display(description="days", ordering="earliest")
    def days(self, entry: Entry) -> str:
        first, last = (clock.format_short_day(day) for day in (entry.earliest, entry.latest))
        return first if first == last else f"{first} – {last}"

    @admin.display(description="joined", ordering="created_at")
    def joined(self, entry: Entry) -> str:
        return clock.format_short_moment(entry.created_at)

    @admin.display(description="ended", ordering="ended_at")
    def ended(self, entry: Entry) -> str:
        return clock.format_short_moment(entry.ended_at) if entry.ended_at else "–"

    @admin.display(description="parts of the day")
    def parts(self, entry: Entry) -> str:
        if entry.mornings and entry.afternoons:
            return "Any"
        return "Mornings" if entry.mornings else "Afternoons"

    @admin.display(description="state")
    def state(self, entry: Entry) -> str:
        return (
            "Waiting"
            if entry.is_active
            else f"Ended: {ENDED.get(entry.end_reason, entry.end_reason)}"
        )

    @admin.display(description="offers sent", ordering="sent")
    def offers_sent(self, entry: Entry) -> int:
        return entry.sent

    @admin.display(description="booked from an offer", ordering="booked")
    def offers_booked(self, entry: Entry) -> int:
        return entry.booked

    @admin.action(description="Remove from the waitlist", permissions=["change"])
    def remove(self, request, queryset):
        removed = sum(offers.end(entry, Entry.EndReason.REMOVED) for entry in queryset)
        self.message_user(
            request,
            f"{removed} entr{'y' if removed == 1 else 'ies'} removed from the waitlist; "
            "their open offers are closed.",
            messages.SUCCESS,
        )
