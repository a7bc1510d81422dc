"""The contest the tests share: 2026, three participants (芗城区, 龙文区 and a development
zone 漳州高新区 under the city), two dimensions and three indicators — the hand-computed
fixture of test_scoring.py.

    比项目 60%: 新开工项目 (整数, 越高越好, 50%), 单位能耗 (小数, 越低越好, 50%)
    比环境 40%: 优良天数比例 (百分比, 越高越好, 100%)
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shishi.contest import actions
from shishi.contest.models import Contest, Dimension, Indicator, Participant, Submission
from shishi.orgs.factories import PersonFactory, UnitFactory
from shishi.orgs.models import Role, Unit
from shishi.testing import actor_of, at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def evidence(name="统计报表.pdf"):
    return [SimpleUploadedFile(name, PDF, content_type="application/pdf")]


@pytest.fixture
def zone(tree) -> Unit:
    return UnitFactory(
        code="350690000000", name="漳州高新区", kind=Unit.Kind.ZONE, parent=tree["city"]
    )


@pytest.fixture
def longwen_clerk(tree):
    return PersonFactory(
        username="longwen_clerk", name="郑龙文", unit=tree["longwen"], role=Role.UNIT_CLERK
    )


@pytest.fixture
def zone_clerk(zone):
    return PersonFactory(username="zone_clerk", name="高新办", unit=zone, role=Role.UNIT_CLERK)


@pytest.fixture
def contest(tree, zone, city_admin) -> Contest:
    """Open, set up by the actions (so their checks run), ready for month 1."""
    admin = actor_of(city_admin)
    now = at(2026, 1, 5)
    made = actions.create_contest(
        data=actions.ContestData(year=2026, name="六比一看竞赛", due_workday=5, bottom_n=1),
        actor=admin,
        now=now,
    )
    dims = list(made.dimensions.all())
    for extra in dims[2:]:
        actions.remove_dimension(dimension=extra, actor=admin, now=now)
    projects, environment = dims[0], dims[1]
    actions.save_dimension(
        contest=made, dimension=environment, name="比环境", order=2, actor=admin, now=now
    )
    new = actions.save_indicator(
        dimension=projects,
        data=actions.IndicatorData("新开工项目", "个", "higher", "integer", order=1),
        actor=admin,
        now=now,
    )
    energy = actions.save_indicator(
        dimension=projects,
        data=actions.IndicatorData("单位能耗", "吨标煤/万元", "lower", "decimal", order=2),
        actor=admin,
        now=now,
    )
    air = actions.save_indicator(
        dimension=environment,
        data=actions.IndicatorData("优良天数比例", "%", "higher", "percent"),
        actor=admin,
        now=now,
    )
    actions.set_weights(
        contest=made,
        dimensions={projects.pk: "60", environment.pk: "40"},
        indicators={new.pk: 50, energy.pk: 50, air.pk: 100},
        actor=admin,
        now=now,
    )
    actions.add_participants(
        contest=made, units=[tree["xiangcheng"], tree["longwen"], zone], actor=admin, now=now
    )
    return actions.open_contest(contest=made, actor=admin, now=now)


def indicator(contest, name) -> Indicator:
    return Indicator.objects.get(dimension__contest=contest, name=name)


def dimension(contest, name) -> Dimension:
    return Dimension.objects.get(contest=contest, name=name)


def participant(contest, unit) -> Participant:
    return Participant.objects.get(contest=contest, unit=unit)


def submission(contest, unit, month) -> Submission:
    return Submission.objects.get(
        round__contest=contest, round__month=month, participant__unit=unit
    )


def values(contest, new, energy, air) -> dict[int, object]:
    return {
        indicator(contest, "新开工项目").pk: new,
        indicator(contest, "单位能耗").pk: energy,
        indicator(contest, "优良天数比例").pk: air,
    }


def submit(contest, unit, person, month, new, energy, air, *, now):
    return actions.submit_values(
        submission=submission(contest, unit, month),
        entry=actions.Entry(values=values(contest, new, energy, air), files=evidence()),
        actor=actor_of(person),
        now=now,
    )


def accept(contest, unit, month, admin, *, now):
    return actions.accept_submission(
        submission=submission(contest, unit, month), actor=actor_of(admin), now=now
    )


def as_decimal(text: str) -> Decimal:
    return Decimal(text)
