"""
The staff groups, least privilege first. A person may be in more than one group
(a manager who also edits the FAQ joins "FAQ editors" too).

Receptionists
    The reception desk and nothing else: see, add and change bookings (status
    changes go through the workflow's actions, never a free edit), see each
    booking's emails and its history. No deleting bookings (cancel them), no
    FAQ, no staff accounts, no clinic rules: opening hours, closures, services,
    instructions, reminders and booking rules are edited by managers.

Managers
    Everything in the booking app: services, instructions, reminders, opening
    hours, closures, booking rules, bookings (including deleting a spam booking),
    and the outbox (view, and "retry now" for failed mail). They unlock a
    locked-out colleague (django-axes access attempts: view and delete) and see
    staff accounts. They do NOT add or change accounts: Django's stock user admin
    lets anyone with change_user tick "superuser status" or hand out any
    permission, which would make every manager a superuser. Those two permissions
    belong here only once the user admin guards them (see the lead's report).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECEPTIONISTS = "Receptionists"
MANAGERS = "Managers"

BOOKING_MODELS = [
    "service",
    "instruction",
    "reminder",
    "openinghours",
    "closure",
    "bookingpolicy",
    "booking",
    "outgoingemail",
]
HISTORY_MODELS = [
    "historicalbooking",
    "historicalinstruction",
    "historicalreminder",
    "historicalbookingpolicy",
]

GROUP_PERMISSIONS = {
    RECEPTIONISTS: [
        ("booking", "view_booking"),
        ("booking", "add_booking"),
        ("booking", "change_booking"),
        ("booking", "view_historicalbooking"),
        ("booking", "view_outgoingemail"),
    ],
    MANAGERS: [
        *(
            ("booking", f"{action}_{model}")
            for model in BOOKING_MODELS
            for action in ("view", "add", "change", "delete")
            # Emails are records: nobody writes or deletes them by hand.
            if not (model == "outgoingemail" and action in ("add", "delete"))
        ),
        *(("booking", f"view_{model}") for model in HISTORY_MODELS),
        ("axes", "view_accessattempt"),
        ("axes", "delete_accessattempt"),
        ("auth", "view_user"),
        ("auth", "view_group"),
    ],
}


def ensure_permissions(apps):
    # Django creates permissions after the last migration has run (post_migrate),
    # so on a fresh database they do not exist yet at this point.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permissions(apps, wanted) -> list:
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for app_label, codename in wanted:
        try:
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        except Permission.DoesNotExist:
            # A renamed model must not silently leave a group without a right.
            raise RuntimeError(f"Permission {app_label}.{codename} does not exist.") from None
    return permissions


def set_group_permissions(apps, name: str, wanted) -> None:
    """Give the group `name` (made if missing) exactly the (app_label, codename) rights."""
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=name)
    group.permissions.set(_permissions(apps, wanted))


def add_group_permissions(apps, name: str, wanted) -> None:
    """Add the (app_label, codename) rights to the group `name` (made if missing)."""
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=name)
    group.permissions.add(*_permissions(apps, wanted))


def create_groups(apps, schema_editor):
    ensure_permissions(apps)
    for name, wanted in GROUP_PERMISSIONS.items():
        set_group_permissions(apps, name, wanted)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0002_seed_services_rules"),
        ("faq", "0003_faq_editors_group"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
