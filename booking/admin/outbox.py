"""The outbox in the admin: the record of every email, read-only; managers may retry."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from booking import outbox
from booking.models import OutgoingEmail
from clinic.admin_site import ClinicTimeMixin
from clinic.logging import redact

ADMIN_CSS = {"all": ["css/admin-booking.css"]}


class OutgoingEmailAdmin(ClinicTimeMixin, admin.ModelAdmin):
    """Read-only: emails are records of what was sent. Managers may retry failed ones."""

    list_display = ["created_at", "kind", "booking_link", "to", "status_badge", "attempts"]
    list_display += ["sent_at", "last_error"]
    list_filter = ["status", "kind"]
    list_select_related = ["booking"]
    search_fields = ["booking__reference", "to", "subject"]
    search_help_text = "Search by booking reference, recipient or subject."
    actions = ["retry_now"]
    # body_shown, never body_text: the body with the patient's link hidden.
    fields = ["booking", "kind", "reminder", "appointment_start", "to", "subject", "body_shown"]
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

    @admin.display(description="body")
    def body_shown(self, email: OutgoingEmail) -> str:
        # The self-service link lets its holder move or cancel the booking as the
        # patient; staff have the desk for that. They see where the link was.
        return redact(email.body_text)

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
