"""The "Clinicians" group records the FAQ page's clinical review (faq.review).

Another app creates a group of the same name for its own clinical work, so the group
is got or created and only this app's permissions are added (never set: that would
take away the other app's). Clinicians read and edit the FAQ (an answer they accept
as it stands, the regulatory note) and alone hold faq.record_clinical_review; FAQ
editors keep every other FAQ permission, not this one.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Clinicians"
PERMISSIONS = [
    "record_clinical_review",
    "view_faqpage",
    "change_faqpage",
    "view_entry",
    "change_entry",
    "view_topic",
]


def add_permissions(apps, schema_editor):
    app_config = apps.get_app_config("faq")
    # As in 0003: permissions are created after the last migration; make them now.
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    finally:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    wanted = Permission.objects.filter(content_type__app_label="faq", codename__in=PERMISSIONS)
    if wanted.count() != len(PERMISSIONS):
        raise RuntimeError("A permission of the Clinicians group does not exist.")
    group.permissions.add(*wanted)


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is None:
        return
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label="faq", codename__in=PERMISSIONS)
    )
    # The group goes only if nothing else (another app's permissions, members) uses it.
    if not group.permissions.exists() and not group.user_set.exists():
        group.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("faq", "0007_entry_flag_acceptance"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
