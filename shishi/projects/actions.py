"""Every write to projects: one transaction each, refusals in Chinese, an event per change."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from shishi.appeals.actions import record_event as record_appeal_event
from shishi.appeals.models import Appeal
from shishi.core import outbox, supervision, workdays
from shishi.core.codes import next_code
from shishi.core.errors import Refused
from shishi.core.supervision import Level
from shishi.orgs.access import Actor
from shishi.orgs.models import Membership, Role, Unit
from shishi.projects.models import (
    EDITABLE_STATUSES,
    RATABLE_STATUSES,
    Attachment,
    Cadence,
    Milestone,
    Objection,
    ProgressReport,
    Project,
    ProjectEvent,
    Rating,
    ReportSlot,
    Status,
)

CODE_PREFIX = "XM"
BUDGET_LIMIT = Decimal("10000000000")  # the column holds 12 digits with 2 decimals


def record(
    project: Project,
    *,
    verb: str,
    actor: Actor | None,
    now: datetime,
    from_state: str = "",
    note: str = "",
    public: bool = False,
    data: dict | None = None,
    label: str | None = None,
) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project,
        at=now,
        actor=actor.person if actor else None,
        actor_label=label or (actor.label() if actor else "系统"),
        unit=actor.unit if actor else None,
        verb=verb,
        from_state=from_state,
        to_state=project.status,
        note=note,
        public=public,
        data=data or {},
    )


def tell_lead_unit(project: Project, body: str) -> None:
    phones = (
        Membership.objects.filter(
            unit=project.lead_unit,
            person__is_active=True,
            role__in=[Role.UNIT_CLERK, Role.UNIT_LEADER],
        )
        .exclude(person__phone="")
        .values_list("person__phone", flat=True)
        .distinct()
    )
    for phone in phones:
        outbox.enqueue(channel="sms", recipient=phone, body=body)


def _today(now: datetime) -> date:
    return timezone.localdate(now)


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("lead_unit").get(pk=project.pk)


def _move(project: Project, *, to: str, allowed: Sequence[str], doing: str) -> str:
    if project.status not in allowed:
        raise Refused(f"项目当前状态为“{project.get_status_display()}”，不能{doing}")
    before = project.status
    project.status = to
    return before


# --- The ledger entry ---------------------------------------------------------------------------


@dataclass
class ProjectData:
    """The fields a unit fills in (form, import)."""

    title: str
    area: str
    level: str
    source: str
    lead_unit: Unit
    leader: str
    planned_start: date
    planned_end: date
    targets: str
    budget: Decimal = Decimal("0")
    beneficiaries: int = 0
    place: str = ""
    cadence: str = Cadence.MONTHLY
    description: str = ""
    co_units: list[Unit] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Browsers send CRLF, workbooks LF: store one form so round trips compare equal.
        for name in ("title", "leader", "targets", "place", "description"):
            value = getattr(self, name)
            setattr(self, name, value.replace("\r\n", "\n").replace("\r", "\n").strip())

    def check(self) -> None:
        if self.budget >= BUDGET_LIMIT:
            raise Refused("投资金额过大（应小于一百亿万元）")
        if self.planned_end < self.planned_start:
            raise Refused("计划完成日期不能早于计划开始日期")
        if self.budget < 0:
            raise Refused("投资金额不能为负数")
        if self.lead_unit in self.co_units:
            raise Refused("牵头单位不能同时作为配合单位")


SCALAR_FIELDS = (
    "title",
    "area",
    "level",
    "source",
    "lead_unit",
    "leader",
    "planned_start",
    "planned_end",
    "targets",
    "budget",
    "beneficiaries",
    "place",
    "cadence",
    "description",
)


@transaction.atomic
def create_project(
    *,
    actor: Actor | None,
    data: ProjectData,
    now: datetime,
    appeals: Sequence[Appeal] = (),
    code: str = "",
) -> Project:
    """Enter a project in the ledger as a draft; optionally made from citizens' appeals."""
    data.check()
    if actor is not None and not actor.sees(data.lead_unit):
        raise Refused("牵头单位须在本单位管辖范围内")
    project = Project.objects.create(
        code=code or next_code(prefix=CODE_PREFIX, day=_today(now)),
        created_by=actor.person if actor else None,
        created_at=now,
        **{name: getattr(data, name) for name in SCALAR_FIELDS},
    )
    project.co_units.set(data.co_units)
    record(project, verb="登记项目", actor=actor, now=now)
    if appeals:
        link_appeals(project=project, appeals=appeals, actor=actor, now=now)
    return project


