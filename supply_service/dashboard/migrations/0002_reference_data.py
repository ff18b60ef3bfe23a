"""The dashboard's policies (minimum sample, publication day) and who may see the dashboard and publish."""

from django.db import migrations

from supply_service.core import roles
from supply_service.dashboard import seed

PERMISSIONS = {
    roles.MANAGER: ["dashboard.view_dashboard", "dashboard.view_publishedmonth", "dashboard.publish_publishedmonth"],
    roles.AUDITOR: ["dashboard.view_dashboard", "dashboard.view_publishedmonth"],
}


def forwards(apps, schema_editor):
    seed.seed_policies(apps.get_model("core", "Policy"))
    roles.grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_published_month"), ("core", "0015_open_work_due_sort")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
