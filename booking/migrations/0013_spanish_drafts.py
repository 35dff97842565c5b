"""
Spanish drafts of the services, instructions, reminders and the booking consent.

Drafts only (es_review stays "draft"): patients reading Spanish see the English text
of each item until a clinician marks its Spanish reviewed in the admin. A row whose
English was already changed by staff, or that has Spanish already, is left alone.
The reminders keep their placeholders ({From_start}, {from_start}, {end},
{appointment}): they are filled in per patient, in Spanish, when the reminder is sent.
A sentence never ends on {appointment}: it ends in "a. m." or "p. m.", and a full stop
after it would read "a. m.."
"""

from django.db import migrations
from django.db.models import Q

SERVICES = {
    "consultation": {
        "name": ("Consultation", "Consulta"),
        "description": (
            "Meet our team, talk about your hair loss and whether exosome therapy is right "
            "for you. No procedure on the day.",
            "Conozca a nuestro equipo y hable con nosotros sobre su caída del cabello y sobre "
            "si la terapia con exosomas es adecuada para usted. Ese día no se realiza ningún "
            "procedimiento.",
        ),
    },
    "exosome-treatment": {
        "name": ("Exosome hair-loss treatment", "Tratamiento con exosomas para la caída del cabello"),
        "description": (
            "Exosome injections for hair loss, after a consultation. Please follow the "
            "preparation instructions you receive by email.",
            "Inyecciones de exosomas para la caída del cabello, después de una consulta. Siga "
            "las instrucciones de preparación que recibirá por correo electrónico.",
        ),
    },
}

INSTRUCTIONS = [
    (
        ("No NSAIDs", "Sin antiinflamatorios (AINE)"),
        (
            "Avoid aspirin, naproxen, ibuprofen and other NSAIDs (anti-inflammatory painkillers) "
            "from 3 days before your procedure until 3 weeks after it. They can lessen the "
            "effect of the treatment.",
            "Evite la aspirina, el naproxeno, el ibuprofeno y otros AINE (analgésicos "
            "antiinflamatorios) desde 3 días antes de su procedimiento hasta 3 semanas después. "
            "Pueden reducir el efecto del tratamiento.",
        ),
    ),
    (
        ("Drink plenty of fluids", "Beba abundante líquido"),
        (
            "Drink a lot of fluid the day before your procedure.",
            "Beba mucho líquido el día antes de su procedimiento.",
        ),
    ),
    (
        ("Have breakfast", "Desayune"),
        (
            "Have breakfast on the morning of your procedure.",
            "Desayune la mañana de su procedimiento.",
        ),
    ),
    (
        ("After the procedure", "Después del procedimiento"),
        (
            "You may go home and shower. The treated area may be tender. Many patients return "
            "to work or their daily routine the same day.",
            "Puede irse a casa y ducharse. La zona tratada puede estar sensible. Muchos pacientes "
            "vuelven al trabajo o a su rutina diaria el mismo día.",
        ),
    ),
]

REMINDERS = [
    (
        ("Stop NSAIDs {from_start}", "Deje de tomar antiinflamatorios (AINE) {from_start}"),
        (
            "{From_start}, please stop taking aspirin, naproxen, ibuprofen and other NSAIDs, and "
            "keep avoiding them until {end}. Your appointment is on {appointment}.",
            "{From_start}, deje de tomar aspirina, naproxeno, ibuprofeno y otros AINE, y siga "
            "sin tomarlos hasta el {end}. Su cita es el {appointment} (hora del Este).",
        ),
    ),
    (
        ("Keep avoiding NSAIDs until {end}", "Siga sin tomar antiinflamatorios (AINE) hasta el {end}"),
        (
            "Please keep avoiding aspirin, naproxen, ibuprofen and other NSAIDs until {end}, "
            "three weeks after your procedure.",
            "Siga sin tomar aspirina, naproxeno, ibuprofeno ni otros AINE hasta el {end}, tres "
            "semanas después de su procedimiento.",
        ),
    ),
    (
        (
            "Drink plenty of fluids the day before your appointment",
            "Beba abundante líquido el día antes de su cita",
        ),
        (
            "Your appointment is tomorrow, {appointment}. Please drink plenty of fluids today "
            "and have breakfast tomorrow morning.",
            "Su cita es mañana, {appointment} (hora del Este). Beba abundante líquido hoy y "
            "desayune mañana por la mañana.",
        ),
    ),
]

CONSENT = (
    "I agree that Vinings Surgery Center stores these details to arrange my appointment and "
    "emails me appointment details and preparation instructions.",
    "Acepto que Vinings Surgery Center guarde estos datos para organizar mi cita y que me envíe "
    "por correo electrónico los datos de la cita y las instrucciones de preparación.",
)


def _draft(queryset, texts: dict[str, tuple[str, str]]) -> None:
    """Spanish for rows whose English is still the shipped text and that have none yet."""
    english = {f"{field}_en": en for field, (en, _es) in texts.items()}
    spanish = {f"{field}_es": es for field, (_en, es) in texts.items()}
    no_spanish = Q()
    for field in texts:
        no_spanish &= Q(**{f"{field}_es__isnull": True}) | Q(**{f"{field}_es": ""})
    queryset.filter(no_spanish, **english).update(**spanish)


def add_drafts(apps, schema_editor):
    Service = apps.get_model("booking", "Service")
    Instruction = apps.get_model("booking", "Instruction")
    Reminder = apps.get_model("booking", "Reminder")
    BookingPolicy = apps.get_model("booking", "BookingPolicy")
    for slug, texts in SERVICES.items():
        _draft(Service.objects.filter(slug=slug), texts)
    for title, text in INSTRUCTIONS:
        _draft(Instruction.objects.all(), {"title": title, "text": text})
    for subject, message in REMINDERS:
        _draft(Reminder.objects.all(), {"subject": subject, "message": message})
    # The rules row is otherwise made on first use (BookingPolicy.current()), with the
    # same defaults: made here, it gets the Spanish draft of its consent too.
    BookingPolicy.objects.get_or_create(pk=1)
    BookingPolicy.objects.filter(consent_text_en__isnull=True).update(consent_text_en=CONSENT[0])
    # modeltranslation gives consent_text_es the field's (English) default: that is no
    # Spanish either.
    BookingPolicy.objects.filter(consent_text_en=CONSENT[0], consent_text_es=CONSENT[0]).update(
        consent_text_es=None
    )
    _draft(BookingPolicy.objects.all(), {"consent_text": CONSENT})


def remove_drafts(apps, schema_editor):
    for name, fields in {
        "Service": ("name", "description"),
        "Instruction": ("title", "text"),
        "Reminder": ("subject", "message"),
        "BookingPolicy": ("consent_text",),
    }.items():
        model = apps.get_model("booking", name)
        model.objects.filter(es_review="draft").update(**{f"{field}_es": None for field in fields})


class Migration(migrations.Migration):
    dependencies = [("booking", "0012_copy_english_texts")]

    operations = [migrations.RunPython(add_drafts, remove_drafts)]
