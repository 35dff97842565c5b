"""The regulatory-status note, filled with the plain fact, and its Spanish draft.

The US Food and Drug Administration has approved no exosome product (its consumer
alert of 2019 and public safety notification of 2020). The note says that and no
more; a clinician keeps it current in the admin. A note already written by the clinic
is left as it is.

The Spanish is a draft: patients reading Spanish see the English note, marked, until a
reviewer with clinic.review_translation publishes the page's Spanish. A page whose
Spanish was reviewed before needs review again, as any English change makes it
(clinic.translation_review). Each change gets a history row, as in 0006.
"""

from django.db import migrations
from django.utils import timezone

CHANGE_REASON = "Regulatory-status note shipped with the site"

NOTE_EN = (
    "No exosome product is approved by the US Food and Drug Administration (FDA). "
    "The exosome treatment described on this page is not FDA-approved."
)
NOTE_ES = (
    "Ningún producto de exosomas está aprobado por la Administración de Alimentos y "
    "Medicamentos de los Estados Unidos (FDA). El tratamiento con exosomas que se "
    "describe en esta página no está aprobado por la FDA."
)


def fill_note(apps, schema_editor):
    FaqPage = apps.get_model("faq", "FaqPage")
    HistoricalFaqPage = apps.get_model("faq", "HistoricalFaqPage")
    page = FaqPage.objects.filter(pk=1).first()
    if page is None or (page.regulatory_note_en or "").strip():
        return
    page.regulatory_note_en = NOTE_EN
    page.regulatory_note = NOTE_EN
    page.regulatory_note_es = NOTE_ES
    if page.es_review == "reviewed":
        page.es_review = "stale"
    page.save()
    fields = [field.attname for field in FaqPage._meta.concrete_fields]
    HistoricalFaqPage.objects.create(
        **{name: getattr(page, name) for name in fields},
        history_date=timezone.now(),
        history_type="~",
        history_change_reason=CHANGE_REASON,
    )


def empty_note(apps, schema_editor):
    apps.get_model("faq", "FaqPage").objects.filter(pk=1, regulatory_note_en=NOTE_EN).update(
        regulatory_note="", regulatory_note_en="", regulatory_note_es=None
    )
    apps.get_model("faq", "HistoricalFaqPage").objects.filter(
        history_change_reason=CHANGE_REASON
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("faq", "0008_clinicians_group")]

    operations = [migrations.RunPython(fill_note, empty_note)]
