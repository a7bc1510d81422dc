"""The SMS a project's changes send: to the lead unit's staff and to members of the public.

Every text is a registered SMS kind (core.sms) declared here; actions call these inside
their transaction (the outbox sends after commit).
"""

from shishi.core import sms
from shishi.core.sms import Sms
from shishi.core.supervision import Level
from shishi.orgs.notify import tell_phone, tell_unit_staff
from shishi.projects.models import Objection, Project

LADDER = {
    Level.REMIND: sms.kind("projects.remind", "项目到期提醒", "【提醒】{what}将于{due}到期"),
    Level.URGE: sms.kind("projects.urge", "项目到期催办", "【催办】{what}今天到期"),
    Level.SUPERVISE: sms.kind(
        "projects.supervise", "项目超期督办", "【督办】{what}已超期（{due}）"
    ),
    Level.NOTIFY: sms.kind(
        "projects.notify", "项目超期通报", "【通报】{what}超期{overdue}个工作日，将列入通报"
    ),
}
REVIEWED = sms.kind("projects.reviewed", "项目审核结果", "【项目审核】{code}“{title}”{result}")
ACCEPTED = sms.kind("projects.accepted", "项目验收结果", "【项目验收】{code}“{title}”{result}")
OBJECTION_FILED = sms.kind(
    "projects.objection_filed",
    "公示异议",
    "【公示异议】{code}“{title}”收到一条异议，请及时答复",
)
OBJECTION_ANSWERED = sms.kind(
    "projects.objection_answered",
    "异议答复告知（群众）",
    "您对项目“{title}”提出的异议已答复，可在项目公示页查看。",
)


def ladder_sms(what: str, *, level: Level, due, overdue: int) -> Sms:
    kind = LADDER[level]
    values = {"what": what, "due": f"{due:%m月%d日}", "overdue": overdue}
    return kind(**{name: values[name] for name in kind.variables})


def reviewed(project: Project, *, approve: bool, note: str) -> None:
    tell_unit_staff(
        project.lead_unit,
        REVIEWED(
            code=project.code,
            title=project.title,
            result="已审核通过，请安排公示" if approve else "被退回：" + note,
        ),
        about=project,
    )


def accepted(project: Project, *, approve: bool, note: str) -> None:
    tell_unit_staff(
        project.lead_unit,
        ACCEPTED(
            code=project.code,
            title=project.title,
            result="验收通过" if approve else "验收未通过：" + note,
        ),
        about=project,
    )


def objection_filed(project: Project) -> None:
    tell_unit_staff(
        project.lead_unit, OBJECTION_FILED(code=project.code, title=project.title), about=project
    )


def objection_answered(objection: Objection) -> None:
    tell_phone(
        objection.phone,
        OBJECTION_ANSWERED(title=objection.project.title),
        unit_id=objection.project.lead_unit_id,
        about=objection.project,
    )