def link_appeals(
    *, project: Project, appeals: Sequence[Appeal], actor: Actor | None, now: datetime
) -> None:
    """The citizens who raised these appeals see on their timeline that a project took them up."""
    project.appeals.add(*appeals)
    for appeal in appeals:
        record_appeal_event(
            appeal,
            verb="纳入实事项目",
            actor=actor,
            now=now,
            public=True,
            note=f"您反映的问题已纳入“我为群众办实事”项目“{project.title}”"
            f"（{project.code}），可在项目公示页查看进度",
        )
    record(project, verb="关联诉求", actor=actor, now=now, note="、".join(a.code for a in appeals))


@transaction.atomic
def update_project(
    *, actor: Actor | None, project: Project, data: ProjectData, now: datetime
) -> bool:
    """Change a draft or submitted project; returns whether anything changed."""
    project = _lock(project)
    data.check()
    changes = {
        name: [str(getattr(project, name)), str(getattr(data, name))]
        for name in SCALAR_FIELDS
        if getattr(project, name) != getattr(data, name)
    }
    co_before = set(project.co_units.values_list("pk", flat=True))
    co_after = {u.pk for u in data.co_units}
    if not changes and co_before == co_after:
        return False
    if project.status not in EDITABLE_STATUSES:
        raise Refused(f"项目已{project.get_status_display()}，不能再修改基本信息")
    if actor is not None and not actor.sees(data.lead_unit):
        raise Refused("牵头单位须在本单位管辖范围内")
    for name in SCALAR_FIELDS:
        setattr(project, name, getattr(data, name))
    project.save()
    project.co_units.set(data.co_units)
    record(project, verb="修改项目", actor=actor, now=now, data={"changes": changes})
    return True


# --- Milestones and progress ----------------------------------------------------------------


def _recompute_progress(project: Project) -> int:
    weights = project.milestones.aggregate(
        total=Sum("weight"), done=Sum("weight", filter=Q(done_at__isnull=False))
    )
    total, done = weights["total"] or 0, weights["done"] or 0
    progress = round(done * 100 / total) if total else 0
    Project.objects.filter(pk=project.pk).update(progress=progress)
    project.progress = progress
    return progress


@transaction.atomic
def add_milestone(
    *, actor: Actor | None, project: Project, title: str, weight: int, due: date, now: datetime
) -> Milestone:
    project = _lock(project)
    if project.status in (Status.COMPLETED, Status.ACCEPTED, Status.EVALUATED, Status.CANCELLED):
        raise Refused("项目已完成或取消，不能再增加节点")
    if not 1 <= weight <= 100:
        raise Refused("节点权重应为1至100")
    if not project.planned_start <= due <= project.planned_end:
        raise Refused("节点日期应在项目计划开始与完成日期之间")
    milestone = Milestone.objects.create(project=project, title=title, weight=weight, due=due)
    _recompute_progress(project)
    record(project, verb="增加节点", actor=actor, now=now, note=f"{title}（{due:%Y-%m-%d}）")
    return milestone


@transaction.atomic
def remove_milestone(*, actor: Actor, milestone: Milestone, now: datetime) -> None:
    project = _lock(milestone.project)
    if project.status not in EDITABLE_STATUSES:
        raise Refused("项目审核通过后不能删除节点")
    milestone.delete()
    _recompute_progress(project)
    record(project, verb="删除节点", actor=actor, now=now, note=milestone.title)


