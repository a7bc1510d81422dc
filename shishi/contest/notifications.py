"""Every SMS text of the unit competition, and who gets it; each text is a registered SMS
kind (core.sms)."""

from datetime import date

from shishi.contest.models import Extension, Round, Submission
from shishi.core import sms
from shishi.core.sms import Sms
from shishi.core.supervision import Level
from shishi.orgs.notify import enqueue_many, staff_phones, tell_unit_staff

ROUND_OPENED = sms.kind(
    "contest.round_opened",
    "月调度启动",
    "【月调度】{contest}{month}月数据调度已启动，请于{due}前报送各项指标数据及佐证材料。",
)
SUBMITTED = sms.kind(
    "contest.submitted", "竞赛数据待审核", "【月调度】{unit}已报送{month}月竞赛数据，请审核。"
)
ACCEPTED = sms.kind(
    "contest.accepted", "竞赛数据已采用", "【月调度】贵单位{month}月竞赛数据已审核采用。"
)
RETURNED = sms.kind(
    "contest.returned",
    "竞赛数据退回",
    "【月调度退回】贵单位{month}月竞赛数据被退回：{reason}。请于{due}前重新报送。",
)
EXTENSION_ASKED = sms.kind(
    "contest.extension_asked",
    "竞赛延期申请",
    "【延期申请】{unit}申请将{month}月竞赛数据延至{until}报送，请审批。",
)
EXTENSION_APPROVED = sms.kind(
    "contest.extension_approved",
    "竞赛延期已同意",
    "【延期审批】已同意贵单位{month}月竞赛数据延至{until}报送。",
)
EXTENSION_REFUSED = sms.kind(
    "contest.extension_refused",
    "竞赛延期未批准",
    "【延期审批】贵单位{month}月竞赛数据的延期申请未获批准，请于{due}前报送。",
)
LADDER = sms.kind(
    "contest.ladder",
    "竞赛数据报送督办（提醒/催办/督办/通报）",
    "【{level}】{contest}{month}月数据报送{late}，请尽快报送；确有困难请申请延期。",
)


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def round_opened(round: Round, submissions: list[Submission]) -> None:
    """One text to the clerks and leaders of every participant, queued in one insert."""
    phones = staff_phones({s.participant.unit_id for s in submissions})
    message = ROUND_OPENED(contest=round.contest.name, month=round.month, due=_day(round.due))
    enqueue_many(
        (phone, message, s.participant.unit_id)
        for s in submissions
        for phone in phones.get(s.participant.unit_id, [])
    )


def submitted(submission: Submission) -> None:
    tell_unit_staff(
        submission.round.contest.organiser,
        SUBMITTED(unit=submission.participant.unit.name, month=submission.round.month),
    )


def accepted(submission: Submission) -> None:
    tell_unit_staff(submission.participant.unit, ACCEPTED(month=submission.round.month))


def returned(submission: Submission) -> None:
    tell_unit_staff(
        submission.participant.unit,
        RETURNED(
            month=submission.round.month,
            reason=submission.return_reason,
            due=_day(submission.due),
        ),
    )


def extension_asked(extension: Extension) -> None:
    submission = extension.submission
    tell_unit_staff(
        submission.round.contest.organiser,
        EXTENSION_ASKED(
            unit=submission.participant.unit.name,
            month=submission.round.month,
            until=_day(extension.until),
        ),
    )


def extension_decided(extension: Extension) -> None:
    submission = extension.submission
    if extension.status == Extension.Status.APPROVED:
        message = EXTENSION_APPROVED(month=submission.round.month, until=_day(extension.until))
    else:
        message = EXTENSION_REFUSED(month=submission.round.month, due=_day(submission.due))
    tell_unit_staff(submission.participant.unit, message)


def ladder_sms(submission: Submission, level: Level, overdue: int) -> Sms:
    late = f"已超期{overdue}个工作日" if overdue else f"将于{_day(submission.due)}到期"
    return LADDER(
        level=level.label,
        contest=submission.round.contest.name,
        month=submission.round.month,
        late=late,
    )
