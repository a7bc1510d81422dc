"""Fixtures of the projects tests: the people who run a project and a way to walk a project
through the real actions to any state on a fixed clock.

芝山街道 leads the projects: 黄街道 (town_clerk) runs them, 王主任 (town_leader) reviews
their reports. 芗城区 (county_leader) and the city office (city_admin) supervise: they
approve, accept and decide status requests. 李西桥 (outsider) is the sibling town.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shishi.appeals.tests.conftest import categories, desk  # noqa: F401  (fixtures)
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit
from shishi.projects import actions
from shishi.projects.models import Attachment, Cadence, Milestone, Project, Status
from shishi.projects.tests.helpers import actor_of, at

# The fixed clock: disclosed on Monday 2 March 2026, 公示 (5 working days) until 9 March.
CREATED = at(2026, 3, 2, 9)
DISCLOSED_UNTIL = date(2026, 3, 9)
STARTED = at(2026, 3, 12, 9)
PLANNED_START = date(2026, 3, 1)
PLANNED_END = date(2026, 12, 31)

ORDER = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.APPROVED,
    Status.DISCLOSED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.ACCEPTED,
    Status.EVALUATED,
]


def png(name: str = "after.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 160, 90)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@dataclass
class Office:
    """Who runs and who supervises the projects, and shortcuts through the real actions."""

    tree: dict[str, Unit]
    clerk: Actor  # 芝山街道 clerk: runs 芝山 projects
    leader: Actor  # 芝山街道 leader: reviews 芝山 reports
    county: Actor  # 芗城区 leader: supervises 芝山 and 西桥
    admin: Actor  # the city office

    def data(self, *, lead: str = "zhishan", **fields) -> actions.ProjectData:
        values = {
            "title": "芝山街道背街小巷路灯补亮",
            "area": "living",
            "level": "town",
            "source": "public",
            "lead_unit": self.tree[lead],
            "leader": "街道办主任 张某某",
            "planned_start": PLANNED_START,
            "planned_end": PLANNED_END,
            "targets": "补装路灯120盏，消除照明盲区",
            "budget": Decimal("85.50"),
            "beneficiaries": 3000,
            "place": "芝山街道辖区",
            "cadence": Cadence.MONTHLY,
        }
        return actions.ProjectData(**(values | fields))

    def runner(self, project: Project) -> Actor:
        """Whoever runs `project`: the 芝山 clerk, or the city office for other lead units."""
        return self.clerk if project.lead_unit_id == self.clerk.unit.pk else self.admin

    def supervisor_of(self, project: Project) -> Actor:
        under_county = project.lead_unit.path.startswith(self.county.unit.path)
        if under_county and project.lead_unit_id != self.county.unit.pk:
            return self.county
        return self.admin

    def new(
        self,
        *,
        to: str = Status.DRAFT,
        now: datetime = CREATED,
        weights: tuple[int, ...] = (1,),
        lead: str = "zhishan",
        **fields,
    ) -> Project:
        """A project entered at `now` with milestones of `weights` (due one month apart
        from April on), walked through the real actions to state `to`."""
        actor = self.clerk if lead == "zhishan" else self.admin
        project = actions.create_project(actor=actor, data=self.data(lead=lead, **fields), now=now)
        for index, weight in enumerate(weights):
            actions.add_milestone(
                actor=actor,
                project=project,
                title=f"第{index + 1}阶段",
                weight=weight,
                due=date(2026, 4 + index, 15),
                now=now,
            )
        return self.walk(project, to=to, now=now)

    def walk(self, project: Project, *, to: str, now: datetime = CREATED) -> Project:
        """From the project's state on to `to`; each step a little after the one before.

        Disclosure lasts 5 working days, so the start comes 10 days after disclosing."""
        project.refresh_from_db()
        run, boss = self.runner(project), self.supervisor_of(project)
        if to in (Status.SUSPENDED, Status.CANCELLED):
            target = Status.IN_PROGRESS if to == Status.SUSPENDED else project.status
            self.walk(project, to=target, now=now)
            project.refresh_from_db()
            actions.request_status(actor=run, project=project, to=to, reason="资金未到位", now=now)
            actions.decide_status(actor=boss, project=project, approve=True, note="", now=now)
            project.refresh_from_db()
            return project
        clock = now
        while ORDER.index(project.status) < ORDER.index(to):
            step = project.status
            if step == Status.DRAFT:
                actions.submit_project(actor=run, project=project, now=clock)
            elif step == Status.SUBMITTED:
                actions.review_project(
                    actor=boss, project=project, approve=True, note="", now=clock
                )
            elif step == Status.APPROVED:
                actions.disclose_project(actor=run, project=project, now=clock)
            elif step == Status.DISCLOSED:
                clock += timedelta(days=10)
                actions.start_project(actor=run, project=project, now=clock)
            elif step == Status.IN_PROGRESS:
                clock += timedelta(days=1)
                for milestone in Milestone.objects.filter(project=project, done_at__isnull=True):
                    actions.complete_milestone(actor=run, milestone=milestone, now=clock)
                actions.complete_project(
                    actor=run,
                    project=project,
                    note="",
                    now=clock,
                    evidence=[(Attachment.Kind.AFTER, png())],
                )
            elif step == Status.COMPLETED:
                clock += timedelta(days=1)
                actions.accept_project(
                    actor=boss, project=project, approve=True, note="验收合格", now=clock
                )
            elif step == Status.ACCEPTED:
                clock += timedelta(days=60)
                actions.close_evaluations(now=clock)
            project.refresh_from_db()
            if project.status == step:
                raise AssertionError(f"the walk is stuck at {step}")
        return project


@pytest.fixture
def office(tree, town_clerk, town_leader, county_leader, city_admin) -> Office:
    return Office(
        tree=tree,
        clerk=actor_of(town_clerk),
        leader=actor_of(town_leader),
        county=actor_of(county_leader),
        admin=actor_of(city_admin),
    )
