"""
The first health questions and consent of the exosome treatment (not the consultation).

Both are marked "needs clinical and legal review" until a clinician records a review in
the admin, and their Spanish versions are drafts (es_review "draft"): patients reading
Spanish see the English until a clinician marks the Spanish reviewed. The consent keeps
to the clinic's own facts (the FAQ's words) and invents no clinical claim; its
{appointment} and {preparation} are filled in with each patient's own dates.
"""

from datetime import date, time

from django.db import migrations

NOTE = (
    "Needs clinical and legal review: first draft written from the FAQ's own facts. "
    "Check every question, note and the consent before relying on them."
)

PRESCRIBED_NOTE = (
    "Please do not stop any medicine a doctor told you to take before talking to that "
    "doctor. Our clinic will call you before your appointment to talk about it.",
    "No deje de tomar ningún medicamento que le haya indicado un médico sin hablar antes "
    "con ese médico. Nuestra clínica le llamará antes de su cita para hablar de ello.",
)
CALL_NOTE = (
    "Thank you for telling us. A clinician will call you before your appointment to talk "
    "about it.",
    "Gracias por decírnoslo. Un profesional clínico le llamará antes de su cita para "
    "hablar de ello.",
)

# (section, text, help, kind, choices, required, flag_answers, flag_note), each text
# as (English, Spanish draft).
MEDICINES = ("Medicines", "Medicamentos")
HEALTH = ("Your health", "Su salud")
HAIR = ("Hair-loss treatments", "Tratamientos para la caída del cabello")
ELSE = ("Anything else", "Algo más")
NONE = ("", "")

QUESTIONS = [
    (
        MEDICINES,
        (
            "Do you take aspirin, a blood thinner or another medicine a doctor told you to "
            "take every day?",
            "¿Toma aspirina, un anticoagulante u otro medicamento que un médico le haya "
            "indicado tomar todos los días?",
        ),
        (
            "For example aspirin for your heart, warfarin, apixaban (Eliquis) or "
            "clopidogrel (Plavix).",
            "Por ejemplo, aspirina para el corazón, warfarina, apixabán (Eliquis) o "
            "clopidogrel (Plavix).",
        ),
        "yes_no",
        NONE,
        True,
        "yes",
        PRESCRIBED_NOTE,
    ),
    (
        MEDICINES,
        (
            "Do you take ibuprofen, naproxen or other anti-inflammatory painkillers (NSAIDs)?",
            "¿Toma ibuprofeno, naproxeno u otros analgésicos antiinflamatorios (AINE)?",
        ),
        (
            "Including ones you buy without a prescription, such as Advil, Motrin or Aleve.",
            "Incluidos los que se compran sin receta, como Advil, Motrin o Aleve.",
        ),
        "yes_no",
        NONE,
        True,
        "",
        NONE,
    ),
    (
        MEDICINES,
        (
            "Which medicines, vitamins or supplements do you take regularly?",
            "¿Qué medicamentos, vitaminas o suplementos toma con regularidad?",
        ),
        ("Names and doses if you know them.", "Nombres y dosis, si los sabe."),
        "text",
        NONE,
        False,
        "",
        NONE,
    ),
    (
        HEALTH,
        (
            "Do you have a bleeding or clotting problem, or do you bruise or bleed easily?",
            "¿Tiene algún problema de sangrado o de coagulación, o le salen moretones o "
            "sangra con facilidad?",
        ),
        NONE,
        "yes_no",
        NONE,
        True,
        "yes",
        CALL_NOTE,
    ),
    (
        HEALTH,
        (
            "Are you pregnant, could you be pregnant, or are you breastfeeding?",
            "¿Está embarazada, podría estarlo o está amamantando?",
        ),
        NONE,
        "choice",
        (
            "No\nYes, I am or could be pregnant\nYes, I am breastfeeding\nDoes not apply to me",
            "No\nSí, estoy o podría estar embarazada\nSí, estoy amamantando\nNo se aplica a mí",
        ),
        True,
        "Yes, I am or could be pregnant\nYes, I am breastfeeding",
        CALL_NOTE,
    ),
    (
        HEALTH,
        (
            "Do you have a skin infection, a wound, a rash or sores on your scalp?",
            "¿Tiene una infección de la piel, una herida, un sarpullido o llagas en el cuero "
            "cabelludo?",
        ),
        NONE,
        "yes_no",
        NONE,
        True,
        "yes",
        CALL_NOTE,
    ),
    (
        HEALTH,
        (
            "Do you have cancer now, or have you had cancer in the past?",
            "¿Tiene cáncer ahora o lo ha tenido en el pasado?",
        ),
        NONE,
        "yes_no",
        NONE,
        True,
        "yes",
        CALL_NOTE,
    ),
    (
        HEALTH,
        (
            "Do you have any allergies (to medicines, latex, numbing creams or anything else)?",
            "¿Tiene alguna alergia (a medicamentos, al látex, a cremas anestésicas o a "
            "cualquier otra cosa)?",
        ),
        NONE,
        "yes_no",
        NONE,
        True,
        "yes",
        CALL_NOTE,
    ),
    (
        HEALTH,
        ("If you have allergies, what are they?", "Si tiene alergias, ¿cuáles son?"),
        NONE,
        "text",
        NONE,
        False,
        "",
        NONE,
    ),
    (
        HAIR,
        ("Do you use minoxidil now?", "¿Usa minoxidil actualmente?"),
        ("For example Rogaine.", "Por ejemplo, Rogaine."),
        "yes_no",
        NONE,
        True,
        "",
        NONE,
    ),
    (
        HAIR,
        ("Do you take finasteride (Propecia) now?", "¿Toma finasterida (Propecia) actualmente?"),
        NONE,
        "yes_no",
        NONE,
        True,
        "",
        NONE,
    ),
    (
        HAIR,
        (
            "Have you had a hair transplant in the last 12 months?",
            "¿Se ha hecho un trasplante de cabello en los últimos 12 meses?",
        ),
        NONE,
        "yes_no",
        NONE,
        True,
        "yes",
        CALL_NOTE,
    ),
    (
        HAIR,
        (
            "If you had a hair transplant, on what date?",
            "Si se hizo un trasplante de cabello, ¿en qué fecha?",
        ),
        ("An approximate date is fine.", "Basta con una fecha aproximada."),
        "date",
        NONE,
        False,
        "",
        NONE,
    ),
    (
        ELSE,
        (
            "Is there anything else you would like the clinician to know?",
            "¿Hay algo más que quiera que sepa el profesional clínico?",
        ),
        NONE,
        "text",
        NONE,
        False,
        "",
        NONE,
    ),
]

