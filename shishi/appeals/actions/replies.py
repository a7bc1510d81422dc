"""答复, 回访/评价, 重办: the unit's answer and the citizen's verdict on it."""

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from shishi.appeals import events, notifications
from shishi.appeals.access import Perm
from shishi.appeals.actions.common import (
    lock,
    refuse_unless,
    refuse_while_awaiting_approval,
    today_of,
)
from shishi.appeals.allowed import FROM, Step
from shishi.appeals.deadlines import Limits, limits_for
from shishi.appeals.models import (
    FINAL_STATUSES,
    Appeal,
    Photo,
    Reply,
    ReplyKind,
    Review,
    Status,
    Verdict,
)
from shishi.core import workdays
from shishi.core.errors import Conflict, Refused
from shishi.core.supervision import Level
from shishi.orgs.access import Actor
from shishi.orgs.models import Membership, Role

Verb = events.Verb
Approval = Reply.Approval


def write_reply(
    appeal: Appeal,
    *,
    actor: Actor | None,
    kind: str,
    text: str,
    reason: str,
    direct: bool,
    limits: Limits,
    now: datetime,
) -> Reply:
    """Store the answer and give it to the citizen at once (callers check state and input)."""
    reply = Reply.objects.create(
        appeal=appeal,
        unit=appeal.holder,
        by=actor.person if actor else None,
        at=now,
        kind=kind,
        text=text,
        reason=reason,
        on_time=_on_time(appeal, now),
        direct=direct,
    )
    _give(appeal, reply=reply, actor=actor, limits=limits, now=now)
    return reply


def _on_time(appeal: Appeal, now: datetime) -> bool:
    """Judged on the day the citizen gets the answer (a draft's approval, not its writing)."""
    return appeal.handle_due is None or today_of(now) <= appeal.handle_due


def _give(
    appeal: Appeal, *, reply: Reply, actor: Actor | None, limits: Limits, now: datetime
) -> None:
    """The public part of answering: 已答复, the callback window, the event on the citizen's
    timeline and the SMS."""
    today = today_of(now)
    kind = reply.kind
    before = appeal.status
    callback = workdays.deadline(today, limits.callback_days)
    appeal.status = Status.REPLIED
    appeal.replied_at = now
    appeal.reply_kind = kind
    appeal.verdict = ""
    appeal.callback_due, appeal.callback_due_estimated = callback.due, callback.estimated
    appeal.supervision = Level.NONE
    appeal.save(
        update_fields=[
            "status",
            "replied_at",
            "reply_kind",
            "verdict",
            "callback_due",
            "callback_due_estimated",
            "supervision",
            "handle_due",
        ]
    )
    appeal.dispatches.filter(active=True, co_handler=True).update(active=False)
    # A pending extension has nothing left to extend once the citizen has an answer.
    appeal.reviews.filter(type=Review.Type.EXTENSION, decision=Review.Decision.PENDING).update(
        decision=Review.Decision.DENIED, decided_at=now, decision_note="已答复，延期申请自动撤销"
    )
    events.replied(appeal=appeal, actor=actor, reply=reply, from_state=before, now=now)
    notifications.replied(appeal, kind=kind)


def approval_for(appeal: Appeal, *, actor: Actor) -> str:
    """How the holder's reply is approved. Where the unit's kind is listed in
    `APPEAL_REPLY_APPROVAL_KINDS` a clerk's reply waits for the leader (pending) — unless the
    unit has no leader who could approve it, and the citizen would never hear; the leader's
    own reply is approved by writing it."""
    holder = appeal.holder
    if holder.kind not in settings.APPEAL_REPLY_APPROVAL_KINDS:
        return Approval.NOT_REQUIRED
    if actor.can(Perm.APPROVE):
        return Approval.APPROVED
    leaders = Membership.objects.filter(unit=holder, role=Role.UNIT_LEADER, person__is_active=True)
    return Approval.PENDING if leaders.exists() else Approval.NOT_REQUIRED


