"""Every SMS text of the enterprise desk, and who gets it."""

from datetime import date

from shishi.appeals.models import Appeal
from shishi.core.supervision import Level
from shishi.enterprises.models import Enterprise, Pairing
from shishi.orgs.notify import tell_phone, tell_unit_staff


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def paired(pairing: Pairing) -> None:
    """The cadre learns which enterprise is theirs and when the first visit is due."""
    if pairing.cadre.phone:
        tell_phone(
            pairing.cadre.phone,
            f"【挂钩企业】{pairing.office.name}安排您挂钩服务{pairing.enterprise.name}，"
            f"请于{_day(pairing.visit_due)}前完成首次走访并登记。",
        )


def problem_received(appeal: Appeal, *, enterprise: Enterprise, pairing: Pairing | None) -> None:
    """The paired cadre (else the county's staff) is told their unit received the problem."""
    body = (
        f"【企业诉求】{enterprise.name}反映的问题（{appeal.code}）已由{appeal.first_receiver.name}"
        "受理，请及时协调办理。"
    )
    if pairing is not None and pairing.cadre.phone:
        tell_phone(pairing.cadre.phone, body)
    else:
        tell_unit_staff(appeal.first_receiver, body)


def ladder_text(pairing: Pairing, level: Level, overdue: int) -> str:
    late = f"已超期{overdue}个工作日未走访" if overdue else f"应于{_day(pairing.visit_due)}前走访"
    return (
        f"【{level.label}】{pairing.cadre.name}挂钩的{pairing.enterprise.name}{late}，"
        "请尽快走访并登记。"
    )
