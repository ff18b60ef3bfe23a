from django.db import migrations

from supply_service.core import roles

# Managers see and clear login lockouts (django-axes) in the admin; auditors see them.
PERMISSIONS = {
    roles.MANAGER: ["axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accesslog",
                    "axes.view_accessfailurelog"],
    roles.AUDITOR: ["axes.view_accessattempt", "axes.view_accesslog", "axes.view_accessfailurelog"],
}


def forwards(apps, schema_editor):
    roles.grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_policy_values"), ("axes", "0010_accessattemptexpiration")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
