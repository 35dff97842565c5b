from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "FAQ readers' feedback"
    default_auto_field = "django.db.models.BigAutoField"
