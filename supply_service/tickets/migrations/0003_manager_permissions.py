"""Managers finish other clerks' counter transactions and take ticket steps in the admin."""

from django.db import migrations

from supply_service.core import roles

KINDS = ["repairticket", "businessexpansion", "meterfaultticket", "billquery", "consultation"]
PERMISSIONS = {
    roles.MANAGER: ["tickets.change_countertransaction", *[f"tickets.change_{k}" for k in KINDS]],
}


def forwards(apps, schema_editor):
    roles.grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_reference_data")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