@transaction.atomic
def complete_milestone(*, actor: Actor | None, milestone: Milestone, now: datetime) -> int:
    """Mark a step done; the project's progress follows the weights of done steps."""
    project = _lock(milestone.project)
    if project.status != Status.IN_PROGRESS:
        raise Refused("项目实施中才能完成节点")
    if not Milestone.objects.filter(pk=milestone.pk, done_at__isnull=True).update(done_at=now):
        raise Refused("该节点已完成")
    progress = _recompute_progress(project)
    late = _today(now) > milestone.due
    record(
        project,
        verb="完成节点",
        actor=actor,
        now=now,
        public=True,
        note=f"{milestone.title}已完成{'（超期）' if late else ''}，总体进度{progress}%",
    )
    return progress


# --- The life of a project -------------------------------------------------------------------


@transaction.atomic
def submit_project(*, actor: Actor, project: Project, now: datetime) -> Project:
    project = _lock(project)
    if not project.milestones.exists():
        raise Refused("请先设置至少一个实施节点")
    before = _move(project, to=Status.SUBMITTED, allowed=[Status.DRAFT], doing="提交审核")
    project.save(update_fields=["status"])
    record(project, verb="提交审核", actor=actor, from_state=before, now=now)
    return project


@transaction.atomic
def review_project(
    *, actor: Actor, project: Project, approve: bool, note: str, now: datetime
) -> Project:
    """The supervising unit approves a submitted project or sends it back to draft."""
    project = _lock(project)
    if not approve and not note.strip():
        raise Refused("退回时请填写意见")
    before = _move(
        project,
        to=Status.APPROVED if approve else Status.DRAFT,
        allowed=[Status.SUBMITTED],
        doing="审核",
    )
    project.save(update_fields=["status"])
    record(
        project,
        verb="审核通过" if approve else "退回修改",
        actor=actor,
        from_state=before,
        now=now,
        note=note,
    )
    tell_lead_unit(
        project,
        f"【项目审核】{project.code}“{project.title}”"
        f"{'已审核通过，请安排公示' if approve else '被退回：' + note}",
    )
    return project


@transaction.atomic
def disclose_project(*, actor: Actor, project: Project, now: datetime) -> Project:
    """Publish the project for N working days (公示); the public may object meanwhile."""
    project = _lock(project)
    before = _move(project, to=Status.DISCLOSED, allowed=[Status.APPROVED], doing="公示")
    project.disclosure_until = workdays.add_workdays(_today(now), settings.PROJECT_DISCLOSURE_DAYS)
    project.save(update_fields=["status", "disclosure_until"])
    record(
        project,
        verb="公示",
        actor=actor,
        from_state=before,
        now=now,
        public=True,
        note=f"项目进行公示，公示期至{project.disclosure_until:%Y年%m月%d日}，"
        "公示期内如有异议可在本页提出",
    )
    return project


@transaction.atomic
def start_project(*, actor: Actor, project: Project, now: datetime) -> Project:
    """Begin work once the disclosure period is over and every objection is answered."""
    project = _lock(project)
    if project.status == Status.DISCLOSED:
        if project.disclosure_until and _today(now) <= project.disclosure_until:
            raise Refused(f"公示期至{project.disclosure_until:%m月%d日}，公示期满后才能开工")
        if project.objections.filter(answered_at__isnull=True).exists():
            raise Refused("还有未答复的公示异议，请先答复")
    before = _move(project, to=Status.IN_PROGRESS, allowed=[Status.DISCLOSED], doing="开工")
    project.started_at = now
    project.save(update_fields=["status", "started_at"])
    record(
        project,
        verb="开工实施",
        actor=actor,
        from_state=before,
        now=now,
        public=True,
        note="公示期满，项目开工实施",
    )
    ensure_slot(project=project, today=_today(now))
    return project


