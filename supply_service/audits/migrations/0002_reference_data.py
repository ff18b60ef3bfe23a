"""Audit permissions of each role, the corrective-action commitment, the audit policies and the checklist templates
generated from the standard (checklist.toml)."""

from django.db import migrations

from supply_service.core import roles

RECORDS = ["engagementrecord", "servicesupervisor", "surveyresult", "majorincident", "dutyshift"]
VIEW = [f"audits.view_{m}" for m in ["audit", "answer", "evidence", "checklisttemplate", "checklistitem",
                                      "correctiveaction", *RECORDS]]
OWNER = ["audits.view_correctiveaction", "audits.complete_correctiveaction"]

PERMISSIONS = {
    **{role: OWNER for role in roles.ROLES},
    roles.AUDITOR: [*VIEW, *OWNER, "audits.add_audit", "audits.conduct_audit", "audits.cancel_audit",
                    "audits.verify_correctiveaction"],
    roles.MANAGER: [*VIEW, *OWNER, "audits.add_audit", "audits.conduct_audit", "audits.review_audit",
                    "audits.close_audit", "audits.cancel_audit",
                    *[f"audits.{verb}_{m}" for m in RECORDS for verb in ("add", "change")]],
}


def forwards(apps, schema_editor):
    from supply_service.audits.seed import seed_reference_models

    roles.grant(apps, PERMISSIONS)
    seed_reference_models(Commitment=apps.get_model("core", "Commitment"), Policy=apps.get_model("core", "Policy"),
                          Template=apps.get_model("audits", "ChecklistTemplate"),
                          Item=apps.get_model("audits", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial"), ("core", "0015_open_work_due_sort")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
