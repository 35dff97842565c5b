"""The texts so far are the English ones: copy each into its new `_en` column."""

from django.db import migrations
from django.db.models import F

TEXTS = {
    "Service": ("name", "description"),
    "Instruction": ("title", "text"),
    "Reminder": ("subject", "message"),
    "BookingPolicy": ("consent_text",),
}


def copy_english(apps, schema_editor):
    for model_name, fields in TEXTS.items():
        model = apps.get_model("booking", model_name)
        model.objects.update(**{f"{field}_en": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [("booking", "0011_spanish_beside_english")]

    operations = [migrations.RunPython(copy_english, migrations.RunPython.noop)]
