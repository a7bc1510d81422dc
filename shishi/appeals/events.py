"""Recording appeal events: the citizen's timeline (public rows) and the audit trail at once.

`record()` appends any event by its code; the event types that carry data have their own
small function, so what each stores is written down once.
"""

from datetime import datetime

from shishi.appeals.models import Appeal, AppealEvent, Category, Interview, Kind, Reply, ReplyKind
from shishi.core.supervision import LADDER_VERBS, Level
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit

Verb = AppealEvent.Verb
PUBLIC_LABEL = "群众"  # how a citizen acting without an account is named


def record(
    appeal: Appeal,
    *,
    verb: Verb,
    now: datetime,
    actor: Actor | None = None,
    unit: Unit | None = None,
    label: str = "",
    from_state: str = "",
    note: str = "",
    public: bool = False,
    data: dict | None = None,
) -> AppealEvent:
    """Append one event on `appeal`; its `to_state` is the appeal's status now."""
    return AppealEvent.record(
        appeal,
        verb=verb,
        now=now,
        actor=actor,
        unit=unit,
        label=label,
        from_state=from_state,
        note=note,
        public=public,
        data=data,
    )


def received(*, appeal: Appeal, actor: Actor | None, receiver: Unit, now: datetime) -> AppealEvent:
    return record(
        appeal,
        verb=Verb.RECEIVED,
        actor=actor,
        unit=receiver,
        now=now,
        public=True,
        label=actor.label() if actor else PUBLIC_LABEL,
        note=f"您反映的问题已受理，受理编号 {appeal.code}",
    )


def dispatched(
    *,
    appeal: Appeal,
    actor: Actor,
    to_unit: Unit,
    co_units: list[Unit],
    note: str,
    from_state: str,
    now: datetime,
) -> AppealEvent:
    co_note = f"，协办单位：{'、'.join(u.name for u in co_units)}" if co_units else ""
    return record(
        appeal,
        verb=Verb.DISPATCHED,
        actor=actor,
        from_state=from_state,
        now=now,
        public=True,
        note=f"已转交{to_unit.name}办理{co_note}",
        data={"to": to_unit.code, "co": [u.code for u in co_units], "note": note},
    )


def signed(*, appeal: Appeal, actor: Actor, on_time: bool, from_state: str, now: datetime):
    return record(
        appeal,
        verb=Verb.SIGNED,
        actor=actor,
        from_state=from_state,
        now=now,
        public=True,
        note=f"{actor.unit.name}已签收，正在办理",
        data={"on_time": on_time},
    )


def co_signed(*, appeal: Appeal, actor: Actor, on_time: bool, now: datetime) -> AppealEvent:
    return record(appeal, verb=Verb.CO_SIGNED, actor=actor, now=now, data={"on_time": on_time})


def returned(
    *, appeal: Appeal, actor: Actor, to_unit: Unit, reason: str, from_state: str, now: datetime
) -> AppealEvent:
    return record(
        appeal,
        verb=Verb.RETURNED,
        actor=actor,
        from_state=from_state,
        now=now,
        note=reason,
        data={"to": to_unit.code},
    )


def reclassified(
    *,
    appeal: Appeal,
    actor: Actor,
    before: tuple[Category, str],
    note: str,
    due_note: str,
    now: datetime,
) -> AppealEvent:
    """修改分类: what changed (from → to), the deadline it moved, and the office's reason."""
    category, kind = before
    changes = []
    if category.pk != appeal.category_id:
        changes.append(f"分类 {category.full_name} → {appeal.category.full_name}")
    if kind != appeal.kind:
        changes.append(f"类型 {Kind(kind).label} → {Kind(appeal.kind).label}")
    return record(
        appeal,
        verb=Verb.RECLASSIFIED,
        actor=actor,
        now=now,
        note="；".join(changes) + due_note + (f"。{note}" if note else ""),
        data={
            "from": {"category": category.pk, "kind": kind},
            "to": {"category": appeal.category_id, "kind": appeal.kind},
        },
    )


def dispatch_ladder_step(
    *, appeal: Appeal, level: Level, text: str, overdue: int, now: datetime, passed: bool = False
) -> AppealEvent:
    """An unsaved 提醒/催办/督办/通报 event of the dispatch duty (待派单, `sweep_dispatch`);
    `appeal` still carries the rung it was on. `passed`: a rung a late sweep climbed past
    (recorded, not texted); `text` is then ignored."""
    data = {"duty": "dispatch", "from": appeal.dispatch_level, "to": int(level), "overdue": overdue}
    if passed:
        text = f"派单：{PASSED_NOTE.format(level=level.label)}"
        data["passed"] = True
    return _ladder_event(appeal, level=level, note=text, data=data, now=now)


