from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"


class ClinicAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with our site class (2FA, branding) as the default site."""

    default = False  # ClinicConfig is this module's default app config
    default_site = "clinic.admin_site.ClinicAdminSite"
