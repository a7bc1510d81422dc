"""Every SMS text about directives, assignments and 整改 items, and who gets it; each text
is a registered SMS kind (core.sms)."""

from datetime import date

from shishi.campaign.models import Assignment, Directive, Rectification
from shishi.core import sms
from shishi.core.sms import Sms
from shishi.core.supervision import Level
from shishi.orgs.notify import enqueue_many, staff_phones, tell_phone, tell_unit_staff

ASSIGNED = sms.kind(
    "campaign.assigned",
    "部署任务",
    "【部署任务】{issuer}部署“{title}”（{code}），请于{due}前报送完成情况及佐证材料。",
)
SUBMITTED = sms.kind(
    "campaign.submitted", "任务待审核", "【任务审核】{unit}已报送“{title}”完成情况，请审核。"
)
APPROVED = sms.kind(
    "campaign.approved", "任务审核通过", "【任务审核】“{title}”的完成情况已审核通过。"
)
RETURNED = sms.kind(
    "campaign.returned",
    "任务退回",
    "【任务退回】“{title}”的完成情况被退回：{reason}。请于{due}前重新报送。",
)
LADDER = sms.kind(
    "campaign.ladder",
    "任务督办（提醒/催办/督办/通报）",
    "【{level}】{issuer}部署的“{title}”{late}，请尽快报送完成情况。",
)
RECTIFICATION_RAISED = sms.kind(
    "campaign.rectification_raised",
    "整改通知",
    "【整改通知】{raiser}提出整改事项（{code}），请于{due}前完成整改并上传佐证材料申请销号。",
)
RECTIFICATION_REPORTED = sms.kind(
    "campaign.rectification_reported",
    "整改申请销号",
    "【整改销号】{unit}已就整改事项（{code}）申请销号，请核验。",
)
RECTIFICATION_CLOSED = sms.kind(
    "campaign.rectification_closed", "整改已销号", "【整改销号】整改事项（{code}）已销号。"
)
RECTIFICATION_RETURNED = sms.kind(
    "campaign.rectification_returned",
    "整改退回",
    "【整改退回】整改事项（{code}）未予销号：{reason}。请于{due}前继续整改后再申请销号。",
)
RECTIFICATION_LADDER = sms.kind(
    "campaign.rectification_ladder",
    "整改督办（提醒/催办/督办/通报）",
    "【{level}】{raiser}提出的整改事项（{code}）{late}，请抓紧整改并申请销号。",
)


def assigned(directive: Directive, assignments: list[Assignment]) -> None:
    """One text to the clerks and leaders of every target unit, queued in one insert."""
    phones = staff_phones({a.unit_id for a in assignments})
    due = assignments[0].due if assignments else directive.due
    message = ASSIGNED(
        issuer=directive.issuer.name, title=directive.title, code=directive.code, due=_day(due)
    )
    enqueue_many(
        (phone, message, a.unit_id) for a in assignments for phone in phones.get(a.unit_id, [])
    )


def submitted(assignment: Assignment) -> None:
    tell_unit_staff(
        assignment.directive.issuer,
        SUBMITTED(unit=assignment.unit.name, title=assignment.directive.title),
    )


def approved(assignment: Assignment) -> None:
    tell_unit_staff(assignment.unit, APPROVED(title=assignment.directive.title))


def returned(assignment: Assignment) -> None:
    tell_unit_staff(
        assignment.unit,
        RETURNED(
            title=assignment.directive.title,
            reason=assignment.return_reason,
            due=_day(assignment.due),
        ),
    )


def ladder_sms(assignment: Assignment, level: Level, overdue: int) -> Sms:
    return LADDER(
        level=level.label,
        issuer=assignment.directive.issuer.name,
        title=assignment.directive.title,
        late=_late(overdue, assignment.due),
    )


def _late(overdue: int, due: date) -> str:
    return f"已超期{overdue}个工作日" if overdue else f"将于{_day(due)}到期"


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"


# --- 整改 -----------------------------------------------------------------------------------


def _raiser(item: Rectification) -> str:
    return item.group.name if item.group_id else item.raised_unit.name


def rectification_raised(item: Rectification) -> None:
    tell_unit_staff(
        item.unit, RECTIFICATION_RAISED(raiser=_raiser(item), code=item.code, due=_day(item.due))
    )


def rectification_reported(item: Rectification) -> None:
    """The raising group's leader, or the raising unit's staff, are asked to check."""
    message = RECTIFICATION_REPORTED(unit=item.unit.name, code=item.code)
    if item.group_id:
        if item.group.leader.phone:
            tell_phone(item.group.leader.phone, message, unit_id=item.unit_id)
    else:
        tell_unit_staff(item.raised_unit, message)


def rectification_closed(item: Rectification) -> None:
    tell_unit_staff(item.unit, RECTIFICATION_CLOSED(code=item.code))


def rectification_returned(item: Rectification) -> None:
    tell_unit_staff(
        item.unit,
        RECTIFICATION_RETURNED(code=item.code, reason=item.return_reason, due=_day(item.due)),
    )


def rectification_ladder_sms(item: Rectification, level: Level, overdue: int) -> Sms:
    return RECTIFICATION_LADDER(
        level=level.label, raiser=_raiser(item), code=item.code, late=_late(overdue, item.due)
    )
