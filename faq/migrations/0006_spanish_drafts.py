"""Spanish drafts of the FAQ: the page's texts, the topics and the 15 entries.

Drafts, not reviewed (es_review "draft"): patients reading Spanish keep seeing the
English text of each item, with a note, until a reviewer with
clinic.review_translation has checked it for clinical accuracy and publishes it in the
admin. The translations follow the English entries of 0002 sentence by sentence,
claims, figures and the known conflict of the NSAIDs answer (flagged for review there)
included; "billion" is the US one (mil millones). Names are kept as the source writes
them, "Vining Surgery Center" in one answer included: correcting the source is for a
clinician, in English first.

Like 0002, the text is written out here, and each object gets a history row, so the
drafts can always be restored from the history.
"""

from django.db import migrations
from django.utils import timezone

from faq.rendering import render_markdown

CHANGE_REASON = "Spanish draft shipped with the site (not yet reviewed)"

HEADING = "Terapia con exosomas para la caída del cabello"

DISCLAIMER = (
    "Esta página ofrece información general sobre un tratamiento que se ofrece en "
    "Vinings Surgery Center. No es un consejo médico y no reemplaza una consulta con un "
    "profesional clínico calificado que conozca su historial médico. Los resultados "
    "varían de una persona a otra y no están garantizados. Si tiene alguna pregunta "
    "sobre su propia salud, programe una consulta o comuníquese con nosotros. En caso "
    "de emergencia, llame al 911."
)

TOPICS = {
    "about": "Acerca de la terapia con exosomas",
    "safety": "Seguridad y origen de los exosomas",
    "results": "Resultados y tratamientos repetidos",
    "preparing-and-recovering": "Preparación y recuperación",
}

