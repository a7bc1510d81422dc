"""督查: what a supervisor (督查员) does about an appeal besides the automatic ladder — a
manual 催办 or 督办, a leader's 批示, and a 约谈 of the unit that holds it."""

from datetime import date, datetime

from django.db import transaction

from shishi.appeals import events, notifications
from shishi.appeals.actions.common import lock, refuse_unless
from shishi.appeals.allowed import FROM, Step
from shishi.appeals.models import Appeal, AppealEvent, Interview
from shishi.core.errors import Refused
from shishi.core.supervision import Level
from shishi.orgs.access import Actor

# The rungs a supervisor presses by hand (提醒 and 通报 stay the sweep's).
MANUAL_RUNGS = (Level.URGE, Level.SUPERVISE)


def _refuse_own_unit(appeal: Appeal, actor: Actor, doing: str) -> None:
    if appeal.holder_id == actor.unit.pk:
        raise Refused(f"该诉求由本单位承办，无需{doing}")


@transaction.atomic
def urge_appeal(
    *, appeal: Appeal, actor: Actor, level: Level, note: str, now: datetime
) -> AppealEvent:
    """A manual 催办 or 督办 of the holding unit, with the supervisor's note: an event on the
    timeline and an SMS to the unit's staff. The automatic ladder (`appeal.supervision`)
    stays where the deadline puts it."""
    appeal = lock(appeal)
    if level not in MANUAL_RUNGS:
        raise Refused("只能人工催办或督办")
    doing = Level(level).label
    refuse_unless(appeal, FROM[Step.URGE], doing)
    _refuse_own_unit(appeal, actor, doing)
    note = note.strip()
    if not note:
        raise Refused(f"请填写{doing}意见")
    event = events.urged(appeal=appeal, actor=actor, level=level, note=note, now=now)
    notifications.urged(appeal, level=level, note=note, by=actor.unit)
    return event


@transaction.atomic
def instruct_appeal(
    *, appeal: Appeal, actor: Actor, leader: str, text: str, now: datetime
) -> AppealEvent:
    """A leader's 批示 on the appeal, entered by the supervisor: shown to staff on the
    timeline, and texted to the holding unit."""
    appeal = lock(appeal)
    refuse_unless(appeal, FROM[Step.INSTRUCT], "录入批示")
    leader, text = leader.strip(), text.strip()
    if not leader or not text:
        raise Refused("请填写批示领导和批示内容")
    event = events.instructed(appeal=appeal, actor=actor, leader=leader, text=text, now=now)
    notifications.instructed(appeal, leader=leader, text=text)
    return event


@transaction.atomic
def record_interview(
    *,
    appeal: Appeal,
    actor: Actor,
    held_on: date,
    interviewees: str,
    points: str,
    now: datetime,
) -> Interview:
    """A 约谈 of the unit holding the appeal (when, whom, the points made): kept on the unit's
    record and noted on the appeal's timeline."""
    appeal = lock(appeal)
    refuse_unless(appeal, FROM[Step.INTERVIEW], "记录约谈")
    _refuse_own_unit(appeal, actor, "约谈")
    interviewees, points = interviewees.strip(), points.strip()
    if not interviewees or not points:
        raise Refused("请填写被约谈人和约谈要点")
    interview = Interview.objects.create(
        unit=appeal.holder,
        appeal=appeal,
        held_on=held_on,
        interviewees=interviewees,
        points=points,
        recorded_by=actor.person,
        recorded_at=now,
    )
    events.interviewed(appeal=appeal, actor=actor, interview=interview, now=now)
    return interview
