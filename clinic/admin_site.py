"""
The staff admin site: two-factor authentication when the settings ask for it.
Kept free of model imports: Django loads it before the apps are ready.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import PermissionDenied
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class ClinicOTPLoginForm(OTPAdminAuthenticationForm):
    """
    django-otp's admin log-in, for people who type a code and press Enter. django-otp
    1.7 wants the device posted, but the form offers no choice before the password
    is known, so a first log-in always failed with "Please select a device". With
    one confirmed device that device is the choice; with several the form comes
    back listing them (django-otp will not try each: a miss counts against a device
    as a failed attempt and throttles it).

    A posted device is looked up among this user's own confirmed devices only:
    django-otp loads whatever model the posted id names, and an id naming a model
    that is not a device ("auth.user/1") made it fail with a 500.
    """

    def _chosen_device(self, user):
        devices = {
            device.persistent_id: device
            for device in devices_for_user(user, confirmed=True, for_verify=True)
        }
        posted = self.cleaned_data.get("otp_device")
        if posted:
            return devices.get(posted)
        return next(iter(devices.values())) if len(devices) == 1 else None


class ClinicAdminSite(OTPAdminSite):
    """
    Django's admin, requiring a verified TOTP device when STAFF_REQUIRE_2FA is on
    (the default in production). The setting is read per request so that tests
    and a local `make run` can switch it.
    """

    site_header = "Vinings Surgery Center: staff"
    site_title = "Vinings staff"
    index_title = "Reception desk and website content"
    # The bookings list needs the width more than a second menu does.
    enable_nav_sidebar = False

    def __init__(self, name: str = "admin"):
        super().__init__(name)

    @property
    def login_form(self):
        return ClinicOTPLoginForm if settings.STAFF_REQUIRE_2FA else AdminAuthenticationForm

    @property
    def login_template(self):
        return "otp/admin111/login.html" if settings.STAFF_REQUIRE_2FA else None

    def index(self, request, extra_context=None):
        """The desk's home, with the bookings that need attention listed first."""
        if request.user.has_perm("booking.view_booking"):
            from booking import availability  # models are ready by the first request

            extra_context = {
                **(extra_context or {}),
                "needs_attention": availability.stranded(availability.Rules.load()),
            }
        return super().index(request, extra_context)

    def has_permission(self, request) -> bool:
        if settings.STAFF_REQUIRE_2FA:
            return super().has_permission(request)
        return admin.AdminSite.has_permission(self, request)


# --- What every admin page of the clinic shares ----------------------------------------


def rendered_in_clinic_time(view, *args, **kwargs):
    """
    Run and render an admin view with the clinic's zone as the current one, so every
    date and time the admin shows or reads (lists, forms, history, inlines) is
    clinic time rather than the server's UTC. Rendering happens here because a
    template response would otherwise render after the override has ended.
    """
    from django.template.response import SimpleTemplateResponse
    from django.utils import timezone

    from clinic import clock

    with timezone.override(clock.zone()):
        response = view(*args, **kwargs)
        if isinstance(response, SimpleTemplateResponse):
            response.render()
    return response


class ClinicTimeMixin:
    """Every page of a ModelAdmin in clinic time."""

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


class ClinicHistoryMixin:
    """
    For SimpleHistoryAdmin: a version history an editor can read. Each version says
    which fields changed, the changes are shown whole, and the page's query has no
    Django 6.1 deprecation.
    """

    # An FAQ answer is a few hundred characters; django-simple-history cuts a change to
    # 100 and shows "[129 chars]" in the middle, which hides what was changed.
    FULL_CHANGE_CHARS = 5000

    def save_model(self, request, obj, form, change):
        # Without a reason django-simple-history stores None and shows "None".
        if not getattr(obj, "_change_reason", None):
            fields = [str(form.fields[name].label or name) for name in form.changed_data]
            obj._change_reason = (
                f"Changed in the admin: {', '.join(fields)}" if change else "Added in the admin"
            )[:100]
        super().save_model(request, obj, form, change)

    def get_historical_record_context_helper(self, request, historical_record):
        from simple_history.template_utils import HistoricalRecordContextHelper

        return HistoricalRecordContextHelper(
            self.model, historical_record, max_displayed_delta_change_chars=self.FULL_CHANGE_CHARS
        )

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        from django.db import models

        # django-simple-history 3.13 calls select_related() with no arguments for a
        # model without foreign keys (Topic, FaqPage, BookingPolicy), which Django 6.1
        # deprecates (RemovedInDjango2028Warning); same query, named fields only.
        records = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        foreign_keys = [
            field.name
            for field in history_manager.model.tracked_fields
            if isinstance(field, models.ForeignKey)
        ]
        return records.select_related(*foreign_keys) if foreign_keys else records


class ReadOnlyHistoryMixin(ClinicHistoryMixin):
    """
    A history to read, never to revert: for records whose changes go through steps
    of their own (a booking's workflow, a waitlist entry's end). Reverting would
    change them behind those steps' backs: no lock, no check, no email to the
    patient, and a row put back where a newer one now stands.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return rendered_in_clinic_time(
            super().history_form_view, request, object_id, version_id, extra_context
        )
