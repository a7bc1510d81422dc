from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0003_event_codes_partial_indexes_estimated_dues"),
    ]

    operations = [
        migrations.AddField(
            model_name="reply",
            name="solved_by_citizen",
            field=models.BooleanField(blank=True, null=True, verbose_name="群众认为已解决"),
        ),
    ]
