from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_reference_data")]

    operations = [
        migrations.AddField(
            model_name="identityrequest",
            name="used_at",
            field=models.DateTimeField(blank=True, help_text="The one read this approval allowed; a new read needs a new request.", null=True, verbose_name="read at"),
        ),
    ]
