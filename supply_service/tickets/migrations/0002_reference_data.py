"""Ticket permissions of each role (a transition names the permission it needs)."""

from django.db import migrations

from supply_service.core import roles

KINDS = ["repairticket", "businessexpansion", "meterfaultticket", "billquery", "consultation"]
VIEW = [f"tickets.view_{k}" for k in KINDS] + ["tickets.view_countertransaction", "tickets.view_callrecord"]
CREATE = [f"tickets.add_{k}" for k in KINDS]
LOOP = [f"tickets.{verb}_{k}" for k in KINDS for verb in ("callback", "close", "reopen")]

PERMISSIONS = {
    roles.COUNTER_CLERK: [
        *VIEW, *CREATE, *LOOP, "tickets.serve_countertransaction", "tickets.accept_businessexpansion",
        "tickets.sign_contract_businessexpansion", "tickets.reply_billquery", "tickets.answer_consultation",
        *[f"tickets.cancel_{k}" for k in KINDS],
    ],
    roles.AGENT_95598: [
        *VIEW, *CREATE, *LOOP, "tickets.take_callrecord", "tickets.answer_consultation", "tickets.reply_billquery",
        *[f"tickets.cancel_{k}" for k in KINDS],
    ],
    roles.DISPATCHER: [
        *VIEW, "tickets.add_repairticket", "tickets.add_meterfaultticket", "tickets.dispatch_repairticket",
        "tickets.cancel_repairticket", "tickets.reply_plan_businessexpansion",
        "tickets.review_design_businessexpansion", "tickets.handle_meterfaultticket",
    ],
    roles.FIELD_CREW: [
        "tickets.view_repairticket", "tickets.view_meterfaultticket", "tickets.view_businessexpansion",
        "tickets.arrive_repairticket", "tickets.remove_cause_repairticket", "tickets.repair_repairticket",
        "tickets.handle_meterfaultticket", "tickets.survey_businessexpansion", "tickets.inspect_businessexpansion",
        "tickets.energize_businessexpansion",
    ],
    roles.COMPLAINT_HANDLER: [*VIEW, *LOOP],
    roles.AUDITOR: VIEW,
    roles.MANAGER: [
        *VIEW, *CREATE, *LOOP, *[f"tickets.{v}_{k}" for k in KINDS for v in ("cancel", "chase")],
        "tickets.serve_countertransaction", "tickets.take_callrecord", "tickets.dispatch_repairticket",
        "tickets.arrive_repairticket", "tickets.remove_cause_repairticket", "tickets.repair_repairticket",
        "tickets.handle_meterfaultticket", "tickets.reply_billquery", "tickets.answer_consultation",
        *[f"tickets.{v}_businessexpansion" for v in ("accept", "survey", "reply_plan", "review_design", "inspect",
                                                      "sign_contract", "energize")],
    ],
}


def forwards(apps, schema_editor):
    roles.grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial"), ("core", "0005_policy_values")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
