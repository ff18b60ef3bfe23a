"""The six kinds of S9.4, the appointment policies and each role's appointment permissions."""

from django.db import migrations

from supply_service.appointments import seed
from supply_service.core import roles

VIEW = ["appointments.view_appointment", "appointments.view_appointmentkind", "appointments.view_slottemplate",
        "appointments.view_dutyshift", "appointments.view_waitingentry"]
BOOK = ["appointments.add_appointment", "appointments.confirm_appointment", "appointments.reschedule_appointment",
        "appointments.cancel_appointment"]
LOOP = ["appointments.callback_appointment", "appointments.close_appointment"]
SERVE = ["appointments.arrive_appointment", "appointments.serve_appointment", "appointments.noshow_appointment"]
PLAN = [f"appointments.{verb}_{model}" for model in ("slottemplate", "slotexception", "dutyshift")
        for verb in ("add", "change", "view")] + ["appointments.change_appointmentkind",
                                                  "appointments.view_slotexception"]

PERMISSIONS = {
    roles.COUNTER_CLERK: [*VIEW, *BOOK, *LOOP, *SERVE],
    roles.AGENT_95598: [*VIEW, *BOOK, *LOOP],
    roles.DISPATCHER: [*VIEW, *BOOK],
    roles.FIELD_CREW: [*VIEW, *SERVE],
    roles.COMPLAINT_HANDLER: [*VIEW, *LOOP],
    roles.AUDITOR: [*VIEW, "appointments.view_slotexception"],
    roles.MANAGER: [*VIEW, *BOOK, *LOOP, *SERVE, *PLAN, "appointments.change_waitingentry"],
}


def forwards(apps, schema_editor):
    seed.seed_kinds(apps.get_model("appointments", "AppointmentKind"))
    seed.seed_policies(apps.get_model("core", "Policy"))
    roles.grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial"), ("core", "0015_open_work_due_sort")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
