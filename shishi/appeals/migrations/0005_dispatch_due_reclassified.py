from importlib import import_module

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

triggers = import_module(
    "shishi.appeals.migrations.0003_event_codes_partial_indexes_estimated_dues"
)


def set_dispatch_dues(apps, schema_editor):
    """Appeals already waiting to be dispatched get the deadline they would have had: from the
    day they were received, or returned for the last time."""
    from shishi.core import workdays

    appeals = apps.get_model("appeals", "Appeal")
    dispatches = apps.get_model("appeals", "Dispatch")
    days = getattr(settings, "APPEAL_DISPATCH_DAYS", 1)
    waiting = list(appeals.objects.filter(status__in=["received", "returned"]))
    returned = {}
    for appeal_id, at in (
        dispatches.objects.filter(appeal__in=waiting, returned_at__isnull=False)
        .order_by("returned_at")
        .values_list("appeal_id", "returned_at")
    ):
        returned[appeal_id] = at  # the last return wins
    for appeal in waiting:
        start = returned.get(appeal.pk, appeal.received_at)
        due = workdays.deadline(timezone.localdate(start), days)
        appeal.dispatch_due, appeal.dispatch_due_estimated = due.due, due.estimated
    appeals.objects.bulk_update(waiting, ["dispatch_due", "dispatch_due_estimated"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0004_reply_solved_by_citizen"),
        ("core", "0004_calendar_year"),
    ]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="dispatch_due",
            field=models.DateField(blank=True, null=True, verbose_name="派单期限"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="dispatch_due_estimated",
            field=models.BooleanField(default=False, verbose_name="派单期限为估算"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="dispatch_level",
            field=models.PositiveSmallIntegerField(
                choices=[(0, "正常"), (1, "提醒"), (2, "催办"), (3, "督办"), (4, "通报")],
                default=0,
                verbose_name="派单督办级别",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="dispatch_level_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="派单督办时间"),
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
                ],
                max_length=30,
                verbose_name="动作",
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("status__in", ("received", "returned"))),
                fields=["dispatch_due"],
                name="appeal_dispatch_due_idx",
            ),
        ),
        migrations.RunPython(set_dispatch_dues, migrations.RunPython.noop),
        migrations.RunPython(triggers.restore_search_triggers, migrations.RunPython.noop),
    ]
