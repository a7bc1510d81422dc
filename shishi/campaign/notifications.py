"""Every SMS text about directives, assignments and 整改 items, and who gets it."""

from datetime import date

from shishi.campaign.models import Assignment, Directive, Rectification
from shishi.core import outbox
from shishi.core.supervision import Level
from shishi.orgs.notify import staff_phones, tell_phone, tell_unit_staff


def assigned(directive: Directive, assignments: list[Assignment]) -> None:
    """One text to the clerks and leaders of every target unit, queued in one insert."""
    phones = staff_phones({a.unit_id for a in assignments})
    due = assignments[0].due if assignments else directive.due
    body = (
        f"【部署任务】{directive.issuer.name}部署“{directive.title}”（{directive.code}），"
        f"请于{_day(due)}前报送完成情况及佐证材料。"
    )
    outbox.enqueue_sms_many(
        [(phone, body) for a in assignments for phone in phones.get(a.unit_id, [])]
    )


def submitted(assignment: Assignment) -> None:
    tell_unit_staff(
        assignment.directive.issuer,
        f"【任务审核】{assignment.unit.name}已报送“{assignment.directive.title}”完成情况，请审核。",
    )


def approved(assignment: Assignment) -> None:
    tell_unit_staff(
        assignment.unit, f"【任务审核】“{assignment.directive.title}”的完成情况已审核通过。"
    )


def returned(assignment: Assignment) -> None:
    tell_unit_staff(
        assignment.unit,
        f"【任务退回】“{assignment.directive.title}”的完成情况被退回：{assignment.return_reason}。"
        f"请于{_day(assignment.due)}前重新报送。",
    )


def ladder_text(assignment: Assignment, level: Level, overdue: int) -> str:
    late = f"已超期{overdue}个工作日" if overdue else f"将于{_day(assignment.due)}到期"
    return (
        f"【{level.label}】{assignment.directive.issuer.name}部署的“{assignment.directive.title}”"
        f"{late}，请尽快报送完成情况。"
    )


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"


# --- 整改 -----------------------------------------------------------------------------------


def _raiser(item: Rectification) -> str:
    return item.group.name if item.group_id else item.raised_unit.name


def rectification_raised(item: Rectification) -> None:
    tell_unit_staff(
        item.unit,
        f"【整改通知】{_raiser(item)}提出整改事项（{item.code}），请于{_day(item.due)}前"
        "完成整改并上传佐证材料申请销号。",
    )


def rectification_reported(item: Rectification) -> None:
    """The raising group's leader, or the raising unit's staff, are asked to check."""
    body = f"【整改销号】{item.unit.name}已就整改事项（{item.code}）申请销号，请核验。"
    if item.group_id:
        if item.group.leader.phone:
            tell_phone(item.group.leader.phone, body)
    else:
        tell_unit_staff(item.raised_unit, body)


def rectification_closed(item: Rectification) -> None:
    tell_unit_staff(item.unit, f"【整改销号】整改事项（{item.code}）已销号。")


def rectification_returned(item: Rectification) -> None:
    tell_unit_staff(
        item.unit,
        f"【整改退回】整改事项（{item.code}）未予销号：{item.return_reason}。"
        f"请于{_day(item.due)}前继续整改后再申请销号。",
    )


def rectification_ladder_text(item: Rectification, level: Level, overdue: int) -> str:
    late = f"已超期{overdue}个工作日" if overdue else f"将于{_day(item.due)}到期"
    return (
        f"【{level.label}】{_raiser(item)}提出的整改事项（{item.code}）{late}，"
        "请抓紧整改并申请销号。"
    )
