"""Each appeal's random tracking key (the SMS link /t/<key>), given to existing appeals
one by one (a callable default on AddField would give every row the same value), and the
event recording a failed code + last-four check."""

import secrets
from importlib import import_module

from django.db import migrations, models

import shishi.appeals.models.appeal

# SQLite rebuilds the table to alter a column, dropping the full-text search triggers.
triggers = import_module(
    "shishi.appeals.migrations.0003_event_codes_partial_indexes_estimated_dues"
)


def give_keys(apps, schema_editor):
    Appeal = apps.get_model("appeals", "Appeal")
    batch = []
    for appeal in Appeal.objects.filter(tracking_key__isnull=True).only("pk").iterator(2000):
        appeal.tracking_key = secrets.token_urlsafe(16)
        batch.append(appeal)
        if len(batch) == 2000:
            Appeal.objects.bulk_update(batch, ["tracking_key"])
            batch = []
    Appeal.objects.bulk_update(batch, ["tracking_key"])


class Migration(migrations.Migration):
    dependencies = [("appeals", "0008_interviews_and_supervision_events")]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="tracking_key",
            field=models.CharField(
                max_length=32, null=True, editable=False, verbose_name="查询密钥"
            ),
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="appeal",
            name="tracking_key",
            field=models.CharField(
                default=shishi.appeals.models.appeal.new_tracking_key,
                editable=False,
                max_length=32,
                unique=True,
                verbose_name="查询密钥",
            ),
        ),
        migrations.RunPython(triggers.restore_search_triggers, migrations.RunPython.noop),
    ]
