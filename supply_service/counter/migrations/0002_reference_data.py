"""Counter permissions of each role, the counter's policy values and its payment methods (tenders)."""

from django.db import migrations

from supply_service.core import roles

MODELS = ["service", "window", "queueticket", "boardcall", "tender", "receipt", "rating"]
VIEW = [f"counter.view_{m}" for m in MODELS]

PERMISSIONS = {
    roles.COUNTER_CLERK: [*VIEW, "counter.call_queueticket", "counter.add_receipt", "customers.add_payment"],
    roles.AUDITOR: VIEW,
    roles.MANAGER: [
        *VIEW, "counter.call_queueticket", "counter.add_receipt", "counter.reverse_receipt",
        "counter.green_channel_window", "customers.add_payment",
        *[f"counter.{verb}_{m}" for m in ("service", "window", "tender") for verb in ("add", "change")],
    ],
}


def forwards(apps, schema_editor):
    from supply_service.counter import seed

    roles.grant(apps, PERMISSIONS)
    seed.seed_policies(apps.get_model("core", "Policy"))
    seed.seed_tenders(apps.get_model("counter", "Tender"), apps.get_model("customers", "PaymentMethod"))


class Migration(migrations.Migration):
    dependencies = [
        ("counter", "0001_queue_windows_receipts_ratings"),
        ("core", "0015_open_work_due_sort"),
        ("customers", "0007_disconnection"),
        ("tickets", "0002_reference_data"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
