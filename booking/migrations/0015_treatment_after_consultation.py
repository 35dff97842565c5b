"""The exosome treatment is booked after a consultation (its own description says so).

A migration of its own, after 0014's columns: on PostgreSQL, updating rows and then
altering their table in one transaction fails ("pending trigger events"), which is
what reversing a single migration doing both would do.
"""

from django.db import migrations

TREATMENT = "exosome-treatment"
CONSULTATION = "consultation"


def require_consultation(apps, schema_editor):
    Service = apps.get_model("booking", "Service")
    consultation = Service.objects.filter(slug=CONSULTATION).first()
    if consultation is not None:
        Service.objects.filter(slug=TREATMENT, requires_consultation=None).update(
            requires_consultation=consultation
        )


def book_directly(apps, schema_editor):
    apps.get_model("booking", "Service").objects.filter(slug=TREATMENT).update(
        requires_consultation=None
    )


class Migration(migrations.Migration):
    dependencies = [("booking", "0014_service_requires_consultation")]

    operations = [migrations.RunPython(require_consultation, book_directly)]
