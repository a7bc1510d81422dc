"""典型案例评选's rules: starting one (the rubric adds up to 100), nominating (in the phase,
completed projects of the own subtree, once), deciding (a rejection says why), scoring (a
judge, in the review, within the rubric, never for their own unit), voting (the phase, the
running, once a day per case, the daily limit — also when votes arrive together), voiding
(with a reason, an event naming the votes, the totals change)."""

import pytest
from django.core.exceptions import PermissionDenied

from shishi.cases import access, actions, results
from shishi.cases.models import Nomination, Score, SelectionEvent, Vote
from shishi.cases.tests.conftest import (
    AFTER,
    NOMINATING,
    REVIEWING,
    VOTING,
    accept,
    free_case,
    selection_data,
)
from shishi.core.errors import Refused
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Role
from shishi.projects.models import Status
from shishi.testing import actor_of, at, run_at_once

pytestmark = pytest.mark.django_db

PHONE = "13905961234"


def test_the_rubric_must_add_up_to_100_and_phases_run_in_order(city_admin):
    office = actor_of(city_admin)
    with pytest.raises(Refused, match="合计应为100分，现为90分"):
        actions.create_selection(
            data=selection_data(criteria=(("成效", 60), ("满意", 30))), actor=office, now=AFTER
        )
    with pytest.raises(Refused, match="各阶段日期应依次为"):
        actions.create_selection(
            data=selection_data(review_until=selection_data().vote_until), actor=office, now=AFTER
        )


def test_a_unit_nominates_its_completed_project_once_with_its_figures(
    selection, office, town_clerk, outsider
):
    project = office.walk(office.new(title="芝山社区适老化改造"), to=Status.COMPLETED)
    nomination = actions.nominate(
        selection=selection,
        data=actions.NominationData(title="", summary="改造了42户。", project=project),
        actor=actor_of(town_clerk),
        now=NOMINATING,
    )
    assert (nomination.title, nomination.unit) == ("芝山社区适老化改造", project.lead_unit)
    assert nomination.figures[0][0] == "投资"
    with pytest.raises(Refused, match="该项目已被推荐"):
        actions.nominate(
            selection=selection,
            data=actions.NominationData(title="", summary="x", project=project),
            actor=actor_of(town_clerk),
            now=NOMINATING,
        )
    with pytest.raises(Refused, match="只能推荐本单位及下级单位牵头的项目"):
        actions.nominate(
            selection=selection,
            data=actions.NominationData(title="", summary="x", project=project),
            actor=actor_of(outsider),
            now=NOMINATING,
        )


def test_an_unfinished_project_and_a_late_nomination_are_refused(selection, office, town_clerk):
    project = office.new(title="还在建的项目")
    with pytest.raises(Refused, match="只能推荐已完成的实事项目"):
        actions.nominate(
            selection=selection,
            data=actions.NominationData(title="", summary="x", project=project),
            actor=actor_of(town_clerk),
            now=NOMINATING,
        )
    with pytest.raises(Refused, match="不在推荐申报期内"):
        free_case(selection, town_clerk, "晚到的案例", now=REVIEWING)
    assert not Nomination.objects.exists()


def test_a_rejection_says_why_and_only_the_office_decides(
    selection, town_clerk, city_admin, county_leader
):
    nomination = free_case(selection, town_clerk, "社区食堂")
    with pytest.raises(Refused, match="请写明未入围的原因"):
        actions.decide_nomination(
            nomination=nomination,
            accept=False,
            reason=" ",
            actor=actor_of(city_admin),
            now=REVIEWING,
        )
    with pytest.raises(PermissionDenied):
        accept(selection, nomination, county_leader)
    nomination = accept(selection, nomination, city_admin)
    assert nomination.status == Nomination.Status.ACCEPTED


@pytest.fixture
def judges(tree, selection, city_admin):
    office = actor_of(city_admin)
    expert = PersonFactory(
        username="expert", name="评委甲", unit=tree["city"], role=Role.SUPERVISOR
    )
    county = PersonFactory(
        username="xc_judge", name="评委乙", unit=tree["xiangcheng"], role=Role.UNIT_LEADER
    )
    for person in (expert, county):
        actions.add_judge(selection=selection, person=person, actor=office, now=NOMINATING)
    return {"expert": expert, "county": county}


def _points(selection, *values):
    return {c.pk: v for c, v in zip(selection.criteria.order_by("order"), values, strict=True)}