ENTRIES = {
    "what-are-exosomes": (
        "¿Qué son los exosomas?",
        "Los exosomas son vesículas extracelulares producidas por las células madre "
        "mesenquimales, que participan en la comunicación entre las células. Otras "
        "células reaccionan a las señales que les envían los exosomas y cambian su "
        "comportamiento en consecuencia. Hoy los científicos pueden aislar estas señales "
        "beneficiosas y administrarlas directamente, en lugar de las propias células "
        "madre.\n"
        "\n"
        "Los exosomas se aíslan de células madre mesenquimales amnióticas humanas "
        "donadas y se purifican mediante un procesamiento patentado. La ventaja única "
        "de estos exosomas es que provienen de células madre y aportan una amplia "
        "variedad de factores de crecimiento. Como son tan pequeños y ágiles, los "
        "exosomas pueden pasar inadvertidos en el torrente sanguíneo y llevar múltiples "
        "dosis de proteínas a través de barreras que las células no pueden cruzar.",
    ),
    "what-is-exosome-therapy": (
        "¿Qué es la terapia con exosomas para la caída del cabello?",
        "Se ha demostrado clínicamente que la inyección de exosomas y factores de "
        "crecimiento ayuda a regenerar el cabello y a que vuelva a crecer, como "
        "tratamiento para la caída del cabello en hombres y mujeres en las primeras "
        "etapas de la caída del cabello.",
    ),
    "time-to-see-results": (
        "¿Cuánto tiempo se tarda en ver resultados de la terapia con exosomas para la "
        "caída del cabello?",
        "La terapia con exosomas puede empezar a estimular el crecimiento natural del "
        "cabello en tan solo dos a tres meses. El cabello nuevo puede seguir creciendo "
        "a lo largo de un año, y los resultados más notables suelen verse seis meses "
        "después del tratamiento.",
    ),
    "time-between-sessions": (
        "¿Cuánto tiempo debo esperar antes de otra sesión de terapia con exosomas para "
        "la caída del cabello?",
        "Por lo general, recomendamos esperar de 6 a 8 meses después del último "
        "tratamiento para volver a evaluar y antes de realizar, si fuera necesario, otro "
        "tratamiento con inyecciones de exosomas.",
    ),
    "how-exosomes-are-processed": (
        "¿Cómo se procesan los exosomas y es seguro usarlos?",
        "Vinings Surgery Center usa exosomas obtenidos y procesados en los Estados "
        "Unidos según las normas y los reglamentos establecidos por la Asociación "
        "Americana de Bancos de Tejidos (American Association of Tissue Banks, AATB) y "
        "la Administración de Alimentos y Medicamentos de los Estados Unidos (FDA). "
        "Todos los donantes están en los Estados Unidos.\n"
        "\n"
        "La ética de los donantes y las pruebas serológicas de detección aprobadas por "
        "la FDA, con resultado no reactivo, incluyen:\n"
        "\n"
        "- Consentimiento del donante antes de la obtención\n"
        "- HBsAG (antígeno de superficie de la hepatitis B)\n"
        "- HBcAb (anticuerpo contra el núcleo de la hepatitis B)\n"
        "- HCV (anticuerpo contra la hepatitis C)\n"
        "- HIV 1/11-Ab (prueba de ácido nucleico del VIH)\n"
        "- HCV NAt (prueba de ácido nucleico del virus de la hepatitis C)\n"
        "\n"
        "Cada paquete incluye una hoja que documenta todas las pruebas superadas.",
    ),
    "exosomes-per-vial": (
        "¿Cuántos exosomas hay en cada frasco?",
        "Para la caída del cabello, utilizamos más de 400 mil millones de exosomas por "
        "frasco. Hemos comprobado que un producto de 400 mil millones de exosomas es más "
        "que suficiente para regenerar el crecimiento del cabello.",
    ),
    "exosomes-compared-with-prp": (
        "¿En qué se diferencian los tratamientos con exosomas de los tratamientos con "
        "PRP (plasma rico en plaquetas)?",
        "El PRP, o plasma rico en plaquetas, se obtiene centrifugando la sangre del "
        "paciente para concentrar los factores de crecimiento y las plaquetas que el "
        "cuerpo tiene de forma natural. La desventaja del PRP es que no aporta células "
        "madre ni exosomas, porque a medida que envejecemos nuestro cuerpo tiene cada "
        "vez menos células madre en la sangre. Además de la edad, la salud del paciente "
        "también es muy importante para la calidad del PRP obtenido.\n"
        "\n"
        "Antes de que existiera el PRP, las células madre se obtenían de la grasa "
        "extraída durante una liposucción. Sin embargo, ese proceso era doloroso y más "
        "caro, y el paciente tenía que someterse a dos procedimientos. También en ese "
        "caso, la edad y el estado de salud general del paciente influían en la "
        "cantidad y la calidad de las células madre disponibles.\n"
        "\n"
        "En Vining Surgery Center usamos exosomas que provienen de células madre "
        "mesenquimales amnióticas. Estos exosomas se criocongelan y se envasan en un "
        "frasco estéril, listos para usar.",
    ),
    "how-long-exosomes-last": (
        "¿Cuánto tiempo duran los exosomas en el cuerpo?",
        "Los exosomas están presentes de 6 a 8 meses después del último tratamiento.",
    ),
    "nsaids": (
        "¿Puede el paciente tomar AINE (antiinflamatorios no esteroideos)?",
        "No. Lo ideal es que el paciente deje de tomar AINE durante las 72 horas "
        "anteriores a la inyección y durante los 4 días posteriores. Los AINE NO "
        "destruyen las células inyectadas, pero pueden reducir sus efectos.",
    ),
    "contraindications": (
        "¿Hay alguna contraindicación para las inyecciones de exosomas?",
        "No hay contraindicaciones para las inyecciones de exosomas.",
    ),
    "preparing-for-the-procedure": (
        "¿Qué preparación necesito para el día del procedimiento?",
        "Se recomienda a los pacientes:\n"
        "\n"
        "- Beber mucho líquido el día anterior al procedimiento\n"
        "- Desayunar la mañana del procedimiento\n"
        "- Evitar la aspirina, el naproxeno, el ibuprofeno y otros AINE "
        "(antiinflamatorios no esteroideos) desde 3 días antes del procedimiento hasta "
        "3 semanas después del procedimiento.",
    ),
    "restrictions-after-the-procedure": (
        "¿Hay alguna restricción después del procedimiento?",
        "La única restricción es evitar la aspirina, el naproxeno, el ibuprofeno y otros "
        "AINE durante las 3 semanas siguientes al procedimiento. Después del "
        "procedimiento, puede irse a casa y ducharse. Tenga en cuenta que la zona "
        "tratada puede estar sensible. Muchos pacientes vuelven al trabajo o a su "
        "rutina diaria el mismo día.",
    ),
    "combining-with-other-treatments": (
        "¿Puedo combinar la terapia con exosomas con otros tratamientos para la caída "
        "del cabello?",
        "¡Por supuesto! Recomendamos que los pacientes usen Propecia, finasterida o "
        "minoxidil junto con la terapia con exosomas para la caída del cabello.",
    ),
    "exosomes-and-cancer": (
        "¿Los exosomas causan cáncer o hacen que el cáncer crezca?",
        "Actualmente no hay grandes estudios directos que puedan demostrar que los "
        "exosomas o las células madre no causan cáncer, pero hay estudios en los que se "
        "han utilizado células madre para tratar el cáncer, y la conclusión de esos "
        "estudios es que, como las células madre actúan para suprimir las células "
        "cancerosas, se supone que no ayudarán a que las células cancerosas proliferen "
        "ni causarán la formación de células cancerosas.",
    ),
    "alopecia-areata": (
        "¿Se pueden usar los exosomas para la alopecia areata?",
        "Sí. Los resultados clínicos y anecdóticos han mostrado una eficacia enorme "
        "cuando se utiliza la terapia con exosomas.",
    ),
}


