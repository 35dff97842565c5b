"""The FAQ's texts as they were, in English, into the English columns of 0004.

A migration of its own: on PostgreSQL, updating rows and then altering their table in
one transaction fails ("pending trigger events": the deferred foreign keys), which is
what reversing a single migration doing both would do.
"""

from django.db import migrations, models

# The texts as they were, in English, into the English columns; the Spanish columns
# stay empty (0006 ships the drafts). The history's rows too, so that every older
# version still shows, and restores, its English text.
TEXTS = {
    "Topic": ("title",),
    "Entry": ("question", "answer", "answer_html"),
    "FaqPage": ("heading", "disclaimer", "regulatory_note"),
}


def copy_into_english(apps, schema_editor):
    for name, fields in TEXTS.items():
        for model_name in (name, "Historical" + name):
            model = apps.get_model("faq", model_name)
            model.objects.update(**{f"{field}_en": models.F(field) for field in fields})


def copy_back_from_english(apps, schema_editor):
    # Reversed: the English columns are about to go; the original ones take their text.
    for name, fields in TEXTS.items():
        for model_name in (name, "Historical" + name):
            model = apps.get_model("faq", model_name)
            for field in fields:
                model.objects.exclude(**{f"{field}_en": None}).update(
                    **{field: models.F(f"{field}_en")}
                )


class Migration(migrations.Migration):
    dependencies = [("faq", "0004_languages")]

    operations = [migrations.RunPython(copy_into_english, copy_back_from_english)]
