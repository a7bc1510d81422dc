"""整改: an item raised from a guidance visit or a 专题组织生活会, reported on by the
responsible unit, closed (销号) on evidence or sent back by the side that raised it."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from shishi.campaign import access, notifications
from shishi.campaign.models import (
    Rectification,
    RectificationEvent,
    RectificationFile,
    StudySession,
    Visit,
)
from shishi.core import uploads, workdays
from shishi.core.codes import next_code
from shishi.core.errors import Refused
from shishi.core.supervision import Level
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit

Status = Rectification.Status
Verb = RectificationEvent.Verb
MAX_DAYS = 120  # working days: about half a year, the longest a campaign rectification runs


@dataclass(frozen=True)
class RectificationData:
    unit: Unit
    problem: str
    measures: str
    days: int
    visit: Visit | None = None  # raised from this visit's findings
    session: StudySession | None = None  # raised from this 专题组织生活会


def _source(data: RectificationData) -> str:
    if data.visit is not None and data.session is not None:
        raise Refused("整改事项只能来自一次巡回指导或一次组织生活会")
    if data.visit is not None:
        if not data.unit.path.startswith(data.visit.unit.path):
            raise Refused(f"{data.unit.name}不是这次指导的单位或其下级单位")
        return Rectification.Source.VISIT
    if data.session is not None:
        if data.session.kind != StudySession.Kind.LIFE_MEETING:
            raise Refused("只能从专题组织生活会查摆的问题提出整改")
        if data.session.unit_id != data.unit.pk:
            raise Refused("组织生活会查摆的问题由召开会议的单位整改")
        return Rectification.Source.LIFE_MEETING
    return Rectification.Source.OTHER


@transaction.atomic
def raise_rectification(*, data: RectificationData, actor: Actor, now: datetime) -> Rectification:
    """提出整改: by a guidance group for one of its units, or by the city office or a unit
    above the responsible one; due `days` working days from today, on the ladder."""
    try:
        group = access.raiser_for(actor, data.unit)
    except PermissionDenied as refused:
        raise Refused(str(refused)) from None
    source = _source(data)
    if data.visit is not None and group is not None and data.visit.group_id != group.pk:
        raise Refused("只能从本指导组的指导记录提出整改")
    if not data.problem.strip() or not data.measures.strip():
        raise Refused("请写明存在的问题和整改要求")
    if not 1 <= data.days <= MAX_DAYS:
        raise Refused(f"整改时限应为1至{MAX_DAYS}个工作日")
    today = timezone.localdate(now)
    due = workdays.deadline(today, data.days)
    item = Rectification.objects.create(
        code=next_code(prefix="ZG", day=today),
        unit=data.unit,
        source=source,
        visit=data.visit,
        session=data.session,
        group=group,
        raised_unit=actor.unit,
        raised_by=actor.person,
        raised_at=now,
        problem=data.problem.strip(),
        measures=data.measures.strip(),
        days=data.days,
        due=due.due,
        due_estimated=due.estimated,
    )
    raiser = group.name if group else actor.unit.name
    RectificationEvent.record(
        item,
        verb=Verb.RAISED,
        now=now,
        actor=actor,
        unit=item.unit,
        note=f"{raiser}提出，整改期限 {item.due:%Y-%m-%d}",
    )
    notifications.rectification_raised(item)
    return item


def _lock(item: Rectification) -> Rectification:
    return (
        # of=self: the group is a nullable join, which PostgreSQL will not lock
        Rectification.objects.select_for_update(of=("self",))
        .select_related("unit", "group", "raised_unit")
        .get(pk=item.pk)
    )


@dataclass(frozen=True)
class Progress:
    text: str
    files: list[UploadedFile] = field(default_factory=list)  # checked by the form
    done: bool = False  # 申请销号: the unit says the item is put right


@transaction.atomic
def report_rectification(
    *, item: Rectification, actor: Actor, progress: Progress, now: datetime
) -> Rectification:
    """报告整改进展 (any number of times while it is being put right) or 申请销号, which
    needs evidence on file; the raising side is told."""
    item = _lock(item)
    access.require_report_rectification(actor, item)
    if item.status != Status.OPEN:
        raise Refused(f"该事项当前为“{item.get_status_display()}”，不能报告进展")
    if not progress.text.strip():
        raise Refused("请填写整改进展")
    if progress.done and not progress.files and not item.files.exists():
        raise Refused("申请销号须上传整改佐证材料（照片、文件或台账）")
    uploads.attach(RectificationFile, progress.files, now=now, item=item)
    item.progress = progress.text.strip()
    fields = ["progress"]
    if progress.done:
        item.status, item.reported_at = Status.REPORTED, now
        fields += ["status", "reported_at"]
    item.save(update_fields=fields)
    RectificationEvent.record(
        item,
        verb=Verb.REPORTED if progress.done else Verb.PROGRESS,
        now=now,
        actor=actor,
        from_state=Status.OPEN,
        note=item.progress + (f"（附材料{len(progress.files)}份）" if progress.files else ""),
    )
    if progress.done:
        notifications.rectification_reported(item)
    return item


@transaction.atomic
def close_rectification(*, item: Rectification, actor: Actor, now: datetime) -> Rectification:
    """销号: the raising side accepts the unit's evidence; on time if the unit asked by the
    deadline it answered."""
    item = _lock(item)
    access.require_close_rectification(actor, item)
    if item.status != Status.REPORTED:
        raise Refused("责任单位申请销号后才能销号")
    if not item.files.exists():
        raise Refused("没有整改佐证材料，不能销号")
    item.status, item.closed_at = Status.CLOSED, now
    item.on_time = timezone.localdate(item.reported_at) <= item.due
    item.save(update_fields=["status", "closed_at", "on_time"])
    RectificationEvent.record(
        item, verb=Verb.CLOSED, now=now, actor=actor, from_state=Status.REPORTED
    )
    notifications.rectification_closed(item)
    return item


@transaction.atomic
def return_rectification(
    *, item: Rectification, actor: Actor, reason: str, now: datetime
) -> Rectification:
    """退回继续整改: with a reason; due again `CAMPAIGN_RETURN_DAYS` working days from today
    (never earlier than before), back on the ladder from the start."""
    item = _lock(item)
    access.require_close_rectification(actor, item)
    if item.status != Status.REPORTED:
        raise Refused("责任单位申请销号后才能退回")
    if not reason.strip():
        raise Refused("请写明退回原因")
    again = workdays.deadline(timezone.localdate(now), settings.CAMPAIGN_RETURN_DAYS)
    if again.due > item.due:
        item.due, item.due_estimated = again.due, again.estimated
    item.status, item.reported_at = Status.OPEN, None
    item.returns += 1
    item.return_reason = reason.strip()[:300]
    item.supervision, item.supervision_at = Level.NONE, None
    item.save(
        update_fields=[
            "status", "reported_at", "returns", "return_reason", "due", "due_estimated",
            "supervision", "supervision_at",
        ]
    )  # fmt: skip
    RectificationEvent.record(
        item,
        verb=Verb.RETURNED,
        now=now,
        actor=actor,
        from_state=Status.REPORTED,
        note=f"{item.return_reason}（整改期限 {item.due:%Y-%m-%d}）",
    )
    notifications.rectification_returned(item)
    return item
