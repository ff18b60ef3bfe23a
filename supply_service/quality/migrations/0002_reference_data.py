"""Voltage classes (S6.1/S6.2), the general supply-quality target (S6.4) and who may see and import the figures."""

from django.db import migrations

from supply_service.core import roles

MODELS = ["voltageclass", "monitoringpoint", "voltagemonth", "abnormalperiod", "exemption", "qualitytarget"]
VIEW = [f"quality.view_{m}" for m in MODELS]
PERMISSIONS = {
    roles.AUDITOR: VIEW,
    roles.MANAGER: [*VIEW, *[f"quality.{verb}_{m}" for m in MODELS for verb in ("add", "change")]],
}


def forwards(apps, schema_editor):
    from supply_service.quality.seed import seed_reference

    roles.grant(apps, PERMISSIONS)
    seed_reference(apps.get_model("quality", "VoltageClass"), apps.get_model("quality", "QualityTarget"))


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_voltage_and_targets"), ("core", "0005_policy_values")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
