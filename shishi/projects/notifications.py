"""The SMS a project's changes send: to the lead unit's staff and to members of the public.

Every text is written here; actions call these inside their transaction (the outbox sends
after commit).
"""

from shishi.core.supervision import Level
from shishi.orgs.notify import tell_phone, tell_unit_staff
from shishi.projects.models import Objection, Project

LADDER_TEXT = {
    Level.REMIND: "【提醒】{what}将于{due:%m月%d日}到期",
    Level.URGE: "【催办】{what}今天到期",
    Level.SUPERVISE: "【督办】{what}已超期（{due:%m月%d日}）",
    Level.NOTIFY: "【通报】{what}超期{overdue}个工作日，将列入通报",
}


def ladder_text(what: str, *, level: Level, due, overdue: int) -> str:
    return LADDER_TEXT[level].format(what=what, due=due, overdue=overdue)


def reviewed(project: Project, *, approve: bool, note: str) -> None:
    tell_unit_staff(
        project.lead_unit,
        f"【项目审核】{project.code}“{project.title}”"
        f"{'已审核通过，请安排公示' if approve else '被退回：' + note}",
    )


def accepted(project: Project, *, approve: bool, note: str) -> None:
    tell_unit_staff(
        project.lead_unit,
        f"【项目验收】{project.code}“{project.title}”"
        f"{'验收通过' if approve else '验收未通过：' + note}",
    )


def objection_filed(project: Project) -> None:
    tell_unit_staff(
        project.lead_unit, f"【公示异议】{project.code}“{project.title}”收到一条异议，请及时答复"
    )


def objection_answered(objection: Objection) -> None:
    tell_phone(
        objection.phone,
        f"您对项目“{objection.project.title}”提出的异议已答复，可在项目公示页查看。",
    )
