"""Seed the `kiosk_finished_days` policy (how long a finished application stays on the kiosk's progress page), and
give the report commitment an English msgid (its title was "Report (举报) answered": Chinese in every language)."""

from django.db import migrations

from supply_service.core import seed


def forwards(apps, schema_editor):
    seed.seed_policies(apps.get_model("core", "Policy"))
    Commitment = apps.get_model("core", "Commitment")
    for old, new in seed.RETITLED_COMMITMENTS.items():
        Commitment.objects.filter(title=old).update(title=new)


def backwards(apps, schema_editor):
    Commitment = apps.get_model("core", "Commitment")
    for old, new in seed.RETITLED_COMMITMENTS.items():
        Commitment.objects.filter(title=new).update(title=old)


class Migration(migrations.Migration):
    dependencies = [("core", "0013_notifications")]
    operations = [migrations.RunPython(forwards, backwards)]
