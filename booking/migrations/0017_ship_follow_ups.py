"""
The treatment's two follow-ups, in English with Spanish drafts (not reviewed), and who
edits them: managers (like the reminders), and translation reviewers for their Spanish.

The wording keeps to the FAQ's own facts: growth may begin in two to three months and
shows most at about six; the clinic re-evaluates 6 to 8 months after a treatment.
"""

from importlib import import_module

from django.db import migrations

ensure_permissions = import_module("booking.migrations.0003_staff_groups").ensure_permissions

FOLLOW_UPS = [
    {
        "days_after": 91,
        "invite": False,
        "subject": ("How are you getting on?", "¿Qué tal le va?"),
        "message": (
            "It is about three months since your treatment on {appointment}. New hair "
            "growth may begin around now and can continue over the year; the most "
            "noticeable results are usually seen at about six months.\n\n"
            "If you have a question, or anything about your scalp worries you, please call "
            "us: we are glad to help.",
            "Han pasado unos tres meses desde su tratamiento del {appointment}. El nuevo "
            "crecimiento del cabello puede empezar por estas fechas y continuar durante el "
            "año; los resultados más visibles suelen verse hacia los seis meses.\n\n"
            "Si tiene alguna pregunta, o si algo de su cuero cabelludo le preocupa, llámenos: "
            "estaremos encantados de ayudarle.",
        ),
    },
    {
        "days_after": 182,
        "invite": True,
        "subject": ("Time for your re-evaluation", "Es el momento de su revisión"),
        "message": (
            "It is about six months since your treatment on {appointment}. We recommend a "
            "re-evaluation 6 to 8 months after a treatment, to look at your results "
            "together and decide whether another treatment would help.",
            "Han pasado unos seis meses desde su tratamiento del {appointment}. Le "
            "recomendamos una revisión entre 6 y 8 meses después de un tratamiento, para ver "
            "juntos los resultados y decidir si otro tratamiento le ayudaría.",
        ),
    },
]

GROUP_PERMISSIONS = {
    "Managers": ["view_followup", "add_followup", "change_followup", "delete_followup",
                 "view_historicalfollowup"],
    "Translation reviewers": ["view_followup", "change_followup", "view_historicalfollowup"],
}


def ship(apps, schema_editor):
    Service = apps.get_model("booking", "Service")
    FollowUp = apps.get_model("booking", "FollowUp")
    treatment = Service.objects.filter(slug="exosome-treatment").first()
    consultation = Service.objects.filter(slug="consultation").first()
    if treatment is not None and not FollowUp.objects.filter(service=treatment).exists():
        for item in FOLLOW_UPS:
            (subject_en, subject_es), (message_en, message_es) = item["subject"], item["message"]
            FollowUp.objects.create(
                service=treatment,
                days_after=item["days_after"],
                invite_to=consultation if item["invite"] else None,
                subject=subject_en,
                subject_en=subject_en,
                subject_es=subject_es,
                message=message_en,
                message_en=message_en,
                message_es=message_es,
            )
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="booking", codename__in=codenames
        )
        if permissions.count() != len(codenames):
            raise RuntimeError(f"A follow-up permission for {name} does not exist.")
        group.permissions.add(*permissions)


def unship(apps, schema_editor):
    apps.get_model("booking", "FollowUp").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0016_follow_ups"),
        ("clinic", "0004_translation_reviewers_group"),
    ]

    operations = [migrations.RunPython(ship, unship)]