def test_judges_score_within_the_rubric_in_the_review_never_their_own_units(
    selection, judges, town_clerk, lantian_clerk, city_admin
):
    zhishan = accept(selection, free_case(selection, town_clerk, "芝山案例"), city_admin)
    lantian = accept(selection, free_case(selection, lantian_clerk, "蓝田案例"), city_admin)
    expert, county = actor_of(judges["expert"]), actor_of(judges["county"])
    # out of range, or in the wrong phase: refused
    with pytest.raises(Refused, match="“为民服务成效”的得分应在0至40分之间"):
        actions.score_nomination(
            nomination=lantian,
            points=_points(selection, 41, 30, 20, 10),
            actor=expert,
            now=REVIEWING,
        )
    with pytest.raises(Refused, match="不在评审期内"):
        actions.score_nomination(
            nomination=lantian, points=_points(selection, 40, 30, 20, 10), actor=expert, now=VOTING
        )
    # 芗城区's judge may not score 芝山街道 (a street of 芗城区), may score 蓝田街道
    with pytest.raises(Refused, match="不能为本单位"):
        actions.score_nomination(
            nomination=zhishan,
            points=_points(selection, 30, 20, 10, 5),
            actor=county,
            now=REVIEWING,
        )
    actions.score_nomination(
        nomination=lantian, points=_points(selection, 30, 20, 10, 5), actor=county, now=REVIEWING
    )
    # scoring again replaces
    actions.score_nomination(
        nomination=lantian, points=_points(selection, 40, 30, 20, 10), actor=expert, now=REVIEWING
    )
    actions.score_nomination(
        nomination=lantian, points=_points(selection, 35, 30, 20, 10), actor=expert, now=REVIEWING
    )
    assert Score.objects.filter(nomination=lantian).count() == 8
    assert not Score.objects.filter(nomination=zhishan).exists()


@pytest.fixture
def running(selection, town_clerk, lantian_clerk, city_admin):
    return [
        accept(selection, free_case(selection, town_clerk, "芝山案例"), city_admin),
        accept(selection, free_case(selection, lantian_clerk, "蓝田案例"), city_admin),
    ]


def _vote(nomination, *, phone=PHONE, now=VOTING, ip="10.0.0.1"):
    return actions.cast_vote(nomination=nomination, phone=phone, ip=ip, now=now)


def test_votes_count_once_a_day_per_case_and_at_most_the_daily_limit(
    selection, running, town_clerk, city_admin
):
    third = accept(selection, free_case(selection, town_clerk, "第三个案例"), city_admin)
    _vote(running[0])
    with pytest.raises(Refused, match="今天已经为该案例投过票"):
        _vote(running[0])
    _vote(running[1])
    with pytest.raises(Refused, match="每个手机号每天最多投2票"):
        _vote(third)
    # the next day the phone votes again
    _vote(third, now=at(2026, 6, 26))
    assert Vote.objects.count() == 3


def test_votes_outside_the_vote_or_for_a_case_out_of_the_running_are_refused(
    selection, running, town_clerk
):
    with pytest.raises(Refused, match="不在投票时间内"):
        _vote(running[0], now=REVIEWING)
    with pytest.raises(Refused, match="不在投票时间内"):
        _vote(running[0], now=AFTER)
    waiting = Nomination.objects.create(
        selection=selection,
        unit=running[0].unit,
        title="未审核的案例",
        summary="x",
        submitted_by=town_clerk,
        submitted_at=NOMINATING,
    )
    with pytest.raises(Refused, match="不在投票范围内"):
        _vote(waiting)
    assert not Vote.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_votes_arriving_together_never_pass_the_daily_limit(
    selection, running, town_clerk, city_admin
):
    # given a third case and a phone allowed two votes a day
    third = accept(selection, free_case(selection, town_clerk, "第三个案例"), city_admin)
    cases = [running[0], running[1], third] * 2
    # when six votes of that phone arrive at once (two for each case)
    counter = iter(range(6))
    results_ = run_at_once(lambda: _vote(cases[next(counter)]), threads=6)
    # then exactly two counted, the others refused; never a third
    counted = [r for r in results_ if isinstance(r, Vote)]
    assert len(counted) == 2, results_
    assert all(isinstance(r, (Vote, Refused)) for r in results_), results_
    assert Vote.objects.count() == 2
    assert len({v.nomination_id for v in Vote.objects.all()}) == 2


def test_voiding_leaves_an_audit_trail_and_changes_the_totals(selection, running, city_admin):
    first = _vote(running[0], phone="13905960001")
    _vote(running[0], phone="13905960002")
    _vote(running[1], phone="13905960003")
    office = actor_of(city_admin)
    with pytest.raises(Refused, match="请写明作废原因"):
        actions.void_votes(
            selection=selection, vote_ids=[first.pk], reason="", actor=office, now=VOTING
        )
    assert (
        actions.void_votes(
            selection=selection,
            vote_ids=[first.pk],
            reason="同一地址刷票",
            actor=office,
            now=VOTING,
        )
        == 1
    )
    event = SelectionEvent.objects.get(verb="voided")
    assert event.data == {"votes": [first.pk]} and "同一地址刷票" in event.note
    standing = {row.nomination.pk: row.votes for row in results.standings(selection)}
    assert standing == {running[0].pk: 1, running[1].pk: 1}
    with pytest.raises(Refused, match="已作废"):
        actions.void_votes(
            selection=selection, vote_ids=[first.pk], reason="再次", actor=office, now=VOTING
        )


def test_only_the_office_sees_every_nomination(
    selection, running, town_clerk, lantian_clerk, city_admin
):
    assert access.visible_nominations(actor_of(city_admin), selection).count() == 2
    assert [n.title for n in access.visible_nominations(actor_of(lantian_clerk), selection)] == [
        "蓝田案例"
    ]