@transaction.atomic
def complete_project(
    *,
    actor: Actor,
    project: Project,
    note: str,
    now: datetime,
    evidence: Sequence[tuple[str, UploadedFile]] = (),
) -> Project:
    """Declare the project done: every milestone done and evidence attached."""
    project = _lock(project)
    if project.status != Status.IN_PROGRESS:
        raise Refused(f"项目当前状态为“{project.get_status_display()}”，不能申报完成")
    if project.milestones.filter(done_at__isnull=True).exists():
        raise Refused("还有未完成的节点，请先完成全部节点")
    for kind, upload in evidence:
        _attach(project, kind=kind, upload=upload)
    if not project.attachments.filter(
        kind__in=[Attachment.Kind.BEFORE, Attachment.Kind.AFTER, Attachment.Kind.DOCUMENT]
    ).exists():
        raise Refused("申报完成须上传实施前后照片或佐证材料")
    before = _move(project, to=Status.COMPLETED, allowed=[Status.IN_PROGRESS], doing="申报完成")
    project.completed_at = now
    project.progress = 100
    project.save(update_fields=["status", "completed_at", "progress"])
    record(
        project,
        verb="项目完成",
        actor=actor,
        from_state=before,
        now=now,
        public=True,
        note=note or "项目已完成，等待验收。欢迎对项目进行评价",
    )
    for appeal in project.appeals.all():
        record_appeal_event(
            appeal,
            verb="实事项目完成",
            actor=actor,
            now=now,
            public=True,
            note=f"您反映的问题所纳入的项目“{project.title}”已完成",
        )
    return project


@transaction.atomic
def accept_project(
    *, actor: Actor, project: Project, approve: bool, note: str, now: datetime
) -> Project:
    """验收: the supervising unit accepts the work or sends it back to be finished."""
    project = _lock(project)
    if not approve and not note.strip():
        raise Refused("验收不通过时请填写整改意见")
    before = _move(
        project,
        to=Status.ACCEPTED if approve else Status.IN_PROGRESS,
        allowed=[Status.COMPLETED],
        doing="验收",
    )
    if approve:
        project.accepted_at = now
    else:
        project.completed_at = None
    project.save(update_fields=["status", "accepted_at", "completed_at"])
    record(
        project,
        verb="验收通过" if approve else "验收不通过",
        actor=actor,
        from_state=before,
        now=now,
        public=approve,
        note=note,
    )
    tell_lead_unit(
        project,
        f"【项目验收】{project.code}“{project.title}”"
        f"{'验收通过' if approve else '验收未通过：' + note}",
    )
    return project


# Which states a suspension, resumption or cancellation may start from. Suspension is for
# work under way only, so resuming always returns to 实施中.
STATUS_CHANGES = {
    Status.SUSPENDED: (Status.IN_PROGRESS,),
    Status.IN_PROGRESS: (Status.SUSPENDED,),
    Status.CANCELLED: (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.APPROVED,
        Status.DISCLOSED,
        Status.IN_PROGRESS,
        Status.SUSPENDED,
    ),
}


@transaction.atomic
def request_status(
    *, actor: Actor, project: Project, to: str, reason: str, now: datetime
) -> Project:
    """Ask to suspend, resume or cancel; a supervising unit decides."""
    project = _lock(project)
    if to not in STATUS_CHANGES or project.status not in STATUS_CHANGES[to]:
        raise Refused(f"项目当前状态为“{project.get_status_display()}”，不能申请该变更")
    if project.pending_status:
        raise Refused("已有待审批的状态变更申请")
    if not reason.strip():
        raise Refused("请填写理由")
    project.pending_status, project.pending_reason = to, reason.strip()
    project.save(update_fields=["pending_status", "pending_reason"])
    record(
        project, verb=f"申请{Status(to).label.replace('已', '')}", actor=actor, now=now, note=reason
    )
    return project


