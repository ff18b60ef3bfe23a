from django.db import migrations

from supply_service.core import roles

VIEW = ["outages.view_outagenotice"]
PERMISSIONS = {
    roles.COUNTER_CLERK: VIEW,
    roles.AGENT_95598: VIEW,
    roles.COMPLAINT_HANDLER: VIEW,
    roles.FIELD_CREW: [*VIEW, "outages.operate_outagenotice"],
    roles.AUDITOR: VIEW,
    roles.DISPATCHER: [*VIEW, "outages.add_outagenotice", "outages.change_outagenotice", "outages.publish_outagenotice",
                       "outages.operate_outagenotice", "outages.cancel_outagenotice"],
    roles.MANAGER: [*VIEW, "outages.add_outagenotice", "outages.change_outagenotice", "outages.publish_outagenotice",
                    "outages.operate_outagenotice", "outages.cancel_outagenotice", "outages.approve_outagenotice",
                    "outages.override_outagenotice"],
}


def forwards(apps, schema_editor):
    roles.grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("outages", "0001_initial"), ("core", "0005_policy_values")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
