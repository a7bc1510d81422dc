"""The life of a project: 提交 → 审核 → 公示 → 开工 → 完成 → 验收, and 暂停/恢复/取消 on request."""

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from shishi.appeals import events as appeal_events
from shishi.core import workdays
from shishi.core.errors import Refused
from shishi.orgs.access import Actor
from shishi.projects import events, notifications
from shishi.projects.actions.common import attach, lock, move, today_of
from shishi.projects.actions.reports import ensure_slot
from shishi.projects.allowed import FROM, STATUS_CHANGES, Step
from shishi.projects.models import Attachment, Project, Status

Verb = events.Verb


@transaction.atomic
def submit_project(*, actor: Actor, project: Project, now: datetime) -> Project:
    project = lock(project)
    if not project.milestones.exists():
        raise Refused("请先设置至少一个实施节点")
    before = move(project, to=Status.SUBMITTED, allowed=FROM[Step.SUBMIT], doing="提交审核")
    project.save(update_fields=["status"])
    events.record(project, verb=Verb.SUBMITTED, actor=actor, from_state=before, now=now)
    return project


@transaction.atomic
def review_project(
    *, actor: Actor, project: Project, approve: bool, note: str, now: datetime
) -> Project:
    """The supervising unit approves a submitted project or sends it back to draft."""
    project = lock(project)
    if not approve and not note.strip():
        raise Refused("退回时请填写意见")
    before = move(
        project,
        to=Status.APPROVED if approve else Status.DRAFT,
        allowed=FROM[Step.REVIEW],
        doing="审核",
    )
    project.save(update_fields=["status"])
    events.record(
        project,
        verb=Verb.APPROVED if approve else Verb.SENT_BACK,
        actor=actor,
        from_state=before,
        now=now,
        note=note,
    )
    notifications.reviewed(project, approve=approve, note=note)
    return project


@transaction.atomic
def disclose_project(*, actor: Actor, project: Project, now: datetime) -> Project:
    """Publish the project for N working days (公示); the public may object meanwhile."""
    project = lock(project)
    before = move(project, to=Status.DISCLOSED, allowed=FROM[Step.DISCLOSE], doing="公示")
    until = workdays.deadline(today_of(now), settings.PROJECT_DISCLOSURE_DAYS)
    project.disclosure_until, project.disclosure_estimated = until.due, until.estimated
    project.save(update_fields=["status", "disclosure_until", "disclosure_estimated"])
    events.record(
        project,
        verb=Verb.DISCLOSED,
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
    project = lock(project)
    if project.status == Status.DISCLOSED:
        if project.disclosure_until and today_of(now) <= project.disclosure_until:
            raise Refused(f"公示期至{project.disclosure_until:%m月%d日}，公示期满后才能开工")
        if project.objections.filter(answered_at__isnull=True).exists():
            raise Refused("还有未答复的公示异议，请先答复")
    before = move(project, to=Status.IN_PROGRESS, allowed=FROM[Step.START], doing="开工")
    project.started_at = now
    project.save(update_fields=["status", "started_at"])
    events.record(
        project,
        verb=Verb.STARTED,
        actor=actor,
        from_state=before,
        now=now,
        public=True,
        note="公示期满，项目开工实施",
    )
    ensure_slot(project=project, today=today_of(now))
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
    project = lock(project)
    if project.status not in FROM[Step.COMPLETE]:
        raise Refused(f"项目当前状态为“{project.get_status_display()}”，不能申报完成")
    if project.milestones.filter(done_at__isnull=True).exists():
        raise Refused("还有未完成的节点，请先完成全部节点")
    for kind, upload in evidence:
        attach(project, kind=kind, upload=upload)
    if not project.attachments.filter(
        kind__in=[Attachment.Kind.BEFORE, Attachment.Kind.AFTER, Attachment.Kind.DOCUMENT]
    ).exists():
        raise Refused("申报完成须上传实施前后照片或佐证材料")
    before = move(project, to=Status.COMPLETED, allowed=FROM[Step.COMPLETE], doing="申报完成")
    project.completed_at = now
    project.progress = 100
    project.save(update_fields=["status", "completed_at", "progress"])
    events.record(
        project,
        verb=Verb.COMPLETED,
        actor=actor,
        from_state=before,
        now=now,
        public=True,
        note=note or "项目已完成，等待验收。欢迎对项目进行评价",
    )
    for appeal in project.appeals.all():
        appeal_events.record(
            appeal,
            verb=appeal_events.Verb.PROJECT_DONE,
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
    project = lock(project)
    if not approve and not note.strip():
        raise Refused("验收不通过时请填写整改意见")
    before = move(
        project,
        to=Status.ACCEPTED if approve else Status.IN_PROGRESS,
        allowed=FROM[Step.ACCEPT],
        doing="验收",
    )
    if approve:
        project.accepted_at = now
        until = workdays.deadline(today_of(now), settings.PROJECT_RATING_DAYS)
        project.rating_until, project.rating_estimated = until.due, until.estimated
    else:
        project.completed_at = None
    project.save(
        update_fields=[
            "status",
            "accepted_at",
            "completed_at",
            "rating_until",
            "rating_estimated",
        ]
    )
    events.record(
        project,
        verb=Verb.ACCEPTED if approve else Verb.NOT_ACCEPTED,
        actor=actor,
        from_state=before,
        now=now,
        public=approve,
        note=note,
    )
    notifications.accepted(project, approve=approve, note=note)
    return project


@transaction.atomic
def request_status(
    *, actor: Actor, project: Project, to: str, reason: str, now: datetime
) -> Project:
    """Ask to suspend, resume or cancel; a supervising unit decides."""
    project = lock(project)
    if to not in STATUS_CHANGES or project.status not in STATUS_CHANGES[to]:
        raise Refused(f"项目当前状态为“{project.get_status_display()}”，不能申请该变更")
    if project.pending_status:
        raise Refused("已有待审批的状态变更申请")
    if not reason.strip():
        raise Refused("请填写理由")
    project.pending_status, project.pending_reason = to, reason.strip()
    project.save(update_fields=["pending_status", "pending_reason"])
    events.record(project, verb=events.REQUESTED[to], actor=actor, now=now, note=reason)
    return project


@transaction.atomic
def decide_status(
    *, actor: Actor, project: Project, approve: bool, note: str, now: datetime
) -> Project:
    project = lock(project)
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
    events.record(
        project,
        verb=events.DECIDED[to, approve],
        actor=actor,
        from_state=before,
        now=now,
        public=approve,
        note=f"{reason}。{note}".strip("。"),
    )
    return project
