"""Policies added after the first release: the kiosk terminal's own suggestion-box rate limit
(`feedback_kiosk_rate_max` / `feedback_kiosk_rate_minutes`: the customers at one office's kiosks share one address)
and how long a custodian's approval to read a reporter's identity stays valid (`complaint_identity_approval_hours`).
Idempotent: an existing row keeps a manager's number."""

from django.db import migrations

from supply_service.complaints import seed


def forwards(apps, schema_editor):
    seed.seed_reference(apps.get_model("core", "Commitment"), apps.get_model("core", "Policy"))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_identity_request_used_at")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
