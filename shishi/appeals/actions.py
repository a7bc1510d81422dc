"""Every write to appeals. Each action is one transaction, refuses invalid transitions with a
Chinese message (changing nothing), records an event and queues its notifications."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from shishi.appeals import search
from shishi.appeals.deadlines import limits_for
from shishi.appeals.models import (
    FINAL_STATUSES,
    IN_HAND_STATUSES,
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    Category,
    Dispatch,
    Photo,
    Reply,
    ReplyKind,
    Review,
    Status,
    Verdict,
)
from shishi.core import outbox, supervision, workdays
from shishi.core.codes import next_code
from shishi.core.errors import Refused
from shishi.core.supervision import Level
from shishi.orgs.access import Actor
from shishi.orgs.models import Membership, Role, Unit

PUBLIC_LABEL = "群众"


def record_event(
    appeal: Appeal,
    *,
    verb: str,
    actor: Actor | None = None,
    unit: Unit | None = None,
    from_state: str = "",
    note: str = "",
    public: bool = False,
    data: dict | None = None,
    label: str | None = None,
    now: datetime,
) -> AppealEvent:
    return AppealEvent.objects.create(
        appeal=appeal,
        at=now,
        actor=actor.person if actor else None,
        actor_label=label or (actor.label() if actor else "系统"),
        unit=unit or (actor.unit if actor else None),
        verb=verb,
        from_state=from_state,
        to_state=appeal.status,
        note=note,
        public=public,
        data=data or {},
    )


def tell_unit(unit: Unit, body: str, *, phones: dict[int, list[str]] | None = None) -> None:
    """SMS to the people who work the unit's queue (clerks and leaders with a phone).

    `phones` caches the lookup across many messages (the sweep)."""
    cache = phones if phones is not None else {}
    if unit.pk not in cache:
        cache[unit.pk] = list(
            Membership.objects.filter(
                unit=unit, role__in=[Role.UNIT_CLERK, Role.UNIT_LEADER], person__is_active=True
            )
            .exclude(person__phone="")
            .values_list("person__phone", flat=True)
            .distinct()
        )
    for phone in cache[unit.pk]:
        outbox.enqueue(channel="sms", recipient=phone, body=body)


def tell_role(role: str, body: str) -> None:
    phones = (
        Membership.objects.filter(role=role, person__is_active=True)
        .exclude(person__phone="")
        .values_list("person__phone", flat=True)
        .distinct()
    )
    for phone in phones:
        outbox.enqueue(channel="sms", recipient=phone, body=body)


def _tell_citizen(appeal: Appeal, body: str) -> None:
    outbox.enqueue(channel="sms", recipient=appeal.reporter_phone, body=body)


def _today(now: datetime):
    return timezone.localdate(now)


def _lock(appeal: Appeal) -> Appeal:
    """Re-read the appeal inside the transaction, locked on PostgreSQL (SQLite serialises
    writers already), so two clerks cannot act on the same old state."""
    return Appeal.objects.select_for_update().select_related("holder", "category").get(pk=appeal.pk)


def _refuse_unless(appeal: Appeal, statuses: Iterable[str], doing: str) -> None:
    if appeal.status not in statuses:
        raise Refused(f"该诉求当前状态为“{appeal.get_status_display()}”，不能{doing}")


# --- Intake ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """What a citizen, operator or integration hands in."""

    channel: str
    kind: str
    category: Category
    content: str
    reporter_phone: str
    title: str = ""
    place: str = ""
    lat: Decimal | None = None
    lng: Decimal | None = None
    county: Unit | None = None
    town: Unit | None = None
    reporter_name: str = ""
    enterprise_name: str = ""


@transaction.atomic
def submit_appeal(
    *,
    submission: Submission,
    receiver: Unit,
    by: Actor | None,
    now: datetime,
    photos: Sequence[UploadedFile] = (),
    idempotency_key: str | None = None,
    direct_reply: str = "",
) -> tuple[Appeal, bool]:
    """Register an appeal; returns (appeal, created). The same idempotency key returns the
    appeal created the first time, even when the retries arrive at once."""
    if idempotency_key:
        existing = Appeal.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    s = submission
    if not s.category.active:
        raise Refused("该分类已停用，请选择其他分类")
    if s.town is not None and s.county is not None and not s.county.contains(s.town):
        raise Refused("所选乡镇（街道）不属于所选县（区）")
    if direct_reply and by is None:
        raise Refused("只有受理员可以直接办结")
    today = _today(now)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                code=next_code(prefix=settings.CITY_CODE_PREFIX, day=today),
                channel=s.channel,
                kind=s.kind,
                category=s.category,
                title=(s.title or s.content).strip()[:30].rstrip("，。、；：,.;: "),
                content=s.content.strip(),
                place=s.place,
                lat=s.lat,
                lng=s.lng,
                county=s.county,
                town=s.town,
                reporter_name=s.reporter_name,
                reporter_phone=s.reporter_phone,
                enterprise_name=s.enterprise_name,
                first_receiver=receiver,
                holder=receiver,
                created_by=by.person if by else None,
                received_at=now,
                idempotency_key=idempotency_key or None,
                search_text=search.index_text(s.title, s.content, s.place),
            )
    except IntegrityError:
        if idempotency_key:  # a concurrent retry with the same key committed first
            return Appeal.objects.get(idempotency_key=idempotency_key), False
        raise
    for upload in photos:
        Photo.objects.create(
            appeal=appeal, file=upload, size=upload.size, content_type=upload.content_type or ""
        )
    record_event(
        appeal,
        verb="受理",
        actor=by,
        unit=receiver,
        now=now,
        public=True,
        label=by.label() if by else PUBLIC_LABEL,
        note=f"您反映的问题已受理，受理编号 {appeal.code}",
    )
    _tell_citizen(
        appeal,
        f"您反映的问题已受理，编号{appeal.code}。可凭编号和手机号后四位"
        f"在“{settings.CITY_NAME}{settings.CAMPAIGN_NAME}”平台查询办理进度。",
    )
    if direct_reply:
        limits = limits_for(appeal.category, appeal.kind)
        appeal.handle_due = today
        _reply(
            appeal,
            actor=by,
            kind=ReplyKind.SOLVED,
            text=direct_reply,
            reason="",
            direct=True,
            limits=limits,
            now=now,
        )
    return appeal, True


# --- Dispatch, sign, return ----------------------------------------------------------------


@transaction.atomic
def dispatch_appeal(
    *,
    appeal: Appeal,
    actor: Actor,
    to_unit: Unit,
    now: datetime,
    co_units: Sequence[Unit] = (),
    note: str = "",
) -> Appeal:
    """Hand the appeal down to `to_unit` (and co-handlers); the holder changes."""
    appeal = _lock(appeal)
    _refuse_unless(appeal, OPEN_STATUSES, "派单")
    if appeal.holder_id != actor.unit.pk:
        raise Refused("只有当前承办单位可以派单")
    targets = [to_unit, *co_units]
    if any(not actor.sees(u) for u in targets):
        raise Refused("只能派给本单位管辖范围内的单位")
    if to_unit.pk == appeal.holder_id:
        raise Refused("不能派给本单位")
    if any(not u.active for u in targets):
        raise Refused("所选单位已停用")
    staffed = set(
        Membership.objects.filter(
            unit__in=targets, role__in=[Role.UNIT_CLERK, Role.UNIT_LEADER], person__is_active=True
        ).values_list("unit_id", flat=True)
    )
    unstaffed = [u.name for u in targets if u.pk not in staffed]
    if unstaffed:
        raise Refused(f"{'、'.join(unstaffed)}尚无经办人员，无法签收，请先在“人员”中为其添加")
    if len({u.pk for u in targets}) != len(targets):
        raise Refused("主办单位和协办单位不能重复")
    today = _today(now)
    limits = limits_for(appeal.category, appeal.kind)
    sign_due = workdays.add_workdays(today, limits.sign_days)
    current = appeal.dispatches.filter(active=True, co_handler=False).first()
    if current is not None and current.signed_at is None:
        # Passing it on in time is as good a response as signing it (签收或转派).
        Dispatch.objects.filter(pk=current.pk).update(
            signed_at=now, signed_on_time=today <= current.sign_due
        )
    appeal.dispatches.filter(active=True, co_handler=False).update(active=False)
    Dispatch.objects.create(
        appeal=appeal,
        from_unit=actor.unit,
        to_unit=to_unit,
        by=actor.person,
        at=now,
        sign_due=sign_due,
    )
    for unit in co_units:
        Dispatch.objects.create(
            appeal=appeal,
            from_unit=actor.unit,
            to_unit=unit,
            by=actor.person,
            at=now,
            sign_due=sign_due,
            co_handler=True,
        )
    before = appeal.status
    appeal.holder = to_unit
    appeal.status = Status.DISPATCHED
    if appeal.handle_due is None:
        due = workdays.deadline(today, limits.handle_days)
        appeal.handle_due, appeal.due_estimated = due.due, due.estimated
    appeal.save(update_fields=["holder", "status", "handle_due", "due_estimated"])
    co_note = f"，协办单位：{'、'.join(u.name for u in co_units)}" if co_units else ""
    record_event(
        appeal,
        verb="派单",
        actor=actor,
        from_state=before,
        now=now,
        public=True,
        note=f"已转交{to_unit.name}办理{co_note}",
        data={"to": to_unit.code, "co": [u.code for u in co_units], "note": note},
    )
    if note.strip():  # the dispatcher's instructions are for the units, not the public
        record_event(appeal, verb="派单意见", actor=actor, now=now, note=note.strip())
    body = (
        f"【诉求待签收】{appeal.code}“{appeal.title}”已派至贵单位，请于{sign_due:%m月%d日}前"
        f"签收，{appeal.handle_due:%m月%d日}前办结。"
    )
    tell_unit(to_unit, body)
    for unit in co_units:
        tell_unit(unit, body.replace("派至贵单位", "派贵单位协办"))
    return appeal


@transaction.atomic
def sign_appeal(*, appeal: Appeal, actor: Actor, now: datetime) -> Appeal:
    """The holding unit takes the appeal on; records whether it signed on time."""
    appeal = _lock(appeal)
    if appeal.holder_id != actor.unit.pk:
        raise Refused("只有承办单位可以签收")
    _refuse_unless(appeal, [Status.DISPATCHED], "签收")
    dispatch = appeal.dispatches.get(active=True, co_handler=False)
    on_time = _today(now) <= dispatch.sign_due
    Dispatch.objects.filter(pk=dispatch.pk).update(signed_at=now, signed_on_time=on_time)
    appeal.status = Status.ACCEPTED
    appeal.save(update_fields=["status"])
    record_event(
        appeal,
        verb="签收",
        actor=actor,
        from_state=Status.DISPATCHED,
        now=now,
        public=True,
        note=f"{actor.unit.name}已签收，正在办理",
        data={"on_time": on_time},
    )
    return appeal


@transaction.atomic
def sign_as_co_handler(*, dispatch: Dispatch, actor: Actor, now: datetime) -> Dispatch:
    """A co-handling unit acknowledges its part."""
    on_time = _today(now) <= dispatch.sign_due
    signed = Dispatch.objects.filter(pk=dispatch.pk, signed_at__isnull=True).update(
        signed_at=now, signed_on_time=on_time
    )
    if not signed:
        raise Refused("贵单位已签收该协办诉求")
    record_event(dispatch.appeal, verb="协办签收", actor=actor, now=now, data={"on_time": on_time})
    return dispatch


@transaction.atomic
def return_appeal(*, appeal: Appeal, actor: Actor, reason: str, now: datetime) -> Appeal:
    """退单: the holder sends it back to whoever dispatched it, with a reason."""
    appeal = _lock(appeal)
    if appeal.holder_id != actor.unit.pk:
        raise Refused("只有承办单位可以退单")
    _refuse_unless(appeal, [Status.DISPATCHED, Status.ACCEPTED, Status.RETURNED], "退单")
    if not reason.strip():
        raise Refused("请填写退单理由")
    # The dispatch that brought it here; for an appeal returned to this unit from below, the
    # one that brought it here before this unit passed it on.
    dispatch = (
        appeal.dispatches.select_related("from_unit")
        .filter(co_handler=False, to_unit=appeal.holder)
        .order_by("-at", "-pk")
        .first()
    )
    if dispatch is None:
        raise Refused("该诉求由本单位受理，没有可退回的派单单位")
    Dispatch.objects.filter(pk=dispatch.pk).update(
        returned_at=now, return_reason=reason, active=False
    )
    before = appeal.status
    appeal.holder = dispatch.from_unit
    appeal.status = Status.RETURNED
    appeal.return_count += 1
    appeal.save(update_fields=["holder", "status", "return_count"])
    record_event(
        appeal,
        verb="退单",
        actor=actor,
        from_state=before,
        now=now,
        note=reason,
        data={"to": dispatch.from_unit.code},
    )
    tell_unit(dispatch.from_unit, f"【诉求退单】{appeal.code}被{actor.unit.name}退回：{reason}")
    return appeal


# --- Extension and invalid: requests a supervisor decides -------------------------------------


@transaction.atomic
def request_extension(
    *, appeal: Appeal, actor: Actor, days: int, reason: str, now: datetime
) -> Review:
    appeal = _lock(appeal)
    if appeal.holder_id != actor.unit.pk:
        raise Refused("只有承办单位可以申请延期")
    _refuse_unless(appeal, [Status.ACCEPTED, Status.REOPENED], "申请延期")
    if not 1 <= days <= 30:
        raise Refused("延期天数应为1至30个工作日")
    if not reason.strip():
        raise Refused("请填写延期理由")
    if appeal.reviews.filter(type=Review.Type.EXTENSION, decision=Review.Decision.PENDING).exists():
        raise Refused("已有待审核的延期申请")
    review = Review.objects.create(
        appeal=appeal,
        type=Review.Type.EXTENSION,
        unit=actor.unit,
        requested_by=actor.person,
        requested_at=now,
        days=days,
        reason=reason,
    )
    record_event(
        appeal, verb="申请延期", actor=actor, now=now, note=f"申请延期{days}个工作日：{reason}"
    )
    tell_role(Role.SUPERVISOR, f"【延期申请】{actor.unit.name}申请{appeal.code}延期{days}个工作日")
    return review


@transaction.atomic
def request_invalid(*, appeal: Appeal, actor: Actor, reason: str, now: datetime) -> Review:
    """Ask a reviewer to mark the appeal invalid (恶意、重复骚扰、无实际诉求 …)."""
    appeal = _lock(appeal)
    _refuse_unless(appeal, OPEN_STATUSES, "申请无效件")
    if appeal.holder_id != actor.unit.pk:
        raise Refused("只有当前承办单位可以申请无效件")
    if not reason.strip():
        raise Refused("请填写理由")
    if appeal.reviews.filter(type=Review.Type.INVALID, decision=Review.Decision.PENDING).exists():
        raise Refused("已有待审核的无效件申请")
    review = Review.objects.create(
        appeal=appeal,
        type=Review.Type.INVALID,
        unit=actor.unit,
        requested_by=actor.person,
        requested_at=now,
        reason=reason,
    )
    record_event(appeal, verb="申请无效件", actor=actor, now=now, note=reason)
    return review


@transaction.atomic
def decide_review(
    *, review: Review, actor: Actor, approve: bool, note: str, now: datetime
) -> Review:
    """Approve or deny an extension or invalid request."""
    updated = Review.objects.filter(pk=review.pk, decision=Review.Decision.PENDING).update(
        decision=Review.Decision.APPROVED if approve else Review.Decision.DENIED,
        decided_by=actor.person,
        decided_at=now,
        decision_note=note,
    )
    if not updated:
        raise Refused("该申请已审核，不能重复审核")
    review.refresh_from_db()
    appeal = _lock(review.appeal)
    if approve and review.type == Review.Type.EXTENSION:
        if appeal.status not in (Status.ACCEPTED, Status.REOPENED):
            raise Refused(f"该诉求{appeal.get_status_display()}，无需延期")
        due = workdays.deadline(appeal.handle_due or _today(now), review.days or 0)
        appeal.handle_due, appeal.due_estimated = due.due, due.estimated
        appeal.extension_count += 1
        appeal.supervision = Level.NONE
        appeal.save(update_fields=["handle_due", "due_estimated", "extension_count", "supervision"])
        record_event(
            appeal,
            verb="同意延期",
            actor=actor,
            now=now,
            public=True,
            note=f"办理期限延至{due.due:%Y年%m月%d日}",
        )
    elif approve and review.type == Review.Type.INVALID:
        _refuse_unless(appeal, OPEN_STATUSES, "认定为无效件")
        before = appeal.status
        appeal.status = Status.INVALID
        appeal.closed_at = now
        appeal.save(update_fields=["status", "closed_at"])
        appeal.dispatches.filter(active=True).update(active=False)
        record_event(
            appeal,
            verb="认定无效",
            actor=actor,
            from_state=before,
            now=now,
            public=True,
            note=f"经审核认定为无效诉求：{review.reason}",
        )
    else:
        record_event(
            appeal, verb=f"不同意{review.get_type_display()}", actor=actor, now=now, note=note
        )
    tell_unit(
        review.unit,
        f"【审核结果】{appeal.code}的{review.get_type_display()}申请"
        f"{'已同意' if approve else '未同意'}。{note}",
    )
    return review


# --- Reply, verdict, reopen, close ------------------------------------------------------------


def _reply(
    appeal: Appeal,
    *,
    actor: Actor | None,
    kind: str,
    text: str,
    reason: str,
    direct: bool,
    limits,
    now: datetime,
) -> Reply:
    today = _today(now)
    reply = Reply.objects.create(
        appeal=appeal,
        unit=appeal.holder,
        by=actor.person if actor else None,
        at=now,
        kind=kind,
        text=text,
        reason=reason,
        on_time=appeal.handle_due is None or today <= appeal.handle_due,
        direct=direct,
    )
    before = appeal.status
    appeal.status = Status.REPLIED
    appeal.replied_at = now
    appeal.reply_kind = kind
    appeal.verdict = ""
    appeal.callback_due = workdays.add_workdays(today, limits.callback_days)
    appeal.supervision = Level.NONE
    appeal.save(
        update_fields=[
            "status",
            "replied_at",
            "reply_kind",
            "verdict",
            "callback_due",
            "supervision",
            "handle_due",
        ]
    )
    appeal.dispatches.filter(active=True, co_handler=True).update(active=False)
    # A pending extension has nothing left to extend once the citizen has an answer.
    appeal.reviews.filter(type=Review.Type.EXTENSION, decision=Review.Decision.PENDING).update(
        decision=Review.Decision.DENIED, decided_at=now, decision_note="已答复，延期申请自动撤销"
    )
    record_event(
        appeal,
        verb="直办答复" if direct else "答复",
        actor=actor,
        from_state=before,
        now=now,
        public=True,
        note=f"{ReplyKind(kind).label}：{text}" + (f"（{reason}）" if reason else ""),
        data={"kind": kind, "on_time": reply.on_time},
    )
    message = (
        f"您反映的问题（编号{appeal.code}）已答复：{ReplyKind(kind).label}。"
        f"请凭编号查看答复并评价，{appeal.callback_due:%m月%d日}前未评价的视为未评价。"
    )
    _tell_citizen(appeal, message)
    for merged in appeal.merged_appeals.all():
        outbox.enqueue(
            channel="sms",
            recipient=merged.reporter_phone,
            body=message.replace(appeal.code, f"{merged.code}，与{appeal.code}合并办理"),
        )
    return reply


@transaction.atomic
def reply_appeal(
    *, appeal: Appeal, actor: Actor, kind: str, text: str, reason: str = "", now: datetime
) -> Reply:
    """The holder answers the citizen; starts the callback window."""
    appeal = _lock(appeal)
    if appeal.holder_id != actor.unit.pk:
        raise Refused("只有承办单位可以答复")
    if appeal.status == Status.REPLIED:
        raise Refused("该诉求已答复，不能重复答复")
    _refuse_unless(appeal, [Status.ACCEPTED, Status.REOPENED], "答复（请先签收）")
    if kind not in ReplyKind.values:
        raise Refused("请选择办理结果")
    if len(text.strip()) < 10:
        raise Refused("答复内容不少于10个字")
    if kind == ReplyKind.UNSOLVABLE and not reason.strip():
        raise Refused("无法解决的，请说明原因")
    return _reply(
        appeal,
        actor=actor,
        kind=kind,
        text=text.strip(),
        reason=reason.strip(),
        direct=False,
        limits=limits_for(appeal.category, appeal.kind),
        now=now,
    )


@transaction.atomic
def record_verdict(
    *, appeal: Appeal, verdict: str, actor: Actor | None, now: datetime, note: str = ""
) -> Appeal:
    """回访 / 评价: the operator's callback (actor) or the citizen's own verdict (None).

    满意/基本满意 close the appeal; 不满意 reopens it with a new deadline, and past the
    allowed number of reopens escalates it to 督办; 未联系上 (operators only) is counted.
    """
    appeal = _lock(appeal)
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
    label = actor.label() if actor else PUBLIC_LABEL
    if verdict == Verdict.UNREACHED:
        Reply.objects.filter(pk=reply.pk).update(callback_attempts=reply.callback_attempts + 1)
        record_event(appeal, verb="回访未联系上", actor=actor, now=now, label=label, note=note)
        return appeal
    Reply.objects.filter(pk=reply.pk).update(
        verdict=verdict, verdict_at=now, verdict_by_citizen=actor is None, verdict_note=note[:300]
    )
    if verdict in (Verdict.SATISFIED, Verdict.BASIC):
        appeal.status = Status.CLOSED
        appeal.verdict = verdict
        appeal.closed_at = now
        appeal.save(update_fields=["status", "verdict", "closed_at"])
        record_event(
            appeal,
            verb="评价",
            actor=actor,
            from_state=Status.REPLIED,
            now=now,
            label=label,
            public=True,
            note=f"评价：{Verdict(verdict).label}。{note}".strip("。") + "。诉求办结",
        )
        return appeal
    _reopen(appeal, actor=actor, label=label, note=note, now=now)
    return appeal


def _reopen(appeal: Appeal, *, actor: Actor | None, label: str, note: str, now: datetime) -> None:
    limits = limits_for(appeal.category, appeal.kind)
    due = workdays.deadline(_today(now), limits.handle_days)
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
    record_event(
        appeal,
        verb="不满意重办",
        actor=actor,
        from_state=Status.REPLIED,
        now=now,
        label=label,
        public=True,
        note=f"评价：不满意。{note}".strip("。") + f"。已重新交办，办理期限{due.due:%Y年%m月%d日}",
    )
    tell_unit(
        appeal.holder, f"【重办】{appeal.code}群众评价不满意，请于{due.due:%m月%d日}前重新办理"
    )
    if escalate:
        record_event(
            appeal,
            verb="提级督办",
            now=now,
            public=False,
            note=f"重办已达{appeal.reopen_count}次，提级督办",
        )
        tell_role(
            Role.SUPERVISOR,
            f"【提级督办】{appeal.code}重办{appeal.reopen_count}次仍不满意，"
            f"承办单位{appeal.holder.name}",
        )


@transaction.atomic
def merge_appeal(*, duplicate: Appeal, primary: Appeal, actor: Actor, now: datetime) -> Appeal:
    """Close a duplicate into the primary appeal; the duplicate's reporter is told and keeps
    following their own code."""
    if duplicate.pk == primary.pk:
        raise Refused("不能与自身合并")
    duplicate, primary = _lock(duplicate), _lock(primary)
    if actor.unit.pk not in (duplicate.holder_id, duplicate.first_receiver_id):
        raise Refused("只有当前承办单位或首接单位可以合并该诉求")
    _refuse_unless(duplicate, OPEN_STATUSES, "合并")
    if primary.status not in (*OPEN_STATUSES, Status.REPLIED):
        raise Refused(
            f"目标诉求{primary.code}状态为“{primary.get_status_display()}”，不能合并到该诉求"
        )
    before = duplicate.status
    duplicate.status = Status.MERGED
    duplicate.merged_into = primary
    duplicate.closed_at = now
    duplicate.save(update_fields=["status", "merged_into", "closed_at"])
    duplicate.dispatches.filter(active=True).update(active=False)
    record_event(
        duplicate,
        verb="合并",
        actor=actor,
        from_state=before,
        now=now,
        public=True,
        note=f"与编号{primary.code}的相同诉求合并办理，办理结果将同步告知您",
    )
    record_event(primary, verb="合并相同诉求", actor=actor, now=now, note=f"合并了{duplicate.code}")
    _tell_citizen(
        duplicate,
        f"您反映的问题（编号{duplicate.code}）与编号{primary.code}的相同诉求"
        f"合并办理，办理结果将同步告知您，仍可凭原编号查询。",
    )
    return duplicate


@transaction.atomic
def withdraw_appeal(*, appeal: Appeal, note: str, now: datetime) -> Appeal:
    """The citizen withdraws their appeal (confirmed by their phone in the portal)."""
    appeal = _lock(appeal)
    _refuse_unless(appeal, (*OPEN_STATUSES, Status.REPLIED), "撤回")
    before = appeal.status
    appeal.status = Status.WITHDRAWN
    appeal.closed_at = now
    appeal.save(update_fields=["status", "closed_at"])
    appeal.dispatches.filter(active=True).update(active=False)
    record_event(
        appeal,
        verb="撤回",
        from_state=before,
        now=now,
        public=True,
        label=PUBLIC_LABEL,
        note=f"群众撤回诉求。{note}".strip(),
    )
    if before in IN_HAND_STATUSES:
        tell_unit(appeal.holder, f"【诉求撤回】{appeal.code}已由群众撤回，无需继续办理")
    return appeal


# --- Worker: supervision ladder and closing unevaluated replies ----------------------------------

STEP_TEXT = {
    Level.REMIND: "【提醒】{code}“{title}”将于{due:%m月%d日}到期，请抓紧办理",
    Level.URGE: "【催办】{code}“{title}”今天到期，请务必今日内答复",
    Level.SUPERVISE: (
        "【督办】{code}“{title}”已超过办理期限（{due:%m月%d日}），请立即办理并说明原因"
    ),
    Level.NOTIFY: "【通报】{code}“{title}”超期{overdue}个工作日，将列入通报",
}


def sweep_supervision(*, now: datetime, chunk: int = 500) -> dict[int, int]:
    """Move every appeal in hand up to the rung its deadline puts it on today.

    Idempotent: an appeal already on its rung is not touched. Highest rungs first, so an
    appeal the sweep reaches late jumps straight to where it belongs. Each move is claimed
    with a conditional UPDATE, so concurrent sweeps never repeat a step.
    """
    today = timezone.localdate(now)
    thresholds = supervision.due_thresholds(
        today=today,
        remind_before=settings.APPEAL_REMIND_BEFORE_DAYS,
        notify_after=settings.APPEAL_NOTIFY_AFTER_DAYS,
    )
    moved: dict[int, int] = {}
    phones: dict[int, list[str]] = {}  # unit id -> its clerks' phones, looked up once
    for level in sorted(thresholds, reverse=True):
        candidates = Appeal.objects.filter(
            status__in=IN_HAND_STATUSES, handle_due__lte=thresholds[level], supervision__lt=level
        ).values_list("pk", "supervision")
        while batch := list(candidates[:chunk]):
            # One transaction per batch: a commit per step would cost an fsync per appeal.
            # Claims stay per row, so a concurrent sweep still never repeats a step.
            with transaction.atomic():
                for pk, current in batch:
                    if _step(
                        pk=pk, current=current, level=level, today=today, now=now, phones=phones
                    ):
                        moved[level] = moved.get(level, 0) + 1
            if len(batch) < chunk:
                break
    return moved


def _step(
    *, pk: int, current: int, level: Level, today, now: datetime, phones: dict[int, list[str]]
) -> bool:
    claimed = supervision.claim_step(
        Appeal.objects,
        pk=pk,
        field="supervision",
        from_level=current,
        to_level=level,
        at_field="supervision_at",
        now=now,
    )
    if not claimed:
        return False
    appeal = Appeal.objects.select_related("holder").get(pk=pk)
    overdue = workdays.workdays_between(appeal.handle_due, today)
    text = STEP_TEXT[level].format(
        code=appeal.code, title=appeal.title, due=appeal.handle_due, overdue=overdue
    )
    record_event(
        appeal,
        verb=level.label,
        unit=appeal.holder,
        now=now,
        note=text,
        data={"from": current, "to": int(level), "overdue": max(overdue, 0)},
    )
    tell_unit(appeal.holder, text, phones=phones)
    return True


def close_unevaluated(*, now: datetime) -> int:
    """Replied appeals whose callback window has ended close as 未评价."""
    today = timezone.localdate(now)
    closed = 0
    for pk in Appeal.objects.filter(status=Status.REPLIED, callback_due__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            if Appeal.objects.filter(pk=pk, status=Status.REPLIED).update(
                status=Status.CLOSED, verdict=Verdict.NONE, closed_at=now
            ):
                appeal = Appeal.objects.get(pk=pk)
                record_event(
                    appeal,
                    verb="逾期未评价办结",
                    from_state=Status.REPLIED,
                    now=now,
                    public=True,
                    note="回访期内未评价，诉求按“未评价”办结",
                )
                closed += 1
    return closed


# --- Configuration -----------------------------------------------------------------------------


@transaction.atomic
def import_categories(
    *, rows: Iterable[Sequence[str]], deadlines: dict[str, dict[str, int]] | None = None
) -> int:
    """Build the category tree from rows of names (一级, 二级, 三级); existing nodes are kept.

    `deadlines` maps a full name ("城乡建设/安全生产") to its own sign/handle/callback days.
    Returns how many categories were created.
    """
    created = 0
    cache: dict[tuple[int | None, str], Category] = {
        (c.parent_id, c.name): c for c in Category.objects.all()
    }
    for row in rows:
        parent: Category | None = None
        for name in (n.strip() for n in row if n and n.strip()):
            key = (parent.pk if parent else None, name)
            node = cache.get(key)
            if node is None:
                node = Category.objects.create(name=name, parent=parent, sort=len(cache))
                cache[key] = node
                created += 1
            parent = node
    for full_name, days in (deadlines or {}).items():
        Category.objects.filter(full_name=full_name).update(**days)
    return created