@transaction.atomic
def decide_status(
    *, actor: Actor, project: Project, approve: bool, note: str, now: datetime
) -> Project:
    project = _lock(project)
    if not project.pending_status:
        raise Refused("没有待审批的状态变更申请")
    to, reason = project.pending_status, project.pending_reason
    if approve and project.status not in STATUS_CHANGES[to]:
        raise Refused(f"项目现为“{project.get_status_display()}”，该申请已不适用，请不予批准")
    project.pending_status, project.pending_reason = "", ""
    before = project.status
    if approve:
        project.status = to
    project.save(update_fields=["status", "pending_status", "pending_reason"])
    verb = {Status.SUSPENDED: "暂停", Status.CANCELLED: "取消", Status.IN_PROGRESS: "恢复实施"}[to]
    record(
        project,
        verb=f"{'批准' if approve else '不批准'}{verb}",
        actor=actor,
        from_state=before,
        now=now,
        public=approve,
        note=f"{reason}。{note}".strip("。"),
    )
    return project


# --- Progress reports --------------------------------------------------------------------------


def period_of(day: date, cadence: str) -> tuple[date, date]:
    """(period start, report due date) of the period containing `day`."""
    if cadence == Cadence.WEEKLY:
        start = day - timedelta(days=day.weekday())
        # The week's last working day (Friday, or earlier in a holiday week); a week with
        # no working day at all reports on the first working day after it.
        for offset in range(6, -1, -1):
            if workdays.is_workday(start + timedelta(days=offset)):
                return start, start + timedelta(days=offset)
        return start, workdays.add_workdays(start + timedelta(days=6), 1)
    start = day.replace(day=1)
    return start, workdays.add_workdays(start.replace(day=24), 1)


def ensure_slot(*, project: Project, today: date) -> ReportSlot:
    start, due = period_of(today, project.cadence)
    slot, _ = ReportSlot.objects.get_or_create(
        project=project, period_start=start, defaults={"due": due}
    )
    return slot


@transaction.atomic
def file_report(
    *,
    actor: Actor,
    project: Project,
    slot: ReportSlot,
    text: str,
    percent: int,
    problems: str,
    next_steps: str,
    now: datetime,
    files: Sequence[UploadedFile] = (),
) -> ProgressReport:
    """The lead unit reports a period's progress (again, if the leader sent it back)."""
    project = _lock(project)
    if project.status != Status.IN_PROGRESS:
        raise Refused("项目实施中才需要报送进度")
    if slot.project_id != project.pk:
        raise Refused("报送期不属于该项目")
    if not 0 <= percent <= 100:
        raise Refused("形象进度应为0至100")
    if len(text.strip()) < 10:
        raise Refused("本期进展不少于10个字")
    existing = ProgressReport.objects.filter(slot=slot).first()
    if existing is not None and existing.review != ProgressReport.Review.RETURNED:
        raise Refused("本期进度已报送，不能重复报送")
    values = {
        "project": project,
        "filed_by": actor.person,
        "filed_at": now,
        "late": _today(now) > slot.due,
        "text": text.strip(),
        "percent": percent,
        "problems": problems.strip(),
        "next_steps": next_steps.strip(),
        "review": ProgressReport.Review.PENDING,
        "reviewed_by": None,
        "reviewed_at": None,
        "review_note": "",
    }
    if existing is None:
        report = ProgressReport.objects.create(slot=slot, **values)
    else:
        ProgressReport.objects.filter(pk=existing.pk).update(**values)
        report = ProgressReport.objects.get(pk=existing.pk)
    for upload in files:
        _attach(project, kind=Attachment.Kind.REPORT, upload=upload, report=report)
    ReportSlot.objects.filter(pk=slot.pk).update(supervision=Level.NONE)
    label = "周报" if project.cadence == Cadence.WEEKLY else "月报"
    record(
        project,
        verb=f"报送{label}",
        actor=actor,
        now=now,
        public=True,
        note=f"{slot.period_start:%Y-%m-%d}期：{text.strip()[:80]}（形象进度{percent}%）"
        + ("（迟报）" if report.late else ""),
    )
    return report


