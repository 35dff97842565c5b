"""
The seeded NSAID reminder's subject follows the moment it is read, as its message
does: "Stop NSAIDs from today, Saturday 5 December", or, sent late after an outage,
"Stop NSAIDs from now (since Saturday 5 December)". A subject staff have edited stays.
"""

from django.db import migrations

OLD, NEW = "Stop NSAIDs from {start}", "Stop NSAIDs {from_start}"


def reword(apps, schema_editor):
    apps.get_model("booking", "Reminder").objects.filter(subject=OLD).update(subject=NEW)


def back(apps, schema_editor):
    apps.get_model("booking", "Reminder").objects.filter(subject=NEW).update(subject=OLD)


class Migration(migrations.Migration):
    dependencies = [("booking", "0008_booking_confirmed_at")]

    operations = [migrations.RunPython(reword, back)]
