"""The follow-up case of a "not satisfied" rating and the clerk cards: permissions of each role, the callback
commitment (`counter_rating_followup`, S13.5) and the clerk photo's size policies."""

from django.db import migrations

from supply_service.core import roles

PERMISSIONS = {
    roles.MANAGER: [
        "counter.view_ratingfollowup", "counter.call_back_ratingfollowup", "counter.close_ratingfollowup",
        "counter.view_clerkcard", "counter.add_clerkcard", "counter.change_clerkcard",
    ],
    roles.AUDITOR: ["counter.view_ratingfollowup", "counter.view_clerkcard"],
}


def forwards(apps, schema_editor):
    from supply_service.counter import seed

    roles.grant(apps, PERMISSIONS)
    seed.seed_policies(apps.get_model("core", "Policy"))
    seed.seed_commitments(apps.get_model("core", "Commitment"))


class Migration(migrations.Migration):
    dependencies = [("counter", "0003_rating_followup_clerk_card")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
