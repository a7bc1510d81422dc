"""The worker's appeal jobs, on the duty kit: the supervision ladders (handling appeals in
hand, dispatching waiting ones) and closing replies nobody evaluated within the callback
window."""

from datetime import datetime

from django.utils import timezone

from shishi.appeals import events, notifications
from shishi.appeals.models import (
    IN_HAND_STATUSES,
    WAITING_STATUSES,
    Appeal,
    AppealEvent,
    Status,
    Verdict,
)
from shishi.core import supervision
from shishi.core.indexes import literal_in
from shishi.core.supervision import Level
from shishi.orgs.notify import INTAKE_ROLES, ref, staff_phones

# What a step reads of an appeal (the text, the event, whose staff are told).
LADDER_FIELDS = ("code", "title", "status", "handle_due", "supervision", "holder_id")


def sweep_supervision(*, now: datetime, chunk: int = 500) -> dict[int, int]:
    """Move every appeal in hand up to the rung its handling deadline puts it on today."""
    ladder = supervision.Ladder(
        # The literal matches appeal_due_idx's condition (see core.indexes).
        rows=Appeal.objects.filter(literal_in(Appeal, "status", IN_HAND_STATUSES)).only(
            *LADDER_FIELDS
        ),
        step=lambda appeal, level, overdue: _step(appeal, level, overdue, now),
        due_field="handle_due",
        # The timeline shows every rung an appeal climbed, even in one late sweep.
        passed=lambda appeal, level, overdue: events.ladder_passed(
            appeal=appeal, level=level, overdue=overdue, now=now
        ),
    )
    return supervision.sweep(ladder, now=now, recipients=staff_phones, chunk=chunk)


def _step(appeal: Appeal, level: Level, overdue: int, now: datetime) -> supervision.Step:
    sms = notifications.ladder_sms(appeal, level, overdue)
    event = events.ladder_step(appeal=appeal, level=level, text=sms.text, overdue=overdue, now=now)
    return supervision.Step(event=event, unit_id=appeal.holder_id, sms=sms, ref=ref(appeal))


# What a dispatch step reads of an appeal.
DISPATCH_LADDER_FIELDS = ("code", "title", "status", "dispatch_due", "dispatch_level", "holder_id")


def sweep_dispatch(*, now: datetime, chunk: int = 500) -> dict[int, int]:
    """Move every appeal waiting to be dispatched (待派单) up to the rung its dispatch
    deadline puts it on today; the office that holds it is told (operators included)."""
    ladder = supervision.Ladder(
        # The literal matches appeal_dispatch_due_idx's condition (see core.indexes).
        rows=Appeal.objects.filter(literal_in(Appeal, "status", WAITING_STATUSES)).only(
            *DISPATCH_LADDER_FIELDS
        ),
        step=lambda appeal, level, overdue: _dispatch_step(appeal, level, overdue, now),
        due_field="dispatch_due",
        level_field="dispatch_level",
        at_field="dispatch_level_at",
        passed=lambda appeal, level, overdue: events.dispatch_ladder_step(
            appeal=appeal, level=level, text="", overdue=overdue, now=now, passed=True
        ),
    )
    return supervision.sweep(
        ladder,
        now=now,
        recipients=lambda units: staff_phones(units, roles=INTAKE_ROLES),
        chunk=chunk,
    )


def _dispatch_step(appeal: Appeal, level: Level, overdue: int, now: datetime) -> supervision.Step:
    sms = notifications.dispatch_ladder_sms(appeal, level, overdue)
    event = events.dispatch_ladder_step(
        appeal=appeal, level=level, text=sms.text, overdue=overdue, now=now
    )
    return supervision.Step(event=event, unit_id=appeal.holder_id, sms=sms, ref=ref(appeal))


def close_unevaluated(*, now: datetime, chunk: int = 500) -> int:
    """Replied appeals whose callback window has ended close as 未评价."""

    def record(appeal: Appeal) -> AppealEvent:
        return AppealEvent.build(
            appeal,
            verb=events.Verb.CLOSED_UNEVALUATED,
            now=now,
            from_state=Status.REPLIED,
            public=True,
            note="回访期内未评价，诉求按“未评价”办结",
        )

    return supervision.close_due(
        Appeal.objects.filter(literal_in(Appeal, "status", [Status.REPLIED])),
        due_field="callback_due",
        today=timezone.localdate(now),
        changes={"status": Status.CLOSED, "verdict": Verdict.NONE, "closed_at": now},
        record=record,
        chunk=chunk,
    )
