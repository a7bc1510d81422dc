"""Every SMS text of the unit competition, and who gets it."""

from datetime import date

from shishi.contest.models import Extension, Round, Submission
from shishi.core import outbox
from shishi.core.supervision import Level
from shishi.orgs.notify import staff_phones, tell_unit_staff


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def round_opened(round: Round, submissions: list[Submission]) -> None:
    """One text to the clerks and leaders of every participant, queued in one insert."""
    phones = staff_phones({s.participant.unit_id for s in submissions})
    contest = round.contest
    body = (
        f"【月调度】{contest.name}{round.month}月数据调度已启动，"
        f"请于{_day(round.due)}前报送各项指标数据及佐证材料。"
    )
    outbox.enqueue_sms_many(
        [(phone, body) for s in submissions for phone in phones.get(s.participant.unit_id, [])]
    )


def submitted(submission: Submission) -> None:
    tell_unit_staff(
        submission.round.contest.organiser,
        f"【月调度】{submission.participant.unit.name}已报送{submission.round.month}月竞赛数据，请审核。",
    )


def accepted(submission: Submission) -> None:
    tell_unit_staff(
        submission.participant.unit,
        f"【月调度】贵单位{submission.round.month}月竞赛数据已审核采用。",
    )


def returned(submission: Submission) -> None:
    tell_unit_staff(
        submission.participant.unit,
        f"【月调度退回】贵单位{submission.round.month}月竞赛数据被退回：{submission.return_reason}。"
        f"请于{_day(submission.due)}前重新报送。",
    )


def extension_asked(extension: Extension) -> None:
    submission = extension.submission
    tell_unit_staff(
        submission.round.contest.organiser,
        f"【延期申请】{submission.participant.unit.name}申请将{submission.round.month}月竞赛数据"
        f"延至{_day(extension.until)}报送，请审批。",
    )


def extension_decided(extension: Extension) -> None:
    submission = extension.submission
    if extension.status == Extension.Status.APPROVED:
        body = (
            f"【延期审批】已同意贵单位{submission.round.month}月竞赛数据"
            f"延至{_day(extension.until)}报送。"
        )
    else:
        body = (
            f"【延期审批】贵单位{submission.round.month}月竞赛数据的延期申请未获批准，"
            f"请于{_day(submission.due)}前报送。"
        )
    tell_unit_staff(submission.participant.unit, body)


def ladder_text(submission: Submission, level: Level, overdue: int) -> str:
    late = f"已超期{overdue}个工作日" if overdue else f"将于{_day(submission.due)}到期"
    return (
        f"【{level.label}】{submission.round.contest.name}{submission.round.month}月数据报送"
        f"{late}，请尽快报送；确有困难请申请延期。"
    )
