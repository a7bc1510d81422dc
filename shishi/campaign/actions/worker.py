"""The worker's side of directives and 整改: the supervision ladder over assignments not yet
reported and items not yet put right."""

from datetime import datetime

from shishi.campaign import notifications
from shishi.campaign.models import (
    Assignment,
    AssignmentEvent,
    Directive,
    Rectification,
    RectificationEvent,
)
from shishi.core import supervision
from shishi.core.indexes import literal_in
from shishi.core.supervision import LADDER_VERBS
from shishi.orgs import notify

OPEN = (Assignment.Status.PENDING, Assignment.Status.RETURNED)


def sweep_assignments(*, now: datetime) -> dict:
    """提醒 → 催办 → 督办 → 通报 for assignments of open directives still to be reported."""

    def step(row: Assignment, level, overdue: int) -> supervision.Step:
        sms = notifications.ladder_sms(row, level, overdue)
        event = AssignmentEvent.build(
            row, verb=LADDER_VERBS[level], now=now, unit=row.unit, note=sms.text
        )
        return supervision.Step(event=event, unit_id=row.unit_id, sms=sms)

    rows = Assignment.objects.filter(
        literal_in(Assignment, "status", OPEN), directive__status=Directive.Status.OPEN
    ).select_related("directive", "directive__issuer", "unit")
    ladder = supervision.Ladder(rows=rows, step=step)
    return supervision.sweep(ladder, now=now, recipients=notify.staff_phones)


def sweep_rectifications(*, now: datetime) -> dict:
    """提醒 → 催办 → 督办 → 通报 for 整改 items still being put right (an item waiting for
    销号 is off the ladder; sent back, it starts again)."""

    def step(row: Rectification, level, overdue: int) -> supervision.Step:
        sms = notifications.rectification_ladder_sms(row, level, overdue)
        event = RectificationEvent.build(
            row, verb=LADDER_VERBS[level], now=now, unit=row.unit, note=sms.text
        )
        return supervision.Step(event=event, unit_id=row.unit_id, sms=sms)

    rows = Rectification.objects.filter(status=Rectification.Status.OPEN).select_related(
        "unit", "group", "raised_unit"
    )
    ladder = supervision.Ladder(rows=rows, step=step)
    return supervision.sweep(ladder, now=now, recipients=notify.staff_phones)
