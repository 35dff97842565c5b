from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django_otp.plugins.otp_totp import apps as totp_apps


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"


class ClinicAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with our site class (2FA, branding) as the default site."""

    default = False  # ClinicConfig is this module's default app config
    default_site = "clinic.admin_site.ClinicAdminSite"


# Third-party apps under names staff understand on the admin's index (it showed the
# apps' labels, "AXES" and "OTP_TOTP"). Only the shown name changes, not the label.


class LockoutsConfig(axes_apps.AppConfig):
    default = False
    verbose_name = "Log-in lock-outs"


class TwoFactorConfig(totp_apps.DefaultConfig):
    default = False
    verbose_name = "Two-factor devices"
