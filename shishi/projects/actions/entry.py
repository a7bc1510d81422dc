"""The ledger entry: registering a project, editing it, linking the appeals it answers."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from shishi.appeals import events as appeal_events
from shishi.appeals.models import Appeal
from shishi.core.codes import next_code
from shishi.core.errors import Refused
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit
from shishi.projects import events
from shishi.projects.actions.common import lock, today_of
from shishi.projects.allowed import FROM, Step
from shishi.projects.models import Cadence, Project

Verb = events.Verb
CODE_PREFIX = "XM"
BUDGET_LIMIT = Decimal("10000000000")  # the column holds 12 digits with 2 decimals


@dataclass
class ProjectData:
    """The fields a unit fills in (form, import)."""

    title: str
    area: str
    level: str
    source: str
    lead_unit: Unit
    leader: str
    planned_start: date
    planned_end: date
    targets: str
    budget: Decimal = Decimal("0")
    beneficiaries: int = 0
    place: str = ""
    cadence: str = Cadence.MONTHLY
    description: str = ""
    co_units: list[Unit] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Browsers send CRLF, workbooks LF: store one form so round trips compare equal.
        for name in ("title", "leader", "targets", "place", "description"):
            value = getattr(self, name)
            setattr(self, name, value.replace("\r\n", "\n").replace("\r", "\n").strip())

    def check(self) -> None:
        if self.budget >= BUDGET_LIMIT:
            raise Refused("投资金额过大（应小于一百亿万元）")
        if self.planned_end < self.planned_start:
            raise Refused("计划完成日期不能早于计划开始日期")
        if self.budget < 0:
            raise Refused("投资金额不能为负数")
        if self.lead_unit in self.co_units:
            raise Refused("牵头单位不能同时作为配合单位")


SCALAR_FIELDS = (
    "title",
    "area",
    "level",
    "source",
    "lead_unit",
    "leader",
    "planned_start",
    "planned_end",
    "targets",
    "budget",
    "beneficiaries",
    "place",
    "cadence",
    "description",
)


@transaction.atomic
def create_project(
    *,
    actor: Actor | None,
    data: ProjectData,
    now: datetime,
    appeals: Sequence[Appeal] = (),
    code: str = "",
) -> Project:
    """Enter a project in the ledger as a draft; optionally made from citizens' appeals."""
    data.check()
    if actor is not None and not actor.sees(data.lead_unit):
        raise Refused("牵头单位须在本单位管辖范围内")
    project = Project.objects.create(
        code=code or next_code(prefix=CODE_PREFIX, day=today_of(now)),
        created_by=actor.person if actor else None,
        created_at=now,
        **{name: getattr(data, name) for name in SCALAR_FIELDS},
    )
    project.co_units.set(data.co_units)
    events.record(project, verb=Verb.CREATED, actor=actor, now=now)
    if appeals:
        link_appeals(project=project, appeals=appeals, actor=actor, now=now)
    return project


def link_appeals(
    *, project: Project, appeals: Sequence[Appeal], actor: Actor | None, now: datetime
) -> None:
    """The citizens who raised these appeals see on their timeline that a project took them up."""
    project.appeals.add(*appeals)
    for appeal in appeals:
        appeal_events.record(
            appeal,
            verb=appeal_events.Verb.IN_PROJECT,
            actor=actor,
            now=now,
            public=True,
            note=f"您反映的问题已纳入“我为群众办实事”项目“{project.title}”"
            f"（{project.code}），可在项目公示页查看进度",
        )
    events.record(
        project,
        verb=Verb.APPEALS_LINKED,
        actor=actor,
        now=now,
        note="、".join(a.code for a in appeals),
    )


@transaction.atomic
def update_project(
    *, actor: Actor | None, project: Project, data: ProjectData, now: datetime
) -> bool:
    """Change a draft or submitted project; returns whether anything changed."""
    project = lock(project)
    data.check()
    changes = {
        name: [str(getattr(project, name)), str(getattr(data, name))]
        for name in SCALAR_FIELDS
        if getattr(project, name) != getattr(data, name)
    }
    co_before = set(project.co_units.values_list("pk", flat=True))
    co_after = {u.pk for u in data.co_units}
    if not changes and co_before == co_after:
        return False
    if project.status not in FROM[Step.EDIT]:
        raise Refused(f"项目已{project.get_status_display()}，不能再修改基本信息")
    if actor is not None and not actor.sees(data.lead_unit):
        raise Refused("牵头单位须在本单位管辖范围内")
    for name in SCALAR_FIELDS:
        setattr(project, name, getattr(data, name))
    project.save()
    project.co_units.set(data.co_units)
    events.edited(project=project, actor=actor, changes=changes, now=now)
    return True
