"""The database cache table that throttle counters use when no Redis is configured.

Created by the migration rather than by `createcachetable` so that every way of deploying
(make run, the container, the browser tests' server, the benchmarks' server) has it after
`migrate`, whichever CACHES the migrating process itself was given.
"""

from django.db import migrations

CACHE_TABLE = "sameboat_cache"  # settings.CACHES["default"]["LOCATION"] without Redis


def create_cache_table(apps, schema_editor):
    from django.core.management.commands.createcachetable import Command

    # It does nothing when the table exists (an operator ran createcachetable already).
    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_health_probe")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
