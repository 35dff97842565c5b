"""
When each booking was confirmed, for the clinic's numbers (time from request to
confirmation). Past bookings get it from their history: the first version in which
they were confirmed.
"""

from django.db import migrations, models

ONCE_CONFIRMED = ["confirmed", "completed", "no_show"]


def from_history(apps, schema_editor):
    Booking = apps.get_model("booking", "Booking")
    HistoricalBooking = apps.get_model("booking", "HistoricalBooking")
    for booking in Booking.objects.filter(status__in=ONCE_CONFIRMED).only("pk").iterator():
        first = (
            HistoricalBooking.objects.filter(id=booking.pk, status="confirmed")
            .order_by("history_date")
            .values_list("history_date", flat=True)
            .first()
        )
        if first is not None:
            Booking.objects.filter(pk=booking.pk).update(confirmed_at=first)


class Migration(migrations.Migration):
    dependencies = [("booking", "0007_phones_in_e164")]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalbooking",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(from_history, migrations.RunPython.noop),
    ]
