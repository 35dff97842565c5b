"""
Close the clinic on US federal holidays for the first year, so that nobody books
Thanksgiving morning. Managers edit the list under Bookings → Closures.
"""

from datetime import date

from django.db import migrations

HOLIDAYS = [
    (date(2026, 11, 26), "Thanksgiving Day"),
    (date(2026, 12, 25), "Christmas Day"),
    (date(2027, 1, 1), "New Year's Day"),
    (date(2027, 1, 18), "Martin Luther King Jr. Day"),
    (date(2027, 2, 15), "Washington's Birthday"),
    (date(2027, 5, 31), "Memorial Day"),
    (date(2027, 6, 18), "Juneteenth (observed)"),
    (date(2027, 7, 5), "Independence Day (observed)"),
    (date(2027, 9, 6), "Labor Day"),
    (date(2027, 10, 11), "Columbus Day"),
    (date(2027, 11, 11), "Veterans Day"),
    (date(2027, 11, 25), "Thanksgiving Day"),
    (date(2027, 12, 24), "Christmas Day (observed)"),
]


def seed(apps, schema_editor):
    Closure = apps.get_model("booking", "Closure")
    for day, reason in HOLIDAYS:
        Closure.objects.get_or_create(date=day, defaults={"reason": reason})


def unseed(apps, schema_editor):
    apps.get_model("booking", "Closure").objects.filter(
        date__in=[day for day, _ in HOLIDAYS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("booking", "0003_staff_groups")]

    operations = [migrations.RunPython(seed, unseed)]