@transaction.atomic
def reply_appeal(
    *,
    appeal: Appeal,
    actor: Actor,
    kind: str,
    text: str,
    reason: str = "",
    now: datetime,
    photos: Sequence[UploadedFile] = (),
) -> Reply:
    """The holder answers the citizen (with photos of the finished work); starts the callback
    window. Where the unit's leader must approve (`needs_approval`), the answer is stored as
    a draft instead: nothing public, no SMS, the appeal stays in hand and its deadline runs
    until the leader approves (`approve_reply`)."""
    appeal = lock(appeal)
    if appeal.holder_id != actor.unit.pk:
        raise Conflict("只有承办单位可以答复")
    if appeal.status == Status.REPLIED:
        raise Conflict("该诉求已答复，不能重复答复")
    refuse_unless(appeal, FROM[Step.REPLY], "答复（请先签收）")
    refuse_while_awaiting_approval(appeal, "再次答复")
    if kind not in ReplyKind.values:
        raise Refused("请选择办理结果")
    if len(text.strip()) < 10:
        raise Refused("答复内容不少于10个字")
    if kind == ReplyKind.UNSOLVABLE and not reason.strip():
        raise Refused("无法解决的，请说明原因")
    approval = approval_for(appeal, actor=actor)
    reply = Reply.objects.create(
        appeal=appeal,
        unit=appeal.holder,
        by=actor.person,
        at=now,
        kind=kind,
        text=text.strip(),
        reason=reason.strip(),
        on_time=_on_time(appeal, now),  # a draft's is judged again when the leader approves
        approval=approval,
        approved_by=actor.person if approval == Approval.APPROVED else None,
        approved_at=now if approval == Approval.APPROVED else None,
    )
    _attach(appeal, reply=reply, photos=photos)
    if approval == Approval.PENDING:
        events.reply_drafted(appeal=appeal, actor=actor, reply=reply, now=now)
        notifications.reply_awaiting_approval(appeal, reply=reply)
    else:
        _give(
            appeal,
            reply=reply,
            actor=actor,
            limits=limits_for(appeal.category, appeal.kind),
            now=now,
        )
    return reply


def _attach(appeal: Appeal, *, reply: Reply, photos: Sequence[UploadedFile]) -> None:
    for upload in photos:
        Photo.objects.create(
            appeal=appeal,
            kind=Photo.Kind.RESULT,
            reply=reply,
            file=upload,
            size=upload.size,
            content_type=upload.content_type or "",
        )


@transaction.atomic
def approve_reply(
    *, appeal: Appeal, actor: Actor, approve: bool, note: str = "", now: datetime
) -> Reply:
    """The holding unit's leader approves the draft reply — it reaches the citizen now (已答复,
    event, SMS, callback window; on time if it is by the deadline today) — or returns it
    with a reason, and the clerk answers again."""
    appeal = lock(appeal)
    if appeal.holder_id != actor.unit.pk or not actor.can(Perm.APPROVE):
        raise Refused("只有承办单位负责人可以审核答复")
    refuse_unless(appeal, FROM[Step.APPROVE_REPLY], "审核答复")
    draft = Reply.objects.filter(appeal=appeal, approval=Approval.PENDING).first()
    if draft is None:
        raise Refused("没有待审核的答复")
    note = note.strip()
    if not approve and not note:
        raise Refused("退回答复时请写明理由，以便经办人修改")
    decided = {"approved_by": actor.person, "approved_at": now, "approval_note": note[:300]}
    if not approve:
        Reply.objects.filter(pk=draft.pk).update(approval=Approval.RETURNED, **decided)
        events.reply_returned(appeal=appeal, actor=actor, note=note, now=now)
        notifications.reply_returned(appeal, note=note)
        return Reply.objects.get(pk=draft.pk)
    Reply.objects.filter(pk=draft.pk).update(
        approval=Approval.APPROVED, at=now, on_time=_on_time(appeal, now), **decided
    )
    draft.refresh_from_db()
    _give(
        appeal, reply=draft, actor=actor, limits=limits_for(appeal.category, appeal.kind), now=now
    )
    return draft


