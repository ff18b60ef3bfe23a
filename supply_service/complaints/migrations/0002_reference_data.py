"""The complaints app's commitments (first contact, suggestion answered) and policies (public rate limit, identity
retention), and the permissions of each role."""

from django.db import migrations

from supply_service.complaints import seed
from supply_service.core import roles

VIEW = ["complaints.view_complaint", "complaints.view_correctiveaction"]
HANDLE = [f"complaints.{verb}_complaint" for verb in (
    "add", "accept", "assign", "investigate", "approve_reply", "reply", "callback", "close", "reopen", "pause")]

PERMISSIONS = {
    # the counter and the 95598 line take complaints in and see the ones that are not reports
    roles.COUNTER_CLERK: ["complaints.view_complaint", "complaints.add_complaint"],
    roles.AGENT_95598: ["complaints.view_complaint", "complaints.add_complaint"],
    roles.COMPLAINT_HANDLER: [
        *VIEW, *HANDLE, "complaints.view_report_complaint", "complaints.view_reporter_identity",
        "complaints.add_correctiveaction", "complaints.change_correctiveaction",
    ],
    roles.AUDITOR: [*VIEW, "complaints.view_report_complaint", "complaints.view_identityrequest"],
    roles.MANAGER: [
        *VIEW, *HANDLE, "complaints.view_report_complaint", "complaints.view_reporter_identity",
        "complaints.approve_identity_request", "complaints.supervise_complaint", "complaints.view_identityrequest",
        "complaints.add_correctiveaction", "complaints.change_correctiveaction",
    ],
}


def forwards(apps, schema_editor):
    seed.seed_reference(apps.get_model("core", "Commitment"), apps.get_model("core", "Policy"))
    roles.grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_complaints"), ("core", "0015_open_work_due_sort")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
