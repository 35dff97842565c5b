"""
The Clinicians group, and the Managers' part of the intake (see
booking/migrations/0003_staff_groups.py for the other groups and why).

Clinicians
    Review treatment patients' health answers and signed consents: the list of
    upcoming treatment bookings by state, each patient's answers and consent (every
    opening recorded), a decision with a note, the printable record. They record the
    clinical and legal review of the questions and the consent, and read (not edit)
    them. Nothing else: no bookings list, no FAQ, no clinic rules.

Managers (added to)
    Edit the questions and the consent document, with history. They do NOT see
    patients' answers or signatures (minimum necessary): a manager who is also a
    clinician joins both groups.

Receptionists see each booking's intake state on the day sheet, never the answers;
FAQ editors see nothing of it.
"""

from django.db import migrations

CLINICIANS = "Clinicians"
MANAGERS = "Managers"

CONTENT = ["questionnaire", "question", "consentdocument"]
HISTORY = ["historicalquestionnaire", "historicalquestion", "historicalconsentdocument"]

GROUP_PERMISSIONS = {
    CLINICIANS: [
        ("intake", "view_intakebooking"),
        ("intake", "review_intake"),
        ("intake", "view_clinicalreview"),
        ("intake", "view_historicalclinicalreview"),
        ("intake", "review_content"),
        *(("intake", f"view_{model}") for model in CONTENT + HISTORY),
    ],
    MANAGERS: [
        *(
            ("intake", f"{action}_{model}")
            for model in CONTENT
            for action in ("view", "add", "change", "delete")
        ),
        *(("intake", f"view_{model}") for model in HISTORY),
    ],
}


def ensure_permissions(apps):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def add_permissions(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            try:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            except Permission.DoesNotExist:
                raise RuntimeError(f"Permission {app_label}.{codename} does not exist.") from None
            group.permissions.add(permission)


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=CLINICIANS).delete()
    manager = Group.objects.filter(name=MANAGERS).first()
    if manager:
        manager.permissions.remove(
            *manager.permissions.filter(content_type__app_label="intake")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_first_questionnaire_and_consent"),
        ("booking", "0003_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
