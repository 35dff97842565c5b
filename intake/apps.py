from django.apps import AppConfig


class IntakeConfig(AppConfig):
    # intake/translation.py (Spanish columns, review gate, history) is found by
    # modeltranslation's autodiscovery, like booking's and faq's.
    name = "intake"
    verbose_name = "Before a treatment: health questions and consent"
    default_auto_field = "django.db.models.BigAutoField"
