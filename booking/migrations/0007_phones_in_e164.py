"""
Phone numbers as one value per number (E.164, "+14045550100") however they were
typed: the desk finds a patient's visits by it. A number that cannot be read is
kept as typed, for a person to look at.
"""

from django.db import migrations

from booking import phones


def to_e164(apps, schema_editor):
    Booking = apps.get_model("booking", "Booking")
    for booking in Booking.objects.exclude(phone="").only("pk", "phone").iterator():
        try:
            normalised = phones.normalise(booking.phone)
        except phones.InvalidPhone:
            continue
        if normalised != booking.phone:
            Booking.objects.filter(pk=booking.pk).update(phone=normalised)


class Migration(migrations.Migration):
    dependencies = [("booking", "0006_calendar_files_and_reminders")]

    # Backwards: E.164 is a valid way to write every number, so nothing to undo.
    operations = [migrations.RunPython(to_e164, migrations.RunPython.noop)]
