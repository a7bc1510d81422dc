"""Roving guidance (巡回指导) and rectification (整改): the city office sets up groups and
rounds; a group visits only its own units, on a day of a round; the coverage matrix is
computed from the visits with its gaps; items are raised by the group (or the city office, or
a unit above), put right by the unit with evidence, closed or sent back only by the raising
side; overdue ones climb the ladder; a guidance member sees only their group's units.

The tree (shishi/conftest.py): 漳州市 → 芗城区 (芝山街道 → 芝山社区, 西桥街道),
龙文区 (蓝田街道)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from shishi.campaign import access, actions, figures, queries
from shishi.campaign.models import (
    GroupUnit,
    Rectification,
    RectificationEvent,
    StudySession,
    Visit,
)
from shishi.campaign.queries import CellState
from shishi.core.errors import Refused
from shishi.core.figures import Period, Scope, values
from shishi.core.models import OutboxMessage
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Role
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
Status = Rectification.Status


def pdf(name="整改台账.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def guides(tree):
    return {
        "first_leader": PersonFactory(
            username="g1", name="组长甲", unit=tree["city"], role=Role.GUIDANCE_MEMBER
        ),
        "first_member": PersonFactory(
            username="g1m", name="组员甲", unit=tree["city"], role=Role.GUIDANCE_MEMBER
        ),
        "second_leader": PersonFactory(
            username="g2", name="组长乙", unit=tree["city"], role=Role.GUIDANCE_MEMBER
        ),
    }


@pytest.fixture
def setup(tree, city_admin, guides):
    """Two groups (芗城区; 龙文区) and three rounds in 2024."""
    office, now = actor_of(city_admin), at(2024, 2, 1)
    first = actions.save_group(
        data=actions.GroupData(
            name="第一巡回指导组",
            leader=guides["first_leader"],
            members=(guides["first_member"],),
            units=(tree["xiangcheng"],),
        ),
        actor=office,
        now=now,
    )
    second = actions.save_group(
        data=actions.GroupData(
            name="第二巡回指导组",
            leader=guides["second_leader"],
            members=(),
            units=(tree["longwen"],),
        ),
        actor=office,
        now=now,
    )
    rounds = [
        actions.add_round(starts=date(2024, 3, 1), ends=date(2024, 3, 31), actor=office, now=now),
        actions.add_round(starts=date(2024, 5, 6), ends=date(2024, 5, 31), actor=office, now=now),
        actions.add_round(starts=date(2024, 9, 2), ends=date(2024, 9, 30), actor=office, now=now),
    ]
    return {"first": first, "second": second, "rounds": rounds}


def _visit(person, group, unit, day, *, findings="台账不全，群众知晓率不高", methods=("briefing",)):
    return actions.record_visit(
        data=actions.VisitData(
            group=group, unit=unit, visited_on=day, methods=methods, findings=findings
        ),
        actor=actor_of(person),
        now=at(day.year, day.month, day.day, 18),
    )


def _raise(person, unit, *, visit=None, session=None, days=10, now=None):
    return actions.raise_rectification(
        data=actions.RectificationData(
            unit=unit,
            problem="为民办实事台账不全",
            measures="补齐台账，逐件销号",
            days=days,
            visit=visit,
            session=session,
        ),
        actor=actor_of(person),
        now=now or at(2024, 3, 6),
    )


# --- groups and rounds ---------------------------------------------------------------------


def test_a_unit_has_one_group_and_members_must_hold_the_guidance_role(
    tree, city_admin, guides, setup, town_clerk
):
    office = actor_of(city_admin)
    # when another group is given 芗城区
    with pytest.raises(Refused, match="芗城区（第一巡回指导组）已有指导组"):
        actions.save_group(
            data=actions.GroupData(
                name="第三巡回指导组",
                leader=guides["second_leader"],
                members=(),
                units=(tree["xiangcheng"],),
            ),
            actor=office,
            now=at(2024, 2, 2),
        )
    # and a clerk without the role is named a member
    with pytest.raises(Refused, match="黄街道没有“指导组成员”角色"):
        actions.save_group(
            data=actions.GroupData(
                name="第三巡回指导组",
                leader=guides["second_leader"],
                members=(town_clerk,),
                units=(tree["lantian"],),
            ),
            actor=office,
            now=at(2024, 2, 2),
        )
    # then nothing changed
    assert GroupUnit.objects.count() == 2
    # and only the city office sets groups up
    with pytest.raises(PermissionDenied):
        actions.save_group(
            data=actions.GroupData(
                name="第四组", leader=guides["first_leader"], members=(), units=(tree["lantian"],)
            ),
            actor=actor_of(guides["first_leader"]),
            now=at(2024, 2, 2),
        )


def test_rounds_are_numbered_in_order_and_never_overlap(city_admin, setup):
    office = actor_of(city_admin)
    assert [r.number for r in setup["rounds"]] == [1, 2, 3]
    with pytest.raises(Refused, match="与第2轮"):
        actions.add_round(
            starts=date(2024, 5, 20), ends=date(2024, 6, 10), actor=office, now=at(2024, 5, 1)
        )
    with pytest.raises(Refused, match="结束日期不能早于开始日期"):
        actions.add_round(
            starts=date(2024, 11, 5), ends=date(2024, 11, 1), actor=office, now=at(2024, 5, 1)
        )


# --- visits ---------------------------------------------------------------------------------


def test_a_member_records_a_visit_to_a_unit_of_the_group_in_the_round_of_its_date(
    tree, guides, setup
):
    visit = _visit(guides["first_member"], setup["first"], tree["zhishan"], date(2024, 3, 5))
    assert visit.round == setup["rounds"][0]
    assert visit.methods == ["briefing"]
    assert visit.events.get().verb == "recorded"


@pytest.mark.parametrize(
    ("who", "unit", "day", "methods", "findings", "message"),
    [
        ("first_member", "lantian", date(2024, 3, 5), ("briefing",), "x", "不是第一巡回指导组负责"),
        ("second_leader", "zhishan", date(2024, 3, 5), ("briefing",), "x", "只有本指导组成员"),
        ("first_member", "zhishan", date(2024, 2, 28), ("briefing",), "x", "不在任何一轮"),
        ("first_member", "zhishan", date(2024, 3, 9), ("briefing",), "x", "不能晚于今天"),
        ("first_member", "zhishan", date(2024, 3, 5), (), "x", "至少一种指导方式"),
        ("first_member", "zhishan", date(2024, 3, 5), ("talks",), "  ", "请填写发现的问题"),
    ],
)
def test_bad_visits_are_refused_and_nothing_is_saved(
    tree, guides, setup, who, unit, day, methods, findings, message
):
    with pytest.raises(Refused, match=message):
        actions.record_visit(
            data=actions.VisitData(
                group=setup["first"],
                unit=tree[unit],
                visited_on=day,
                methods=methods,
                findings=findings,
            ),
            actor=actor_of(guides[who]),
            now=at(2024, 3, 8),
        )
    assert not Visit.objects.exists()


def test_the_coverage_matrix_counts_visits_below_a_unit_and_names_the_gaps(tree, guides, setup):
    # given round 1: both districts visited (芗城区 through its street); round 2: only 龙文区;
    # round 3 under way, nothing yet
    _visit(guides["first_member"], setup["first"], tree["zhishan"], date(2024, 3, 5))
    _visit(guides["second_leader"], setup["second"], tree["longwen"], date(2024, 3, 12))
    _visit(guides["second_leader"], setup["second"], tree["lantian"], date(2024, 5, 8))
    # when the city office reads the matrix on 10 Sept
    matrix = queries.guidance_matrix(
        GroupUnit.objects.all(), Visit.objects.all(), today=date(2024, 9, 10)
    )
    # then
    states = {row.unit.name: [cell.state for cell in cells] for row, cells in matrix.rows}
    assert states == {
        "芗城区": [CellState.COVERED, CellState.GAP, CellState.DUE],
        "龙文区": [CellState.COVERED, CellState.COVERED, CellState.DUE],
    }
    assert matrix.groups == 2
    assert (matrix.covered, matrix.owed) == (3, 6)
    assert [(row.unit.name, rnd.number) for row, rnd in matrix.gaps] == [("芗城区", 2)]
    assert matrix.all_covered is False
    # and before any round has ended there is nothing to judge
    early = queries.guidance_matrix(
        GroupUnit.objects.all(), Visit.objects.none(), today=date(2024, 3, 10)
    )
    assert early.all_covered is None
    assert early.gaps == []


def test_a_guidance_member_sees_only_their_groups_units(tree, guides, setup):
    mine = _visit(guides["first_member"], setup["first"], tree["zhishan"], date(2024, 3, 5))
    theirs = _visit(guides["second_leader"], setup["second"], tree["lantian"], date(2024, 3, 6))
    member = actor_of(guides["first_member"])
    assert list(access.visible_visits(member)) == [mine]
    assert list(access.visible_group_units(member).values_list("unit__name", flat=True)) == [
        "芗城区"
    ]
    assert list(access.visible_groups(member)) == [setup["first"]]
    with pytest.raises(Http404):
        access.access_visit(member, theirs.pk)


def test_a_town_sees_visits_to_its_subtree_and_outsiders_get_404(
    tree, guides, setup, town_clerk, outsider
):
    visit = _visit(guides["first_member"], setup["first"], tree["zhishan"], date(2024, 3, 5))
    assert access.access_visit(actor_of(town_clerk), visit.pk) == visit
    with pytest.raises(Http404):
        access.access_visit(actor_of(outsider), visit.pk)


# --- rectification -------------------------------------------------------------------------


@pytest.fixture
def visit(tree, guides, setup):
    return _visit(guides["first_member"], setup["first"], tree["zhishan"], date(2024, 3, 5))


def test_a_group_raises_an_item_from_its_visit_and_the_unit_is_told(
    tree, guides, visit, town_clerk
):
    item = _raise(guides["first_member"], tree["zhishan"], visit=visit)
    assert (item.source, item.group, item.status) == (
        Rectification.Source.VISIT,
        visit.group,
        Status.OPEN,
    )
    assert item.due == date(2024, 3, 20)  # 10 working days after Wed 6 March
    assert item.code.startswith("ZG20240306-")
    told = OutboxMessage.objects.get(body__contains="【整改通知】第一巡回指导组")
    assert told.recipient == town_clerk.phone


def test_who_may_raise_an_item(tree, guides, setup, visit, county_leader, town_clerk):
    # a member of another group may not raise for this group's unit
    with pytest.raises(Refused, match="本指导组负责指导的单位"):
        _raise(guides["second_leader"], tree["zhishan"])
    # nor the unit for itself
    with pytest.raises(Refused, match="只能对下级单位提出整改"):
        _raise(town_clerk, tree["zhishan"])
    # a unit above raises (no group: it closes it itself)
    item = _raise(county_leader, tree["zhishan"])
    assert (item.group, item.raised_unit) == (None, tree["xiangcheng"])
    assert Rectification.objects.count() == 1


def test_an_item_from_a_life_meeting_goes_to_the_meetings_unit(
    tree, county_leader, town_clerk, city_admin
):
    meeting = actions.record_session(
        data=actions.SessionData(
            unit=tree["zhishan"],
            kind=StudySession.Kind.LIFE_MEETING,
            mode=StudySession.Mode.GROUP,
            held_on=date(2024, 3, 1),
            topic="党史学习教育专题组织生活会",
        ),
        actor=actor_of(town_clerk),
        now=at(2024, 3, 1, 17),
    )
    item = _raise(county_leader, tree["zhishan"], session=meeting)
    assert item.source == Rectification.Source.LIFE_MEETING
    with pytest.raises(Refused, match="由召开会议的单位整改"):
        _raise(city_admin, tree["xiqiao"], session=meeting)


def test_putting_an_item_right_closing_and_sending_it_back(
    tree, guides, visit, town_clerk, county_leader
):
    item = _raise(guides["first_member"], tree["zhishan"], visit=visit)
    unit = actor_of(town_clerk)
    # progress without evidence is fine; asking for 销号 without any is refused
    actions.report_rectification(
        item=item, actor=unit, progress=actions.Progress(text="已补齐一半"), now=at(2024, 3, 8)
    )
    with pytest.raises(Refused, match="申请销号须上传整改佐证材料"):
        actions.report_rectification(
            item=item,
            actor=unit,
            progress=actions.Progress(text="已全部补齐", done=True),
            now=at(2024, 3, 12),
        )
    item.refresh_from_db()
    assert item.status == Status.OPEN
    # 销号 before the unit asks is refused
    with pytest.raises(Refused, match="申请销号后才能销号"):
        actions.close_rectification(
            item=item, actor=actor_of(guides["first_leader"]), now=at(2024, 3, 12)
        )
    # the unit asks with evidence; the county (not the raiser) may not close it
    actions.report_rectification(
        item=item,
        actor=unit,
        progress=actions.Progress(text="已全部补齐", files=[pdf()], done=True),
        now=at(2024, 3, 12),
    )
    with pytest.raises(PermissionDenied):
        actions.close_rectification(item=item, actor=actor_of(county_leader), now=at(2024, 3, 13))
    # the group sends it back: due again 3 working days later
    returned = actions.return_rectification(
        item=item,
        actor=actor_of(guides["first_leader"]),
        reason="台账缺少群众签字",
        now=at(2024, 3, 19),
    )
    assert (returned.status, returned.returns, returned.due) == (
        Status.OPEN,
        1,
        date(2024, 3, 22),
    )
    # the unit asks again (evidence already on file) and the group closes it, late
    actions.report_rectification(
        item=item,
        actor=unit,
        progress=actions.Progress(text="已补齐签字", done=True),
        now=at(2024, 3, 25),
    )
    closed = actions.close_rectification(
        item=item, actor=actor_of(guides["first_member"]), now=at(2024, 3, 26)
    )
    assert (closed.status, closed.on_time) == (Status.CLOSED, False)
    assert list(closed.events.values_list("verb", flat=True)) == [
        "raised", "progress", "reported", "returned", "reported", "closed",
    ]  # fmt: skip


def test_the_unit_cannot_close_its_own_item_even_as_city_office(tree, city_admin):
    # the city office raises an item for 芗城区 and 芗城区's clerk asks for 销号
    item = _raise(city_admin, tree["xiangcheng"])
    clerk = PersonFactory(username="xc", unit=tree["xiangcheng"], role=Role.UNIT_CLERK)
    actions.report_rectification(
        item=item,
        actor=actor_of(clerk),
        progress=actions.Progress(text="已整改", files=[pdf()], done=True),
        now=at(2024, 3, 8),
    )
    # a leader of 芗城区 may not close it; the city office may
    leader = PersonFactory(username="xcl", unit=tree["xiangcheng"], role=Role.UNIT_LEADER)
    with pytest.raises(PermissionDenied):
        actions.close_rectification(item=item, actor=actor_of(leader), now=at(2024, 3, 9))
    assert actions.close_rectification(
        item=item, actor=actor_of(city_admin), now=at(2024, 3, 9)
    ).on_time


def test_overdue_items_climb_the_ladder_and_waiting_ones_do_not(tree, guides, visit, town_clerk):
    late = _raise(guides["first_member"], tree["zhishan"], visit=visit, days=2)  # due 8 March
    waiting = _raise(guides["first_member"], tree["zhishan"], visit=visit, days=2)
    actions.report_rectification(
        item=waiting,
        actor=actor_of(town_clerk),
        progress=actions.Progress(text="已整改", files=[pdf()], done=True),
        now=at(2024, 3, 7),
    )
    moved = actions.sweep_rectifications(now=at(2024, 3, 12, 9))
    late.refresh_from_db()
    waiting.refresh_from_db()
    assert moved == {3: 1}  # 督办: overdue
    assert (late.supervision, waiting.supervision) == (3, 0)
    assert RectificationEvent.objects.filter(item=late, verb="supervise").exists()
    # the bulletin's list
    assert list(queries.overdue_rectifications(under=tree["city"], today=date(2024, 3, 12))) == [
        late
    ]


def test_lists_count_by_state_and_a_member_sees_only_their_groups_items(
    tree, guides, setup, visit, city_admin
):
    _raise(guides["first_member"], tree["zhishan"], visit=visit, days=1)
    lantian_visit = _visit(
        guides["second_leader"], setup["second"], tree["lantian"], date(2024, 3, 5)
    )
    _raise(guides["second_leader"], tree["lantian"], visit=lantian_visit)
    today = date(2024, 3, 11)
    office = access.visible_rectifications(actor_of(city_admin))
    assert queries.rectification_counts(office, today=today) == {
        "all": 2, "open": 2, "reported": 0, "closed": 0, "overdue": 1,
    }  # fmt: skip
    by_unit = queries.rectifications_by_unit(office, tree["city"], today=today)
    assert [(unit.name, n["all"], n["overdue"]) for unit, n in by_unit] == [
        ("芗城区", 1, 1),
        ("龙文区", 1, 0),
    ]
    member = access.visible_rectifications(actor_of(guides["first_member"]))
    assert list(member.values_list("unit__name", flat=True)) == ["芝山街道"]


# --- figures and the bulletin ---------------------------------------------------------------


def test_guidance_figures_are_the_matrix_counts(tree, guides, setup):
    # given (as in the matrix test) 芗城区 covered in round 1 only, 龙文区 in rounds 1 and 2,
    # round 3 under way on 10 Sept
    _visit(guides["first_member"], setup["first"], tree["zhishan"], date(2024, 3, 5))
    _visit(guides["second_leader"], setup["second"], tree["longwen"], date(2024, 3, 12))
    _visit(guides["second_leader"], setup["second"], tree["lantian"], date(2024, 5, 8))
    counts = figures.collect_guidance(date(2024, 9, 1), date(2024, 10, 1), date(2024, 9, 10))
    # then by hand: each unit owes 3 unit-rounds (three begun); covered 1 + 2; one gap
    assert counts[tree["xiangcheng"].pk] == {"assigned": 1, "owed": 3, "covered": 1, "gaps": 1}
    assert counts[tree["longwen"].pk] == {"assigned": 1, "owed": 3, "covered": 2, "gaps": 0}
    got = values(figures.GUIDANCE_SOURCE, _sum(counts))
    assert got["guidance.coverage"] == pytest.approx(3 / 6)
    assert got["guidance.gaps"] == 1
    # and nothing set up is no data, not 0 %
    assert values(figures.GUIDANCE_SOURCE, {})["guidance.coverage"] is None


def _sum(counts):
    total = {}
    for unit_counts in counts.values():
        for key, n in unit_counts.items():
            total[key] = total.get(key, 0) + n
    return total


def test_rectification_figures_and_the_bulletins_overdue_list(
    tree, guides, visit, town_clerk, city_admin
):
    # given three items for 芝山街道 on 6 March: one closed on time, one overdue, one in time
    first = actor_of(guides["first_member"])
    closed = _raise(guides["first_member"], tree["zhishan"], visit=visit, days=5)  # 13 March
    late = _raise(guides["first_member"], tree["zhishan"], visit=visit, days=2)  # 8 March
    _raise(guides["first_member"], tree["zhishan"], visit=visit, days=20)
    actions.report_rectification(
        item=closed,
        actor=actor_of(town_clerk),
        progress=actions.Progress(text="已整改", files=[pdf()], done=True),
        now=at(2024, 3, 12),
    )
    actions.close_rectification(item=closed, actor=first, now=at(2024, 3, 13))
    # when counted on 15 March
    counts = figures.collect_rectification(date(2024, 3, 1), date(2024, 4, 1), date(2024, 3, 15))
    got = values(figures.RECTIFICATION_SOURCE, counts[tree["zhishan"].pk])
    assert got["rectification.raised"] == 3
    assert got["rectification.close_rate"] == pytest.approx(1 / 3)
    assert got["rectification.on_time_rate"] == 1.0
    assert got["rectification.overdue"] == 1
    # and the bulletin lists the overdue one with its days late
    scope = Scope(unit=tree["city"], period=Period.month(date(2024, 3, 1)), as_of=date(2024, 3, 15))
    table = figures.rectification_bulletin(scope)[-1]
    assert table.rows == [
        (late.code, "芝山街道", "为民办实事台账不全", "第一巡回指导组", "2024-03-08", 7)
    ]
    # a subtree without any item has no section at all
    empty = Scope(unit=tree["longwen"], period=scope.period, as_of=scope.as_of)
    assert figures.rectification_bulletin(empty) == []