def replied(
    *, appeal: Appeal, actor: Actor | None, reply: Reply, from_state: str, now: datetime
) -> AppealEvent:
    reason = f"（{reply.reason}）" if reply.reason else ""
    return record(
        appeal,
        verb=Verb.DIRECT_REPLY if reply.direct else Verb.REPLIED,
        actor=actor,
        from_state=from_state,
        now=now,
        public=True,
        note=f"{ReplyKind(reply.kind).label}：{reply.text}{reason}",
        data={"kind": reply.kind, "on_time": reply.on_time},
    )


def reply_drafted(*, appeal: Appeal, actor: Actor, reply: Reply, now: datetime) -> AppealEvent:
    """The clerk's answer, waiting for the leader: internal until approved (then `replied`)."""
    return record(
        appeal,
        verb=Verb.REPLY_DRAFTED,
        actor=actor,
        now=now,
        note=f"{ReplyKind(reply.kind).label}：{reply.text[:80]}（待单位负责人审核）",
        data={"reply": reply.pk, "kind": reply.kind},
    )


def reply_returned(*, appeal: Appeal, actor: Actor, note: str, now: datetime) -> AppealEvent:
    return record(appeal, verb=Verb.REPLY_RETURNED, actor=actor, now=now, note=note)


def ladder_step(
    *, appeal: Appeal, level: Level, text: str, overdue: int, now: datetime
) -> AppealEvent:
    """An unsaved 提醒/催办/督办/通报 event (the sweep saves a batch at once); `appeal` still
    carries the rung it was on."""
    data = {"from": appeal.supervision, "to": int(level), "overdue": overdue}
    return _ladder_event(appeal, level=level, note=text, data=data, now=now)


def ladder_passed(*, appeal: Appeal, level: Level, overdue: int, now: datetime) -> AppealEvent:
    """An unsaved event for a rung the sweep found the appeal already past (it came late):
    recorded so the timeline shows every rung, while only the highest one sends an SMS."""
    data = {"from": appeal.supervision, "to": int(level), "overdue": overdue, "passed": True}
    note = PASSED_NOTE.format(level=level.label)
    return _ladder_event(appeal, level=level, note=note, data=data, now=now)


PASSED_NOTE = "巡查时已过{level}时点，逐级补记（短信只发最高一级）"


def _ladder_event(
    appeal: Appeal, *, level: Level, note: str, data: dict, now: datetime
) -> AppealEvent:
    event = AppealEvent.build(appeal, verb=LADDER_VERBS[level], now=now, note=note, data=data)
    event.unit_id = appeal.holder_id  # the holder by id: a sweep does not load the units
    return event


def phone_revealed(*, appeal: Appeal, actor: Actor, reason: str, now: datetime) -> AppealEvent:
    """查看号码: who saw the caller's full number and why (internal; the audit log lists it)."""
    return record(appeal, verb=Verb.PHONE_REVEALED, actor=actor, now=now, note=reason)


def urged(*, appeal: Appeal, actor: Actor, level: Level, note: str, now: datetime) -> AppealEvent:
    """A supervisor's manual 催办/督办 (the sweep's own rungs have no actor)."""
    return record(
        appeal,
        verb=LADDER_VERBS[level],
        actor=actor,
        unit=appeal.holder,
        now=now,
        note=note,
        data={"manual": True, "to": int(level)},
    )


def instructed(
    *, appeal: Appeal, actor: Actor, leader: str, text: str, now: datetime
) -> AppealEvent:
    """批示: a leader's instruction, entered by the supervisor; staff read it on the timeline."""
    return record(
        appeal,
        verb=Verb.INSTRUCTED,
        actor=actor,
        unit=appeal.holder,
        now=now,
        note=f"{leader}批示：{text}",
        data={"leader": leader},
    )


def interviewed(
    *, appeal: Appeal, actor: Actor, interview: Interview, now: datetime
) -> AppealEvent:
    """约谈 of the holding unit, noted on the appeal (the record itself is the Interview)."""
    return record(
        appeal,
        verb=Verb.INTERVIEWED,
        actor=actor,
        unit=interview.unit,
        now=now,
        note=f"{interview.held_on:%Y-%m-%d}约谈{interview.unit.name}：{interview.interviewees}",
        data={"interview": interview.pk, "held_on": interview.held_on.isoformat()},
    )