@transaction.atomic
def review_report(
    *, actor: Actor, report: ProgressReport, approve: bool, note: str, now: datetime
) -> ProgressReport:
    if not approve and not note.strip():
        raise Refused("退回时请填写意见")
    updated = ProgressReport.objects.filter(
        pk=report.pk, review=ProgressReport.Review.PENDING
    ).update(
        review=ProgressReport.Review.APPROVED if approve else ProgressReport.Review.RETURNED,
        reviewed_by=actor.person,
        reviewed_at=now,
        review_note=note,
    )
    if not updated:
        raise Refused("该报告已审核")
    report.refresh_from_db()
    record(
        report.project,
        verb="审核进度报告" if approve else "退回进度报告",
        actor=actor,
        now=now,
        note=note,
    )
    return report


def _attach(
    project: Project, *, kind: str, upload: UploadedFile, report: ProgressReport | None = None
) -> Attachment:
    return Attachment.objects.create(
        project=project,
        report=report,
        kind=kind,
        file=upload,
        content_type=upload.content_type or "",
        size=upload.size,
    )


# --- The public: objections and ratings ---------------------------------------------------------


@transaction.atomic
def file_objection(*, project: Project, phone: str, content: str, now: datetime) -> Objection:
    """A member of the public objects during disclosure (their phone already confirmed)."""
    project = _lock(project)
    if project.status != Status.DISCLOSED or (
        project.disclosure_until and _today(now) > project.disclosure_until
    ):
        raise Refused("该项目不在公示期内，不能提出异议")
    if len(content.strip()) < 10:
        raise Refused("异议内容不少于10个字")
    objection = Objection.objects.create(
        project=project, phone=phone, content=content.strip(), created_at=now
    )
    record(project, verb="收到公示异议", actor=None, now=now, label="群众", note=content[:100])
    tell_lead_unit(project, f"【公示异议】{project.code}“{project.title}”收到一条异议，请及时答复")
    return objection


@transaction.atomic
def answer_objection(
    *, actor: Actor, objection: Objection, answer: str, now: datetime
) -> Objection:
    if len(answer.strip()) < 10:
        raise Refused("答复内容不少于10个字")
    if not Objection.objects.filter(pk=objection.pk, answered_at__isnull=True).update(
        answer=answer.strip(), answered_at=now, answered_by=actor.person
    ):
        raise Refused("该异议已答复")
    objection.refresh_from_db()
    record(
        objection.project,
        verb="答复公示异议",
        actor=actor,
        now=now,
        public=True,
        note=f"异议：{objection.content[:60]} 答复：{answer.strip()[:100]}",
    )
    outbox.enqueue(
        channel="sms",
        recipient=objection.phone,
        body=f"您对项目“{objection.project.title}”提出的异议已答复，可在项目公示页查看。",
    )
    return objection


@transaction.atomic
def rate_project(
    *, project: Project, phone: str, stars: int, comment: str, now: datetime
) -> Rating:
    """One rating per phone per project (a database constraint); counts at once, the comment
    is shown after moderation."""
    project = _lock(project)
    if project.status not in RATABLE_STATUSES:
        raise Refused("项目完成后才能评价")
    if not 1 <= stars <= 5:
        raise Refused("请选择1至5星")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                project=project,
                phone=phone,
                stars=stars,
                comment=comment.strip()[:300],
                created_at=now,
            )
    except IntegrityError as error:
        raise Refused("该手机号已评价过这个项目") from error
    Project.objects.filter(pk=project.pk).update(
        rating_count=F("rating_count") + 1, rating_total=F("rating_total") + stars
    )
    record(project, verb="群众评价", actor=None, now=now, label="群众", data={"stars": stars})
    return rating


@transaction.atomic
def moderate_rating(*, actor: Actor, rating: Rating, show: bool, now: datetime) -> Rating:
    rating.moderation = Rating.Moderation.SHOWN if show else Rating.Moderation.HIDDEN
    rating.save(update_fields=["moderation"])
    record(
        rating.project,
        verb="审核评价",
        actor=actor,
        now=now,
        data={"rating": rating.pk, "shown": show},
    )
    return rating


