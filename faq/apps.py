from django.apps import AppConfig


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = "FAQ"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from faq import signals  # noqa: F401 - connects the cache invalidation
