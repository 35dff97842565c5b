"""
The "Translation reviewers" group: the people who check a Spanish text for clinical
accuracy and publish it (clinic.translation_review).

They see every translated item and its history, and correct the texts that are only
texts (FAQ topics, entries and page texts; instructions; reminders). Services and the
booking rules also hold prices, durations and notice periods, which are the managers':
reviewers see them and publish their Spanish from the list's action, without the right
to change them.
"""

from importlib import import_module

from django.db import migrations

# Permissions do not exist yet on a fresh database (they are made after migrate).
ensure_permissions = import_module("booking.migrations.0003_staff_groups").ensure_permissions

GROUP_NAME = "Translation reviewers"

EDITABLE = [
    ("faq", "topic"),
    ("faq", "entry"),
    ("faq", "faqpage"),
    ("booking", "instruction"),
    ("booking", "reminder"),
]
VIEW_ONLY = [("booking", "service"), ("booking", "bookingpolicy")]
HISTORY = [
    ("faq", "historicaltopic"),
    ("faq", "historicalentry"),
    ("faq", "historicalfaqpage"),
    ("booking", "historicalinstruction"),
    ("booking", "historicalreminder"),
    ("booking", "historicalbookingpolicy"),
]

PERMISSIONS = [
    ("clinic", "review_translation"),
    *((app, f"{action}_{model}") for app, model in EDITABLE for action in ("view", "change")),
    *((app, f"view_{model}") for app, model in VIEW_ONLY + HISTORY),
]


def create_group(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = []
    for app_label, codename in PERMISSIONS:
        try:
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        except Permission.DoesNotExist:
            raise RuntimeError(f"Permission {app_label}.{codename} does not exist.") from None
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0003_translation_review_permission"),
        ("faq", "0006_spanish_drafts"),
        ("booking", "0013_spanish_drafts"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
