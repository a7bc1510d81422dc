from importlib import import_module

from django.db import migrations, models

from shishi.core.masking import phone_hash

triggers = import_module(
    "shishi.appeals.migrations.0003_event_codes_partial_indexes_estimated_dues"
)


def hash_phones(apps, schema_editor):
    """Every existing appeal gets the keyed hash of its number (同号码历史诉求)."""
    Appeal = apps.get_model("appeals", "Appeal")
    rows = Appeal.objects.filter(phone_hash="").only("pk", "reporter_phone").order_by("pk")
    batch = []
    for appeal in rows.iterator(chunk_size=2000):
        appeal.phone_hash = phone_hash(appeal.reporter_phone)
        batch.append(appeal)
        if len(batch) == 2000:
            Appeal.objects.bulk_update(batch, ["phone_hash"])
            batch = []
    Appeal.objects.bulk_update(batch, ["phone_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0006_reply_approval_result_photos"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="appeal",
            name="appeal_phone_idx",
        ),
        migrations.AddField(
            model_name="appeal",
            name="phone_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="号码摘要"
            ),
        ),
        migrations.AlterField(
            model_name="appealevent",
            name="verb",
            field=models.CharField(
                choices=[
                    ("received", "受理"),
                    ("dispatched", "派单"),
                    ("dispatch_note", "派单意见"),
                    ("signed", "签收"),
                    ("co_signed", "协办签收"),
                    ("returned", "退单"),
                    ("extension_requested", "申请延期"),
                    ("extension_approved", "同意延期"),
                    ("extension_denied", "不同意延期"),
                    ("invalid_requested", "申请无效件"),
                    ("invalid_approved", "认定无效"),
                    ("invalid_denied", "不同意无效件"),
                    ("reply_drafted", "答复送审"),
                    ("reply_returned", "退回答复"),
                    ("replied", "答复"),
                    ("direct_reply", "直办答复"),
                    ("unreached", "回访未联系上"),
                    ("evaluated", "评价"),
                    ("reopened", "不满意重办"),
                    ("escalated", "提级督办"),
                    ("merged", "合并"),
                    ("absorbed", "合并相同诉求"),
                    ("withdrawn", "撤回"),
                    ("remind", "提醒"),
                    ("urge", "催办"),
                    ("supervise", "督办"),
                    ("notify", "通报"),
                    ("reclassified", "修改分类"),
                    ("closed_unevaluated", "逾期未评价办结"),
                    ("in_project", "纳入实事项目"),
                    ("project_done", "实事项目完成"),
                    ("phone_revealed", "查看号码"),
                ],
                max_length=30,
                verbose_name="动作",
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["phone_hash", "-received_at"], name="appeal_phone_hash_idx"),
        ),
        migrations.RunPython(triggers.restore_search_triggers, migrations.RunPython.noop),
        migrations.RunPython(hash_phones, migrations.RunPython.noop),
    ]
