"""
The waitlist's rights (see booking/migrations/0003_staff_groups.py for the groups).

Receptionists and Managers
    See the waitlist (entries with their offers, and each entry's history) and
    remove an entry ("Remove from the waitlist": it ends, with its open offers,
    and stays as a record until the retention purge). Nobody adds an entry by hand:
    patients join at /book/waitlist/; nobody edits an offer.
Managers (also)
    Delete an entry outright (a spam entry). The waitlist's numbers (batch size,
    minutes between batches, hours an offer stays open) are on the booking rules.
"""

from importlib import import_module

from django.db import migrations

staff_groups = import_module("booking.migrations.0003_staff_groups")

DESK = [
    ("waitlist", "view_entry"),
    ("waitlist", "change_entry"),
    ("waitlist", "view_historicalentry"),
    ("waitlist", "view_offer"),
]
GROUP_PERMISSIONS = {
    "Receptionists": DESK,
    "Managers": [*DESK, ("waitlist", "delete_entry")],
}


def grant(apps, schema_editor):
    staff_groups.ensure_permissions(apps)
    for name, wanted in GROUP_PERMISSIONS.items():
        staff_groups.add_group_permissions(apps, name, wanted)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GROUP_PERMISSIONS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="waitlist")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("waitlist", "0001_entries_and_offers"),
        ("booking", "0003_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
