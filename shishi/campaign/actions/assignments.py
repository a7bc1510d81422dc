"""A target unit reports its assignment with evidence; the issuer approves or returns it."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from shishi.campaign import access, events, notifications
from shishi.campaign.allowed import FROM, Step
from shishi.campaign.models import Assignment, Directive, Evidence
from shishi.core import uploads, workdays
from shishi.core.errors import Refused
from shishi.core.supervision import Level
from shishi.orgs.access import Actor

Status = Assignment.Status
Verb = events.Verb


def _lock(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("directive", "directive__issuer", "unit")
        .get(pk=assignment.pk)
    )


def _refuse_unless(assignment: Assignment, step: Step, doing: str) -> None:
    if assignment.directive.status != Directive.Status.OPEN:
        raise Refused(f"该任务已经结束，不能{doing}")
    if assignment.status not in FROM[step]:
        raise Refused(f"该任务当前状态为“{assignment.get_status_display()}”，不能{doing}")


@dataclass(frozen=True)
class Report:
    text: str
    files: list[UploadedFile]  # checked by the form (type by content, size)


@transaction.atomic
def submit_assignment(
    *, assignment: Assignment, actor: Actor, report: Report, now: datetime
) -> Assignment:
    """报送: the report and at least one file of evidence; the issuer is told."""
    assignment = _lock(assignment)
    access.require_report(actor, assignment)
    _refuse_unless(assignment, Step.SUBMIT, "报送")
    if not report.text.strip():
        raise Refused("请填写完成情况")
    if not report.files:
        raise Refused(f"请上传佐证材料：{assignment.directive.evidence}")
    before = assignment.status
    uploads.attach(Evidence, report.files, now=now, assignment=assignment)
    assignment.status = Status.SUBMITTED
    assignment.report = report.text.strip()
    assignment.submitted_at = now
    assignment.save(update_fields=["status", "report", "submitted_at"])
    events.record(
        assignment,
        verb=Verb.SUBMITTED,
        now=now,
        actor=actor,
        from_state=before,
        note=f"附佐证材料{len(report.files)}份",
    )
    notifications.submitted(assignment)
    return assignment


@transaction.atomic
def approve_assignment(*, assignment: Assignment, actor: Actor, now: datetime) -> Assignment:
    """审核通过: done; on time if this report came in by the deadline it answered."""
    assignment = _lock(assignment)
    access.require_review(actor, assignment)
    _refuse_unless(assignment, Step.APPROVE, "审核")
    assignment.status = Status.APPROVED
    assignment.approved_at = now
    assignment.on_time = timezone.localdate(assignment.submitted_at) <= assignment.due
    assignment.save(update_fields=["status", "approved_at", "on_time"])
    events.record(assignment, verb=Verb.APPROVED, now=now, actor=actor, from_state=Status.SUBMITTED)
    notifications.approved(assignment)
    return assignment


@transaction.atomic
def return_assignment(
    *, assignment: Assignment, actor: Actor, reason: str, now: datetime
) -> Assignment:
    """退回: with a reason; due again `CAMPAIGN_RETURN_DAYS` working days from today (never
    earlier than the original deadline), back on the ladder from the start."""
    assignment = _lock(assignment)
    access.require_review(actor, assignment)
    _refuse_unless(assignment, Step.RETURN, "退回")
    if not reason.strip():
        raise Refused("请写明退回原因")
    again = workdays.deadline(timezone.localdate(now), settings.CAMPAIGN_RETURN_DAYS)
    if again.due > assignment.due:
        assignment.due, assignment.due_estimated = again.due, again.estimated
    assignment.status = Status.RETURNED
    assignment.returns += 1
    assignment.return_reason = reason.strip()[:300]
    assignment.supervision, assignment.supervision_at = Level.NONE, None
    assignment.save(
        update_fields=[
            "status", "returns", "return_reason", "due", "due_estimated",
            "supervision", "supervision_at",
        ]
    )  # fmt: skip
    events.record(
        assignment,
        verb=Verb.RETURNED,
        now=now,
        actor=actor,
        from_state=Status.SUBMITTED,
        note=f"{assignment.return_reason}（重新报送期限 {assignment.due:%Y-%m-%d}）",
    )
    notifications.returned(assignment)
    return assignment
