"""
The table of Django's DatabaseCache, the shared cache in production without Redis
(settings.cache_config). Created here so that `migrate` alone sets a server up; the
same statements as `manage.py createcachetable`, which skips a table that exists.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "clinic_cache"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    quoted = schema_editor.connection.ops.quote_name(TABLE)
    # A constant table name, quoted by the backend: no value from anyone.
    schema_editor.execute(f"DROP TABLE IF EXISTS {quoted}")  # nosemgrep: no-raw-sql


class Migration(migrations.Migration):
    dependencies = [("clinic", "0001_initial")]

    operations = [migrations.RunPython(create_table, drop_table)]
