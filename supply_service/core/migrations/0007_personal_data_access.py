# The personal-data access log (PIPL) and the kernel's cross-cutting permissions (issue 10, faults 5 and 16).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0006_axes_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonalDataAccess",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at")),
                ("action", models.CharField(choices=[("view", "Viewed unmasked"), ("export", "Exported")],
                                            max_length=8, verbose_name="action")),
                ("object_id", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="record id")),
                ("label", models.CharField(help_text="The customer's account number, or what was exported.",
                                           max_length=120, verbose_name="which")),
                ("record_count", models.PositiveIntegerField(default=1, verbose_name="records")),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                ("where", models.CharField(help_text="The page or the admin the data was seen in.", max_length=40,
                                           verbose_name="where")),
                ("content_type", models.ForeignKey(blank=True, null=True,
                                                   on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                   to="contenttypes.contenttype", verbose_name="kind of record")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                           to=settings.AUTH_USER_MODEL, verbose_name="staff member")),
            ],
            options={
                "verbose_name": "personal data access",
                "verbose_name_plural": "personal data accesses",
                "ordering": ["-at", "-pk"],
                "permissions": [("export_personal_data", "Can export personal data"),
                                ("act_any_office", "Can act on the items of every office")],
                "default_permissions": ("view",),
                "indexes": [
                    models.Index(fields=["content_type", "object_id"], name="core_person_content_96c247_idx"),
                    models.Index(fields=["user", "at"], name="core_person_user_id_f81265_idx"),
                ],
            },
        ),
    ]
