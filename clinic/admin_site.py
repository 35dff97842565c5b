"""
The staff admin site: two-factor authentication when the settings ask for it.
Kept free of model imports: Django loads it before the apps are ready.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


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
        return (
            OTPAdminAuthenticationForm if settings.STAFF_REQUIRE_2FA else AdminAuthenticationForm
        )

    @property
    def login_template(self):
        return "otp/admin111/login.html" if settings.STAFF_REQUIRE_2FA else None

    def has_permission(self, request) -> bool:
        if settings.STAFF_REQUIRE_2FA:
            return super().has_permission(request)
        return admin.AdminSite.has_permission(self, request)
