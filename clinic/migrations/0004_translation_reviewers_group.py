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

# The staff groups' helpers: permissions made before post_migrate, a group's exact rights.
staff_groups = import_module("booking.migrations.0003_staff_groups")

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
    staff_groups.ensure_permissions(apps)
    staff_groups.set_group_permissions(apps, GROUP_NAME, PERMISSIONS)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0003_translation_review_permission"),
        ("faq", "0006_spanish_drafts"),
        ("booking", "0013_spanish_drafts"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