CONSENT_TITLE = (
    "Consent to exosome injections for hair loss",
    "Consentimiento para inyecciones de exosomas para la caída del cabello",
)
CONSENT_EN = """What the treatment is. Exosome therapy for hair loss is a series of injections of exosomes into the scalp. Exosomes are extracellular vesicles produced by mesenchymal stem cells; the exosomes we use are isolated from donated human amniotic mesenchymal stem cells, procured and processed in the United States. Each package comes with a sheet documenting the donor screening tests it passed.

Regulatory status. No exosome product is approved by the US Food and Drug Administration (FDA).

Results. Results vary from person to person and are not guaranteed. When new hair growth happens, it may begin in two to three months and can continue over a year; the most noticeable results are usually seen about six months after treatment.

Risks of scalp injections. The treated area may be tender afterwards. Like any injection, injections into the scalp can cause pain, swelling, redness, bruising or bleeding where the needle goes in, and, rarely, an infection or an allergic reaction. Tell us at once if you have a fever, spreading redness, pus or pain that gets worse.

Cancer. Currently there are no large direct studies that can show exosomes or stem cells do not cause cancer.

Medicines to avoid. Avoid aspirin, naproxen, ibuprofen and other NSAIDs from 3 days before your procedure until 3 weeks after it: they can lessen the effect of the treatment. If a doctor told you to take aspirin, a blood thinner or another medicine every day, do not stop it before talking to that doctor, and tell us. Your dates, for your appointment on {appointment}:
{preparation}

Alternatives. You do not have to have this treatment. Other options named in our FAQ are platelet-rich plasma (PRP) and medicines such as minoxidil and finasteride (Propecia); you may also choose no treatment. You can ask us about them at any time.

Your right to withdraw. You may change your mind and withdraw this consent at any time before the treatment, by calling us or by cancelling your appointment with the link in your emails.

Your agreement. By signing, you confirm that you have read and understood this consent, that your answers to the health questions are true and complete to the best of your knowledge, that you could ask us questions, and that you agree to the treatment."""

