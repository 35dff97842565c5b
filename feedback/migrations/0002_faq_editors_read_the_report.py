"""The FAQ editors see the readers' feedback and mark searches handled."""

from importlib import import_module

from django.db import migrations

# Permissions do not exist yet on a fresh database (they are made after migrate).
ensure_permissions = import_module("booking.migrations.0003_staff_groups").ensure_permissions

GROUP_NAME = "FAQ editors"
CODENAMES = ["view_answervotes", "view_missedsearch", "change_missedsearch"]


def grant(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = Permission.objects.filter(
        content_type__app_label="feedback", codename__in=CODENAMES
    )
    if permissions.count() != len(CODENAMES):
        raise RuntimeError("A permission of the feedback app does not exist.")
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(
            *apps.get_model("auth", "Permission").objects.filter(content_type__app_label="feedback")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_votes_and_missed_searches"),
        ("faq", "0003_faq_editors_group"),
        ("booking", "0003_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
