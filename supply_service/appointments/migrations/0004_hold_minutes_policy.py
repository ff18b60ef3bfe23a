"""The policy `appointment_hold_minutes`: how long a freed place is held for the first customer on the waiting
list."""

from django.db import migrations

from supply_service.appointments import seed


def forwards(apps, schema_editor):
    seed.seed_policies(apps.get_model("core", "Policy"))


class Migration(migrations.Migration):
    dependencies = [("appointments", "0003_waiting_hold")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
