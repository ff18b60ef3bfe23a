from django.db import migrations, models

SOURCE = models.CharField(
    choices=[("seeded", "Seeded from chinese-calendar"), ("manual", "Entered by a manager"),
             ("notice", "Imported from the State Council's notice")],
    default="manual", max_length=10, verbose_name="source",
)


class Migration(migrations.Migration):
    dependencies = [("core", "0008_personal_data_access_grants")]

    operations = [
        migrations.AlterModelOptions(
            name="calendarday",
            options={"ordering": ["date"],
                     "permissions": [("import_calendarday", "Can import the State Council's holiday notice")],
                     "verbose_name": "calendar day", "verbose_name_plural": "calendar days"},
        ),
        migrations.AlterField(model_name="calendarday", name="source", field=SOURCE),
        migrations.AlterField(model_name="historicalcalendarday", name="source", field=SOURCE.clone()),
    ]