# --- Worker ----------------------------------------------------------------------------------


def open_slots(*, today: date) -> int:
    """Every project in progress owes a report for the current period: create its slot."""
    created = 0
    for project in Project.objects.filter(status=Status.IN_PROGRESS).only("pk", "cadence"):
        start, due = period_of(today, project.cadence)
        _, made = ReportSlot.objects.get_or_create(
            project=project, period_start=start, defaults={"due": due}
        )
        created += made
    return created


LADDER_TEXT = {
    Level.REMIND: "【提醒】{what}将于{due:%m月%d日}到期",
    Level.URGE: "【催办】{what}今天到期",
    Level.SUPERVISE: "【督办】{what}已超期（{due:%m月%d日}）",
    Level.NOTIFY: "【通报】{what}超期{overdue}个工作日，将列入通报",
}


def sweep_supervision(*, now: datetime) -> dict[str, int]:
    """Late milestones and missing reports climb the ladder built for appeals."""
    today = _today(now)
    thresholds = supervision.due_thresholds(
        today=today,
        remind_before=settings.APPEAL_REMIND_BEFORE_DAYS,
        notify_after=settings.APPEAL_NOTIFY_AFTER_DAYS,
    )
    moved = {"milestones": 0, "reports": 0}
    duties = [
        (
            "milestones",
            Milestone.objects.filter(done_at__isnull=True, project__status=Status.IN_PROGRESS),
            lambda m: f"项目{m.project.code}的节点“{m.title}”",
        ),
        (
            "reports",
            ReportSlot.objects.filter(report__isnull=True, project__status=Status.IN_PROGRESS),
            lambda s: f"项目{s.project.code}的{s.period_start:%m月%d日}期进度报告",
        ),
    ]
    for key, rows, describe in duties:
        model = rows.model
        for level in sorted(thresholds, reverse=True):
            candidates = list(
                rows.filter(due__lte=thresholds[level], supervision__lt=level).values_list(
                    "pk", "supervision"
                )
            )
            for pk, current in candidates:
                with transaction.atomic():
                    if not supervision.claim_step(
                        model.objects,
                        pk=pk,
                        field="supervision",
                        from_level=current,
                        to_level=level,
                        at_field="supervision_at",
                        now=now,
                    ):
                        continue
                    duty = model.objects.select_related("project__lead_unit").get(pk=pk)
                    overdue = max(workdays.workdays_between(duty.due, today), 0)
                    text = LADDER_TEXT[level].format(
                        what=describe(duty), due=duty.due, overdue=overdue
                    )
                    record(
                        duty.project,
                        verb=level.label,
                        actor=None,
                        now=now,
                        note=text,
                        data={"duty": key, "id": pk, "to": int(level)},
                    )
                    tell_lead_unit(duty.project, text)
                    moved[key] += 1
    return moved


def close_evaluations(*, now: datetime) -> int:
    """Accepted projects whose rating window has ended become 已评价."""
    today = _today(now)
    closed = 0
    for project in Project.objects.filter(status=Status.ACCEPTED, accepted_at__isnull=False):
        window_end = workdays.add_workdays(
            timezone.localdate(project.accepted_at), settings.PROJECT_RATING_DAYS
        )
        if today <= window_end:
            continue
        with transaction.atomic():
            if Project.objects.filter(pk=project.pk, status=Status.ACCEPTED).update(
                status=Status.EVALUATED
            ):
                project.status = Status.EVALUATED
                record(
                    project,
                    verb="评价结束",
                    actor=None,
                    now=now,
                    public=True,
                    from_state=Status.ACCEPTED,
                    note=f"评价期结束，共{project.rating_count}人评价"
                    + (f"，平均{project.rating}星" if project.rating_count else ""),
                )
                closed += 1
    return closed
