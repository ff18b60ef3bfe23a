"""Reference data: roles (groups with permissions), service commitments, service languages, the calendar."""

from django.db import migrations

from supply_service.core import roles, seed


def forwards(apps, schema_editor):
    roles.grant(apps, roles.CORE_PERMISSIONS)
    seed.seed_commitments(apps.get_model("core", "Commitment"))
    seed.seed_service_languages(apps.get_model("core", "ServiceLanguage"))
    seed.seed_calendar(apps.get_model("core", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
