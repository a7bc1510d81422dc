"""进度报告: the weekly or monthly reports a project in progress owes, and their review."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from shishi.core import workdays
from shishi.core.errors import Conflict, Refused
from shishi.core.supervision import Level
from shishi.orgs.access import Actor
from shishi.projects import events
from shishi.projects.actions.common import attach, lock, today_of
from shishi.projects.allowed import FROM, Step
from shishi.projects.models import (
    Attachment,
    Cadence,
    ProgressReport,
    Project,
    ReportSlot,
)

Verb = events.Verb


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
    project = lock(project)
    if project.status not in FROM[Step.FILE_REPORT]:
        raise Conflict("项目实施中才需要报送进度")
    if slot.project_id != project.pk:
        raise Refused("报送期不属于该项目")
    if not 0 <= percent <= 100:
        raise Refused("形象进度应为0至100")
    if len(text.strip()) < 10:
        raise Refused("本期进展不少于10个字")
    existing = ProgressReport.objects.filter(slot=slot).first()
    if existing is not None and existing.review != ProgressReport.Review.RETURNED:
        raise Conflict("本期进度已报送，不能重复报送")
    values = {
        "project": project,
        "filed_by": actor.person,
        "filed_at": now,
        "late": today_of(now) > slot.due,
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
        attach(project, kind=Attachment.Kind.REPORT, upload=upload, report=report)
    ReportSlot.objects.filter(pk=slot.pk).update(supervision=Level.NONE)
    events.report_filed(
        project=project,
        actor=actor,
        now=now,
        note=f"{slot.period_start:%Y-%m-%d}期：{text.strip()[:80]}（形象进度{percent}%）"
        + ("（迟报）" if report.late else ""),
    )
    return report


@transaction.atomic
def review_report(
    *, actor: Actor, report: ProgressReport, approve: bool, note: str, now: datetime
) -> ProgressReport:
    """The lead unit's leader approves a report — it and its photos appear on the public
    project page now — or returns it with a reason (then nothing of it is ever public; the
    unit files the period again)."""
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
    events.record(
        report.project,
        verb=Verb.REPORT_APPROVED if approve else Verb.REPORT_RETURNED,
        actor=actor,
        now=now,
        note=note,
    )
    if approve:
        events.report_published(report=report, actor=actor, now=now)
    return report
