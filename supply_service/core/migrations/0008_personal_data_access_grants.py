"""Managers export personal data (with a reason, logged); auditors read the log. Nobody is given
`core.act_any_office` by default (superusers act for every office; a city-level role may be given it)."""

from django.db import migrations

from supply_service.core import roles

PERMISSIONS = {
    roles.MANAGER: ["core.export_personal_data"],
    roles.AUDITOR: ["core.view_personaldataaccess"],
}


def forwards(apps, schema_editor):
    roles.grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_personal_data_access")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