CONSENT_ES = """En qué consiste el tratamiento. La terapia con exosomas para la caída del cabello es una serie de inyecciones de exosomas en el cuero cabelludo. Los exosomas son vesículas extracelulares producidas por células madre mesenquimales; los exosomas que usamos se aíslan de células madre mesenquimales amnióticas humanas donadas, obtenidas y procesadas en los Estados Unidos. Cada envase incluye una hoja que documenta las pruebas de detección del donante que superó.

Situación regulatoria. Ningún producto de exosomas está aprobado por la Administración de Alimentos y Medicamentos de los EE. UU. (FDA).

Resultados. Los resultados varían de una persona a otra y no están garantizados. Cuando el cabello vuelve a crecer, puede empezar en dos o tres meses y continuar durante un año; los resultados más visibles suelen verse unos seis meses después del tratamiento.

Riesgos de las inyecciones en el cuero cabelludo. La zona tratada puede quedar sensible. Como cualquier inyección, las inyecciones en el cuero cabelludo pueden causar dolor, hinchazón, enrojecimiento, moretones o sangrado donde entra la aguja y, en raras ocasiones, una infección o una reacción alérgica. Avísenos enseguida si tiene fiebre, un enrojecimiento que se extiende, pus o un dolor que empeora.

Cáncer. Actualmente no hay estudios directos y amplios que puedan demostrar que los exosomas o las células madre no causan cáncer.

Medicamentos que debe evitar. Evite la aspirina, el naproxeno, el ibuprofeno y otros AINE desde 3 días antes de su procedimiento hasta 3 semanas después: pueden reducir el efecto del tratamiento. Si un médico le indicó tomar aspirina, un anticoagulante u otro medicamento todos los días, no lo deje sin hablar antes con ese médico, y díganoslo. Sus fechas, para su cita del {appointment}:
{preparation}

Alternativas. No está obligado a hacerse este tratamiento. Otras opciones que menciona nuestra sección de preguntas frecuentes son el plasma rico en plaquetas (PRP) y medicamentos como el minoxidil y la finasterida (Propecia); también puede elegir no tratarse. Puede preguntarnos por ellas en cualquier momento.

Su derecho a retirarse. Puede cambiar de opinión y retirar este consentimiento en cualquier momento antes del tratamiento, llamándonos o cancelando su cita con el enlace de sus correos electrónicos.

Su acuerdo. Al firmar, confirma que ha leído y entendido este consentimiento, que sus respuestas a las preguntas de salud son verdaderas y completas según su leal saber, que pudo hacernos preguntas y que acepta el tratamiento."""


def both(field: str, pair: tuple[str, str]) -> dict:
    english, spanish = pair
    return {field: english, f"{field}_en": english, f"{field}_es": spanish or None}


def ship(apps, schema_editor):
    Service = apps.get_model("booking", "Service")
    Questionnaire = apps.get_model("intake", "Questionnaire")
    Question = apps.get_model("intake", "Question")
    ConsentDocument = apps.get_model("intake", "ConsentDocument")
    treatment = Service.objects.filter(slug="exosome-treatment").first()
    if treatment is None:
        return
    questionnaire = Questionnaire.objects.create(
        service=treatment,
        version=1,
        needs_review=True,
        review_note=NOTE,
        reminder_day=-5,
        reminder_at=time(10, 0),
        **both("title", ("Health questions before your treatment", "Preguntas de salud antes de su tratamiento")),
        **both(
            "intro",
            (
                "These questions help our clinical team make sure the treatment is safe for "
                "you. Your answers are read only by our clinicians.",
                "Estas preguntas ayudan a nuestro equipo clínico a asegurarse de que el "
                "tratamiento es seguro para usted. Solo nuestros profesionales clínicos leen "
                "sus respuestas.",
            ),
        ),
    )
    for position, row in enumerate(QUESTIONS, start=1):
        section, text, help_text, kind, choices, required, flags, note = row
        Question.objects.create(
            questionnaire=questionnaire,
            kind=kind,
            required=required,
            order=position * 10,
            flag_answers=flags,
            **both("section", section),
            **both("text", text),
            **both("help", help_text),
            **both("choices", choices),
            **both("flag_note", note),
        )
    ConsentDocument.objects.create(
        service=treatment,
        version="2026-12",
        published_on=date(2026, 12, 1),
        needs_review=True,
        review_note=NOTE,
        **both("title", CONSENT_TITLE),
        **both("text", (CONSENT_EN, CONSENT_ES)),
    )


def unship(apps, schema_editor):
    apps.get_model("intake", "ConsentDocument").objects.filter(version="2026-12").delete()
    apps.get_model("intake", "Questionnaire").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("booking", "0013_spanish_drafts"),
    ]

    operations = [migrations.RunPython(ship, unship)]
