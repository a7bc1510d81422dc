"""The supervision ladder (跟踪督导) shared by every duty with a deadline.

提醒 before the due date, 催办 on it, 督办 once overdue, 通报 when overdue by N working days.
Appeals, project milestones and progress reports all climb the same ladder: a domain's sweep
asks `target_level()` which rung a duty should be on, and moves it with `claim_step()`, a
conditional UPDATE that succeeds for exactly one worker.
"""

from datetime import date, datetime

from django.db import models

from shishi.core import workdays


class Level(models.IntegerChoices):
    NONE = 0, "正常"
    REMIND = 1, "提醒"
    URGE = 2, "催办"
    SUPERVISE = 3, "督办"
    NOTIFY = 4, "通报"


def target_level(*, due: date, today: date, remind_before: int, notify_after: int) -> Level:
    """The rung a duty due on `due` belongs on today."""
    if today > due:
        overdue = workdays.workdays_between(due, today)
        return Level.NOTIFY if overdue >= notify_after else Level.SUPERVISE
    if today == due:
        return Level.URGE
    if workdays.workdays_between(today, due) <= remind_before:
        return Level.REMIND
    return Level.NONE


def due_thresholds(*, today: date, remind_before: int, notify_after: int) -> dict[Level, date]:
    """For each rung, the latest due date that puts a duty on it (or higher) today.

    Lets a sweep find candidates with one indexed range query per rung instead of
    computing working days row by row.
    """
    return {
        Level.REMIND: workdays.add_workdays(today, remind_before),
        Level.URGE: today,
        Level.SUPERVISE: date.fromordinal(today.toordinal() - 1),
        Level.NOTIFY: workdays.sub_workdays(today, notify_after),
    }


def claim_step(
    queryset: models.QuerySet,
    *,
    pk: int,
    field: str,
    from_level: int,
    to_level: int,
    at_field: str,
    now: datetime,
) -> bool:
    """Move one row from `from_level` to `to_level`; False if another worker already did."""
    return bool(
        queryset.filter(pk=pk, **{field: from_level}).update(**{field: to_level, at_field: now})
    )
