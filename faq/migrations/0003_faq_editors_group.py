"""The "FAQ editors" group: every permission of the faq app, and nothing else.

Permissions are normally created after all migrations have run (post_migrate), so on
a fresh database they do not exist yet here; create_permissions makes them now.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "FAQ editors"


def create_group(apps, schema_editor):
    app_config = apps.get_app_config("faq")
    # create_permissions skips app configs without a models module, which is what
    # the migration state's app configs look like.
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    finally:
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(Permission.objects.filter(content_type__app_label="faq"))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("faq", "0002_content"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
