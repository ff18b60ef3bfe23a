"""Once: SQLite's planner statistics gathered in full (`core.dbstats` wrote approximate ones before: capped at the
sample's size, they made SQLite start the customer search at the offices). A no-op on PostgreSQL."""

from django.db import migrations


def analyse_in_full(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return  # never analysed: post_migrate's refresh analyses what it needs (core.dbstats)
        cursor.execute("PRAGMA analysis_limit = 0")
        cursor.execute("ANALYZE")


class Migration(migrations.Migration):
    dependencies = [("core", "0021_sla_owner_open_covering")]

    operations = [migrations.RunPython(analyse_in_full, migrations.RunPython.noop, elidable=True)]
