"""The shared cache table (luoshi_cache) of the default cache (settings.CACHES: DatabaseCache): the API
token throttle and the citizen pages' rate limits count there, across every worker process."""
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Idempotent: createcachetable skips a table that exists (and does nothing for a Redis cache).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
