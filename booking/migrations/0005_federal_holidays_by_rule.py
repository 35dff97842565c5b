"""
Federal holidays now close the clinic by rule (booking/holidays.py, switched by
BookingPolicy.closed_on_federal_holidays), so the closures 0004 seeded for them go:
the same days stay closed, and the list in the admin holds only the clinic's own.
"""

from importlib import import_module

from django.db import migrations, models

SEEDED = import_module("booking.migrations.0004_seed_holiday_closures").HOLIDAYS


def drop_seeded_holidays(apps, schema_editor):
    Closure = apps.get_model("booking", "Closure")
    for day, reason in SEEDED:
        Closure.objects.filter(date=day, reason=reason).delete()


def restore_seeded_holidays(apps, schema_editor):
    Closure = apps.get_model("booking", "Closure")
    for day, reason in SEEDED:
        Closure.objects.get_or_create(date=day, defaults={"reason": reason})


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0004_seed_holiday_closures'),
    ]

    operations = [
        migrations.AddField(
            model_name='bookingpolicy',
            name='closed_on_federal_holidays',
            field=models.BooleanField(default=True, help_text='Take no bookings on US federal holidays (as observed). Other days the clinic is closed are added under Closures.'),
        ),
        migrations.AddField(
            model_name='historicalbookingpolicy',
            name='closed_on_federal_holidays',
            field=models.BooleanField(default=True, help_text='Take no bookings on US federal holidays (as observed). Other days the clinic is closed are added under Closures.'),
        ),
        migrations.RunPython(drop_seeded_holidays, restore_seeded_holidays),
    ]
