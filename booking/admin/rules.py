"""The clinic's rules in the admin, for managers: services and their instructions,
reminders, opening hours, closures and the one row of booking rules."""

from django.contrib import admin
from django.shortcuts import redirect
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from booking import availability
from booking.admin.forms import ClosureForm, OpeningHoursForm
from booking.models import BookingPolicy, Instruction, Reminder, Service
from clinic.admin_site import ClinicHistoryMixin, ClinicTimeMixin
from clinic.translation_admin import TranslationReviewAdminMixin

# Texts patients read (names, descriptions, instructions, reminders, the consent) are
# edited in English and Spanish on the same page (modeltranslation's TranslationAdmin);
# TranslationReviewAdminMixin shows and publishes the Spanish version's review.


class InstructionInline(TranslationStackedInline):
    model = Instruction
    fields = [("title", "order"), "text", ("starts_day", "ends_day")]
    extra = 0


class ServiceAdmin(ClinicTimeMixin, TranslationReviewAdminMixin, TranslationAdmin):
    list_display = ["name", "kind", "duration_minutes", "is_active", "order"]
    list_editable = ["is_active", "order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [InstructionInline]


class InstructionAdmin(
    ClinicTimeMixin,
    ClinicHistoryMixin,
    TranslationReviewAdminMixin,
    TranslationAdmin,
    SimpleHistoryAdmin,
):
    """The same instructions as on their service, here for their history."""

    list_display = ["title", "service", "starts_day", "ends_day", "order"]
    list_filter = ["service"]
    list_select_related = ["service"]


class FollowUpAdmin(
    ClinicTimeMixin,
    ClinicHistoryMixin,
    TranslationReviewAdminMixin,
    TranslationAdmin,
    SimpleHistoryAdmin,
):
    """Messages after a completed appointment (booking.followups has the rule)."""

    list_display = ["service", "days_after", "at", "subject", "is_active"]
    list_filter = ["service", "is_active"]
    list_select_related = ["service"]


class ReminderAdmin(
    ClinicTimeMixin,
    ClinicHistoryMixin,
    TranslationReviewAdminMixin,
    TranslationAdmin,
    SimpleHistoryAdmin,
):
    list_display = ["instruction", "service", "day", "at", "is_active"]
    list_filter = ["instruction__service", "is_active"]
    list_select_related = ["instruction__service"]

    @admin.display(description="service", ordering="instruction__service")
    def service(self, reminder: Reminder) -> Service:
        return reminder.instruction.service


class OpeningHoursAdmin(ClinicTimeMixin, admin.ModelAdmin):
    form = OpeningHoursForm
    list_display = ["weekday", "opens", "closes"]

    def delete_view(self, request, object_id, extra_context=None):
        # Deleting a period can strand its bookings too: say which before confirming.
        period = self.get_object(request, object_id)
        if period is not None:
            rules = availability.Rules.load()
            others = [p for p in rules.hours if p.pk != period.pk]
            extra_context = {
                **(extra_context or {}),
                "stranded": availability.stranded_by_change(rules, hours=others),
            }
        return super().delete_view(request, object_id, extra_context)


class ClosureAdmin(ClinicTimeMixin, admin.ModelAdmin):
    form = ClosureForm
    list_display = ["date", "reason"]
    date_hierarchy = "date"


class BookingPolicyAdmin(
    ClinicTimeMixin,
    ClinicHistoryMixin,
    TranslationReviewAdminMixin,
    TranslationAdmin,
    SimpleHistoryAdmin,
):
    """One row of rules: no adding a second, no deleting the one."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not BookingPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if self.has_view_or_change_permission(request):
            return redirect("admin:booking_bookingpolicy_change", BookingPolicy.current().pk)
        return super().changelist_view(request, extra_context)
