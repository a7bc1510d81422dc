"""Every SMS text of the enterprise desk, and who gets it; each text is a registered SMS
kind (core.sms)."""

from datetime import date

from shishi.appeals.models import Appeal
from shishi.core import sms
from shishi.core.sms import Sms
from shishi.core.supervision import Level
from shishi.enterprises.models import Enterprise, Pairing
from shishi.orgs.notify import tell_phone, tell_unit_staff

PAIRED = sms.kind(
    "enterprises.paired",
    "挂钩企业安排",
    "【挂钩企业】{office}安排您挂钩服务{enterprise}，请于{due}前完成首次走访并登记。",
)
PROBLEM_RECEIVED = sms.kind(
    "enterprises.problem_received",
    "企业诉求受理",
    "【企业诉求】{enterprise}反映的问题（{code}）已由{unit}受理，请及时协调办理。",
)
LADDER = sms.kind(
    "enterprises.ladder",
    "企业走访督办（提醒/催办/督办/通报）",
    "【{level}】{cadre}挂钩的{enterprise}{late}，请尽快走访并登记。",
)


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def paired(pairing: Pairing) -> None:
    """The cadre learns which enterprise is theirs and when the first visit is due."""
    if pairing.cadre.phone:
        tell_phone(
            pairing.cadre.phone,
            PAIRED(
                office=pairing.office.name,
                enterprise=pairing.enterprise.name,
                due=_day(pairing.visit_due),
            ),
            unit_id=pairing.unit_id,
        )


def problem_received(appeal: Appeal, *, enterprise: Enterprise, pairing: Pairing | None) -> None:
    """The paired cadre (else the county's staff) is told their unit received the problem."""
    message = PROBLEM_RECEIVED(
        enterprise=enterprise.name, code=appeal.code, unit=appeal.first_receiver.name
    )
    if pairing is not None and pairing.cadre.phone:
        tell_phone(pairing.cadre.phone, message, unit_id=pairing.unit_id, about=appeal)
    else:
        tell_unit_staff(appeal.first_receiver, message, about=appeal)


def ladder_sms(pairing: Pairing, level: Level, overdue: int) -> Sms:
    late = f"已超期{overdue}个工作日未走访" if overdue else f"应于{_day(pairing.visit_due)}前走访"
    return LADDER(
        level=level.label, cadre=pairing.cadre.name, enterprise=pairing.enterprise.name, late=late
    )
