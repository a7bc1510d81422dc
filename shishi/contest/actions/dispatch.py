"""月调度: the city office opens a month, each participant submits the month's values with
evidence by the due date (working days), the office accepts or returns; a participant past
its due date asks for an extension, which the office approves or refuses."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from shishi.contest import access, events, notifications
from shishi.contest.models import (
    Contest,
    Extension,
    Indicator,
    Participant,
    Round,
    Submission,
    SubmissionFile,
    Value,
)
from shishi.core import uploads, workdays
from shishi.core.errors import Refused
from shishi.core.supervision import Level
from shishi.orgs.access import Actor

Status = Submission.Status
Verb = events.Verb
OPEN_STATUSES = (Status.DRAFT, Status.RETURNED)
LARGEST = Decimal("1e13")  # the column holds 14 digits before the point
MAX_EXTENSION_DAYS = 20  # working days past the current due date


def round_due(contest: Contest, month: int) -> workdays.Deadline:
    """Month M's values are due on the contest's N-th working day of month M+1."""
    last = date(contest.year, month, calendar.monthrange(contest.year, month)[1])
    return workdays.deadline(last, contest.due_workday)


@transaction.atomic
def open_round(*, contest: Contest, month: int, actor: Actor, now: datetime) -> Round:
    """发起月调度: every participant owes the month's values by the due date; they are told.
    The first round freezes the contest's indicators and weights."""
    contest = Contest.objects.select_for_update().select_related("organiser").get(pk=contest.pk)
    access.require_manage(actor, contest)
    if contest.status != Contest.Status.OPEN:
        raise Refused("竞赛启动后才能发起月度调度")
    if not 1 <= month <= 12:
        raise Refused("月份应为1至12")
    today = timezone.localdate(now)
    if (contest.year, month) > (today.year, today.month):
        raise Refused(f"{contest.year}年{month}月尚未到来，不能发起调度")
    if Round.objects.filter(contest=contest, month=month).exists():
        raise Refused(f"{month}月的调度已经发起")
    due = round_due(contest, month)
    round = Round.objects.create(
        contest=contest,
        month=month,
        due=due.due,
        due_estimated=due.estimated,
        opened_by=actor.person,
        opened_at=now,
    )
    participants = list(Participant.objects.filter(contest=contest).select_related("unit"))
    submissions = Submission.objects.bulk_create(
        Submission(
            round=round, participant=p, due=due.due, due_estimated=due.estimated, first_due=due.due
        )
        for p in participants
    )
    events.record(
        contest,
        verb=Verb.ROUND,
        now=now,
        actor=actor,
        note=f"{month}月调度，{len(submissions)}个单位，报送期限 {due.due:%Y-%m-%d}",
    )
    notifications.round_opened(round, submissions)
    return round


def check_value(indicator: Indicator, raw) -> Decimal:
    """One value as the indicator's data type allows it, or a refusal naming the indicator."""
    name = indicator.name
    text = str(raw).strip().replace(",", "").removesuffix("%")
    if text == "":
        raise Refused(f"请填写“{name}”")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Refused(f"“{name}”应填写数字，“{raw}”不是数字") from None
    if not value.is_finite():
        raise Refused(f"“{name}”应填写数字，“{raw}”不是数字")
    if abs(value) >= LARGEST:  # first: rounding a huge exponent would raise
        raise Refused(f"“{name}”数值过大")
    if indicator.data_type == Indicator.DataType.INTEGER and value != value.to_integral_value():
        raise Refused(f"“{name}”应为整数")
    if value != round(value, 2):
        raise Refused(f"“{name}”最多保留两位小数")
    if value < 0 and not indicator.signed:
        raise Refused(f"“{name}”不能为负数")
    if indicator.data_type == Indicator.DataType.PERCENT:
        if not indicator.signed and value > 100:
            raise Refused(f"“{name}”是百分比，应在0到100之间")
        if value < -100:
            raise Refused(f"“{name}”是百分比，不能低于-100")
    return value


def _lock(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("round", "round__contest", "round__contest__organiser", "participant__unit")
        .get(pk=submission.pk)
    )


@dataclass(frozen=True)
class Entry:
    values: dict[int, object]  # indicator id -> what was typed
    note: str = ""
    files: list[UploadedFile] = field(default_factory=list)  # checked by the form


@transaction.atomic
def submit_values(
    *, submission: Submission, entry: Entry, actor: Actor, now: datetime
) -> Submission:
    """报送: every indicator's value, checked against its data type and sign, with at least
    one file of evidence (or the files already attached); refused after the due date —
    the round's, or a later one an approved extension or a return set."""
    submission = _lock(submission)
    access.require_submit(actor, submission)
    contest = submission.round.contest
    if contest.status != Contest.Status.OPEN:
        raise Refused("该竞赛不在进行中，不能报送")
    if submission.status not in OPEN_STATUSES:
        raise Refused(f"该报送当前状态为“{submission.get_status_display()}”，不能再报送")
    today = timezone.localdate(now)
    if today > submission.due:
        raise Refused(
            f"已超过报送期限（{submission.due:%Y年%-m月%-d日}），请先申请延期，经竞赛组织单位批准后再报送"
        )
    indicators = list(Indicator.objects.filter(dimension__contest=contest))
    checked = {i.pk: check_value(i, entry.values.get(i.pk, "")) for i in indicators}
    if not entry.files and not submission.files.exists():
        raise Refused("请上传佐证材料（统计报表、台账或证明文件）")
    Value.objects.filter(submission=submission).delete()
    Value.objects.bulk_create(
        Value(submission=submission, indicator_id=pk, value=value) for pk, value in checked.items()
    )
    uploads.attach(SubmissionFile, entry.files, now=now, submission=submission)
    before = submission.status
    submission.status = Status.SUBMITTED
    submission.note = entry.note.strip()
    if submission.submitted_at is None:
        submission.late = today > submission.first_due
    submission.submitted_at = now
    submission.save(update_fields=["status", "note", "submitted_at", "late"])
    events.record(
        contest,
        verb=Verb.SUBMITTED,
        now=now,
        actor=actor,
        submission=submission,
        from_state=before,
        note=f"{len(checked)}项指标，附佐证材料{len(entry.files)}份",
    )
    notifications.submitted(submission)
    return submission


