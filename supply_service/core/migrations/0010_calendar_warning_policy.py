"""Seed the `calendar_warning_month` policy (from which month next year's missing calendar is warned about) and
let managers import the State Council's holiday notice."""

from django.db import migrations

from supply_service.core import roles, seed

PERMISSIONS = {roles.MANAGER: ["core.import_calendarday"]}


def forwards(apps, schema_editor):
    seed.seed_policies(apps.get_model("core", "Policy"))
    roles.grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("core", "0009_calendar_notice")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
