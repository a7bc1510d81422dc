"""System checks that need the database (run by `migrate` and `check --database default`)."""

from datetime import timedelta

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

from shishi.core import workdays

# Deadlines reach this far ahead (13 working days plus an extension), so a calendar gap
# inside the window already produces guessed deadlines.
HORIZON = timedelta(days=60)


@register(Tags.database)
def calendar_covers_horizon(app_configs=None, databases=None, **kwargs):
    """Warn when deadlines in the coming weeks fall in a year with no holiday calendar."""
    if not databases:
        return []
    today = timezone.localdate()
    try:
        gaps = [
            year
            for year in range(today.year, (today + HORIZON).year + 1)
            if workdays.year_source(year) is workdays.YearSource.WEEKDAYS
        ]
    except DatabaseError:  # tables not migrated yet
        return []
    return [
        Warning(
            f"{year}年的法定节假日安排未知：日历包不含该年，也没有录入节假日调整；"
            "该年的期限暂按周一至周五计算并标注“估算”。",
            hint="在“工作日历”中录入国务院办公厅公布的放假调休安排。",
            id="shishi.W001",
        )
        for year in gaps
    ]