@transaction.atomic
def accept_submission(*, submission: Submission, actor: Actor, now: datetime) -> Submission:
    """审核采用: the month's values count in the ranking from now on."""
    submission = _lock(submission)
    access.require_review(actor, submission)
    if submission.status != Status.SUBMITTED:
        raise Refused(f"该报送当前状态为“{submission.get_status_display()}”，不能审核")
    submission.status = Status.ACCEPTED
    submission.accepted_at = now
    submission.save(update_fields=["status", "accepted_at"])
    events.record(
        submission.round.contest,
        verb=Verb.ACCEPTED,
        now=now,
        actor=actor,
        submission=submission,
        from_state=Status.SUBMITTED,
    )
    notifications.accepted(submission)
    return submission


@transaction.atomic
def return_submission(
    *, submission: Submission, actor: Actor, reason: str, now: datetime
) -> Submission:
    """退回: with a reason; due again `CONTEST_RETURN_DAYS` working days from today (never
    earlier than the current due date), back on the ladder from the start."""
    submission = _lock(submission)
    access.require_review(actor, submission)
    if submission.status != Status.SUBMITTED:
        raise Refused(f"该报送当前状态为“{submission.get_status_display()}”，不能退回")
    if not reason.strip():
        raise Refused("请写明退回原因")
    again = workdays.deadline(timezone.localdate(now), settings.CONTEST_RETURN_DAYS)
    if again.due > submission.due:
        submission.due, submission.due_estimated = again.due, again.estimated
    submission.status = Status.RETURNED
    submission.returns += 1
    submission.return_reason = reason.strip()[:300]
    submission.supervision, submission.supervision_at = Level.NONE, None
    submission.save(
        update_fields=[
            "status",
            "returns",
            "return_reason",
            "due",
            "due_estimated",
            "supervision",
            "supervision_at",
        ]
    )
    events.record(
        submission.round.contest,
        verb=Verb.RETURNED,
        now=now,
        actor=actor,
        submission=submission,
        from_state=Status.SUBMITTED,
        note=f"{submission.return_reason}（重新报送期限 {submission.due:%Y-%m-%d}）",
    )
    notifications.returned(submission)
    return submission


@transaction.atomic
def request_extension(
    *, submission: Submission, until: date, reason: str, actor: Actor, now: datetime
) -> Extension:
    """申请延期: a later due date, with a reason; one request waits at a time."""
    submission = _lock(submission)
    access.require_submit(actor, submission)
    if submission.round.contest.status != Contest.Status.OPEN:
        raise Refused("该竞赛不在进行中")
    if submission.status not in OPEN_STATUSES:
        raise Refused(f"该报送当前状态为“{submission.get_status_display()}”，无需延期")
    if not reason.strip():
        raise Refused("请写明延期理由")
    today = timezone.localdate(now)
    if until <= max(submission.due, today):
        raise Refused(f"申请延至的日期应晚于现有期限（{submission.due:%Y-%m-%d}）和今天")
    latest = workdays.add_workdays(max(submission.due, today), MAX_EXTENSION_DAYS)
    if until > latest:
        raise Refused(f"最多可延期{MAX_EXTENSION_DAYS}个工作日（至{latest:%Y-%m-%d}）")
    if submission.extensions.filter(status=Extension.Status.PENDING).exists():
        raise Refused("已有一份延期申请等待审批")
    extension = Extension.objects.create(
        submission=submission,
        reason=reason.strip()[:300],
        until=until,
        requested_by=actor.person,
        requested_at=now,
    )
    events.record(
        submission.round.contest,
        verb=Verb.EXTENSION_ASKED,
        now=now,
        actor=actor,
        submission=submission,
        note=f"申请延至 {until:%Y-%m-%d}：{extension.reason}",
    )
    notifications.extension_asked(extension)
    return extension


@transaction.atomic
def decide_extension(
    *, extension: Extension, approve: bool, answer: str, actor: Actor, now: datetime
) -> Extension:
    """批准 moves the due date to the date asked and takes the submission off the ladder
    (it climbs again from the new date); 不批准 leaves the due date."""
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    submission = _lock(extension.submission)
    access.require_review(actor, submission)
    if extension.status != Extension.Status.PENDING:
        raise Refused("该延期申请已经审批")
    if not approve and not answer.strip():
        raise Refused("不批准时请写明理由")
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    extension.answer = answer.strip()[:300]
    extension.decided_by, extension.decided_at = actor.person, now
    extension.save(update_fields=["status", "answer", "decided_by", "decided_at"])
    extension.submission = submission
    if approve and submission.status in OPEN_STATUSES:
        submission.due = extension.until
        submission.due_estimated = workdays.is_estimated(timezone.localdate(now), extension.until)
        submission.supervision, submission.supervision_at = Level.NONE, None
        submission.save(update_fields=["due", "due_estimated", "supervision", "supervision_at"])
    events.record(
        submission.round.contest,
        verb=Verb.EXTENSION_APPROVED if approve else Verb.EXTENSION_REFUSED,
        now=now,
        actor=actor,
        submission=submission,
        note="：".join(filter(None, [f"延至 {extension.until:%Y-%m-%d}", extension.answer])),
    )
    notifications.extension_decided(extension)
    return extension