@transaction.atomic
def record_verdict(
    *,
    appeal: Appeal,
    verdict: str,
    actor: Actor | None,
    now: datetime,
    note: str = "",
    solved: bool | None = None,
) -> Appeal:
    """回访 / 评价: the operator's callback (actor) or the citizen's own verdict (None).

    满意/基本满意 close the appeal; 不满意 reopens it with a new deadline, and past the
    allowed number of reopens escalates it to 督办; 未联系上 (operators only) is counted and
    records nothing else. `solved` is the citizen's answer to 问题是否解决 (None: not asked);
    it is stored on the reply and decides 解决率, whatever the unit's reply claimed.
    """
    appeal = lock(appeal)
    if appeal.status != Status.REPLIED:
        if appeal.verdict or appeal.status in FINAL_STATUSES:
            raise Refused("该诉求已评价或已办结，不能重复评价")
        raise Refused("该诉求尚未答复，暂不能评价")
    if verdict not in {Verdict.SATISFIED, Verdict.BASIC, Verdict.UNSATISFIED, Verdict.UNREACHED}:
        raise Refused("请选择评价结果")
    if verdict == Verdict.UNREACHED and actor is None:
        raise Refused("请选择评价结果")
    reply = appeal.replies.order_by("-at", "-pk").first()
    if actor is not None and reply.unit_id == actor.unit.pk and not reply.direct:
        raise Refused("不能回访本单位的答复，请由受理员回访")
    label = actor.label() if actor else events.PUBLIC_LABEL
    if verdict == Verdict.UNREACHED:
        Reply.objects.filter(pk=reply.pk).update(callback_attempts=reply.callback_attempts + 1)
        events.record(appeal, verb=Verb.UNREACHED, actor=actor, now=now, label=label, note=note)
        return appeal
    Reply.objects.filter(pk=reply.pk).update(
        verdict=verdict,
        verdict_at=now,
        verdict_by_citizen=actor is None,
        verdict_note=note[:300],
        solved_by_citizen=solved,
    )
    said = Verdict(verdict).label
    if solved is not None:
        said += f"（问题{'已解决' if solved else '未解决'}）"
    if verdict in (Verdict.SATISFIED, Verdict.BASIC):
        appeal.status = Status.CLOSED
        appeal.verdict = verdict
        appeal.closed_at = now
        appeal.save(update_fields=["status", "verdict", "closed_at"])
        events.record(
            appeal,
            verb=Verb.EVALUATED,
            actor=actor,
            from_state=Status.REPLIED,
            now=now,
            label=label,
            public=True,
            note=f"评价：{said}。{note}".strip("。") + "。诉求办结",
        )
        return appeal
    _reopen(appeal, actor=actor, label=label, note=note, said=said, now=now)
    return appeal


def _reopen(
    appeal: Appeal, *, actor: Actor | None, label: str, note: str, said: str, now: datetime
) -> None:
    limits = limits_for(appeal.category, appeal.kind)
    due = workdays.deadline(today_of(now), limits.handle_days)
    appeal.status = Status.REOPENED
    appeal.verdict = ""
    appeal.reopen_count += 1
    appeal.handle_due, appeal.due_estimated = due.due, due.estimated
    appeal.supervision = Level.NONE
    escalate = appeal.reopen_count > settings.APPEAL_MAX_REOPENS
    if escalate:
        appeal.escalated = True
        appeal.supervision = Level.SUPERVISE
        appeal.supervision_at = now
    appeal.save(
        update_fields=[
            "status",
            "verdict",
            "reopen_count",
            "handle_due",
            "due_estimated",
            "supervision",
            "escalated",
            "supervision_at",
        ]
    )
    events.record(
        appeal,
        verb=Verb.REOPENED,
        actor=actor,
        from_state=Status.REPLIED,
        now=now,
        label=label,
        public=True,
        note=f"评价：{said}。{note}".strip("。") + f"。已重新交办，办理期限{due.due:%Y年%m月%d日}",
    )
    notifications.reopened(appeal, due=due.due)
    if escalate:
        events.record(
            appeal,
            verb=Verb.ESCALATED,
            now=now,
            note=f"重办已达{appeal.reopen_count}次，提级督办",
        )
        notifications.escalated(appeal)
