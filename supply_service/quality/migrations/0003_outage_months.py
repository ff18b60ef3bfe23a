"""The stored per-outage, per-month reliability sums (OutageMonth), built from the outages already recorded."""

import django.db.models.deletion
from django.db import migrations, models


def build(apps, schema_editor):
    from supply_service.quality.services_reliability import outage_months_rebuild

    outage_months_rebuild(models=(apps.get_model("quality", "OutageMonth"), apps.get_model("outages", "OutageNotice"),
                                  apps.get_model("outages", "AffectedCustomer")))


class Migration(migrations.Migration):

    dependencies = [
        ('outages', '0004_affected_customers_without_db_constraints'),
        ('quality', '0002_reference_data'),
    ]

    operations = [
        migrations.CreateModel(
            name='OutageMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('category', models.CharField(max_length=10)),
                ('customers', models.PositiveIntegerField()),
                ('customer_hours', models.FloatField()),
                ('interruptions', models.PositiveIntegerField()),
                ('notice', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='outages.outagenotice')),
                ('office', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.office')),
            ],
            options={
                'indexes': [models.Index(fields=['month', 'office'], name='quality_outage_month_office')],
                'constraints': [models.UniqueConstraint(fields=('notice', 'office', 'month'), name='quality_one_outage_month_per_office')],
            },
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
