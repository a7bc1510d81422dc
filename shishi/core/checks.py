"""System checks that need the database (run by `migrate` and `check --database default`)."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

from shishi.core import workdays


def calendar_warnings(today) -> list[Warning]:
    """One warning per year in the deadline horizon that has no holiday calendar."""
    return [
        Warning(
            f"{year}年的法定节假日安排未知：日历包不含该年，也没有录入节假日调整；"
            "该年的期限暂按周一至周五计算并标注“估算”。",
            hint="在“工作日历”中录入国务院办公厅公布的放假调休安排。",
            id="shishi.W001",
        )
        for year in workdays.calendar_gaps(today)
    ]


@register(Tags.database)
def calendar_covers_horizon(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    try:
        return calendar_warnings(timezone.localdate())
    except DatabaseError:  # tables not migrated yet
        return []
