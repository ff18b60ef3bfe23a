from django.db import migrations

from supply_service.core import roles, seed

PERMISSIONS = {
    roles.MANAGER: ["core.view_policy", "core.change_policy", "core.view_chase"],
    roles.AUDITOR: ["core.view_policy", "core.view_chase"],
}


def forwards(apps, schema_editor):
    seed.seed_policies(apps.get_model("core", "Policy"))
    roles.grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_policy")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
