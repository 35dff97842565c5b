from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from booking import signals  # noqa: F401 - connects the receivers