def record_history(apps, model_name, instances, now):
    model = apps.get_model("faq", model_name)
    historical = apps.get_model("faq", "Historical" + model_name)
    fields = [field.attname for field in model._meta.concrete_fields]
    historical.objects.bulk_create(
        historical(
            **{name: getattr(instance, name) for name in fields},
            history_date=now,
            history_type="~",
            history_change_reason=CHANGE_REASON,
        )
        for instance in instances
    )


def add_drafts(apps, schema_editor):
    Topic = apps.get_model("faq", "Topic")
    Entry = apps.get_model("faq", "Entry")
    FaqPage = apps.get_model("faq", "FaqPage")
    now = timezone.now()

    topics = list(Topic.objects.filter(slug__in=TOPICS))
    for topic in topics:
        topic.title_es = TOPICS[topic.slug]
        topic.es_review = "draft"
        topic.save()
    entries = list(Entry.objects.filter(slug__in=ENTRIES))
    for entry in entries:
        entry.question_es, entry.answer_es = ENTRIES[entry.slug]
        # Migrations see the model without its save(): render here as save() would.
        entry.answer_html_es = render_markdown(entry.answer_es)
        entry.es_review = "draft"
        entry.save()
    pages = list(FaqPage.objects.filter(pk=1))
    for page in pages:
        page.heading_es = HEADING
        page.disclaimer_es = DISCLAIMER
        page.es_review = "draft"
        page.save()

    record_history(apps, "Topic", topics, now)
    record_history(apps, "Entry", entries, now)
    record_history(apps, "FaqPage", pages, now)


def remove_drafts(apps, schema_editor):
    apps.get_model("faq", "Topic").objects.filter(slug__in=TOPICS).update(
        title_es=None, es_review="draft"
    )
    apps.get_model("faq", "Entry").objects.filter(slug__in=ENTRIES).update(
        question_es=None, answer_es=None, answer_html_es=None, es_review="draft"
    )
    apps.get_model("faq", "FaqPage").objects.filter(pk=1).update(
        heading_es=None, disclaimer_es=None, es_review="draft"
    )
    for name in ("HistoricalEntry", "HistoricalTopic", "HistoricalFaqPage"):
        apps.get_model("faq", name).objects.filter(history_change_reason=CHANGE_REASON).delete()


class Migration(migrations.Migration):
    dependencies = [("faq", "0005_english_columns")]

    operations = [migrations.RunPython(add_drafts, remove_drafts)]
