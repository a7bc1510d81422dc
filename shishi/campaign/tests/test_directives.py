"""Directives cascade to their target units; each unit reports with evidence; the issuer
approves or returns; units created later join while the directive is open; coverage by level
counts on time / late / waiting / not yet; what is late climbs the ladder.

The tree (shishi/conftest.py): 漳州市 → 芗城区 (芝山街道 → 芝山社区, 西桥街道), 龙文区 (蓝田街道).
Times: Monday 2024-03-04 (March 2024 has no holiday)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from shishi.campaign import access, actions, queries
from shishi.campaign.models import Assignment, AssignmentEvent, Directive
from shishi.core.errors import Refused
from shishi.core.models import OutboxMessage
from shishi.core.supervision import LADDER_VERBS, Level
from shishi.orgs.factories import UnitFactory
from shishi.orgs.models import Unit
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
STREETS = (Unit.Kind.STREET, Unit.Kind.TOWN)


def _evidence(name="会议记录.pdf"):
    return [SimpleUploadedFile(name, PDF, content_type="application/pdf")]


def _issue(actor, tree, *, kinds=STREETS, days=5, root="city", now=None):
    return actions.issue_directive(
        data=actions.DirectiveData(
            title="召开党史学习教育专题组织生活会",
            content="各党支部召开专题组织生活会，开展批评与自我批评。",
            days=days,
            evidence="会议记录、现场照片",
            target_root=tree[root],
            target_kinds=kinds,
        ),
        actor=actor,
        now=now or at(2024, 3, 4, 9),
    )


@pytest.fixture
def directive(tree, city_admin, town_clerk, outsider, lantian_clerk):
    return _issue(actor_of(city_admin), tree)


def _of(directive, unit) -> Assignment:
    return Assignment.objects.get(directive=directive, unit=unit)


def _report(assignment, person, *, now, files=None):
    return actions.submit_assignment(
        assignment=assignment,
        actor=actor_of(person),
        report=actions.Report(
            text="已于3月6日召开，全体党员参加。", files=_evidence() if files is None else files
        ),
        now=now,
    )


def test_a_directive_reaches_every_target_unit_with_a_working_day_deadline(directive, tree):
    # the three streets under the city, each due 5 working days after Monday 03-04
    units = set(directive.assignments.values_list("unit__name", flat=True))
    assert units == {"芝山街道", "西桥街道", "蓝田街道"}
    assert set(directive.assignments.values_list("due", flat=True)) == {date(2024, 3, 11)}
    assert AssignmentEvent.objects.filter(verb="assigned").count() == 3
    # and each street's clerk is texted
    texted = set(OutboxMessage.objects.values_list("recipient", flat=True))
    assert len(texted) == 3


def test_a_directive_without_targets_is_refused_and_nothing_saved(tree, city_admin):
    with pytest.raises(Refused, match="没有下达对象"):
        _issue(actor_of(city_admin), tree, kinds=(Unit.Kind.ENTERPRISE,))
    assert not Directive.objects.exists() and not Assignment.objects.exists()


def test_a_county_deploys_only_inside_its_own_subtree(tree, county_leader):
    with pytest.raises(Refused, match="本单位及下级"):
        _issue(actor_of(county_leader), tree, root="longwen")
    directive = _issue(actor_of(county_leader), tree, root="xiangcheng")
    assert set(directive.assignments.values_list("unit__name", flat=True)) == {
        "芝山街道",
        "西桥街道",
    }


def test_a_report_without_evidence_is_refused_and_nothing_changes(directive, tree, town_clerk):
    assignment = _of(directive, tree["zhishan"])
    with pytest.raises(Refused, match="请上传佐证材料：会议记录、现场照片"):
        _report(assignment, town_clerk, now=at(2024, 3, 6), files=[])
    assignment.refresh_from_db()
    assert assignment.status == "pending" and not assignment.evidence.exists()


def test_the_issuer_approves_a_report_made_on_time(directive, tree, town_clerk, city_admin):
    assignment = _report(_of(directive, tree["zhishan"]), town_clerk, now=at(2024, 3, 8))
    assert assignment.status == "submitted" and assignment.evidence.count() == 1
    done = actions.approve_assignment(
        assignment=assignment, actor=actor_of(city_admin), now=at(2024, 3, 12)
    )
    assert (done.status, done.on_time) == ("approved", True)


def test_a_unit_cannot_approve_its_own_report(directive, tree, town_clerk, town_leader):
    assignment = _report(_of(directive, tree["zhishan"]), town_clerk, now=at(2024, 3, 8))
    with pytest.raises(PermissionDenied):
        actions.approve_assignment(
            assignment=assignment, actor=actor_of(town_leader), now=at(2024, 3, 9)
        )


def test_a_returned_report_is_due_again_and_late_if_it_comes_after(
    directive, tree, town_clerk, city_admin
):
    assignment = _report(_of(directive, tree["zhishan"]), town_clerk, now=at(2024, 3, 8))
    with pytest.raises(Refused, match="退回原因"):
        actions.return_assignment(
            assignment=assignment, actor=actor_of(city_admin), reason=" ", now=at(2024, 3, 11)
        )
    # returned on Monday 03-11: due again 3 working days later, Thursday 03-14
    returned = actions.return_assignment(
        assignment=assignment,
        actor=actor_of(city_admin),
        reason="缺少会议照片",
        now=at(2024, 3, 11),
    )
    assert (returned.status, returned.due, returned.returns) == ("returned", date(2024, 3, 14), 1)
    # reported again on 03-15, after that deadline: done, but late
    again = _report(returned, town_clerk, now=at(2024, 3, 15))
    done = actions.approve_assignment(
        assignment=again, actor=actor_of(city_admin), now=at(2024, 3, 15, 16)
    )
    assert (done.status, done.on_time) == ("approved", False)


def test_coverage_by_level_counts_on_time_late_waiting_and_not_yet(
    directive, tree, town_clerk, outsider, city_admin
):
    admin = actor_of(city_admin)
    on_time = _report(_of(directive, tree["zhishan"]), town_clerk, now=at(2024, 3, 8))
    actions.approve_assignment(assignment=on_time, actor=admin, now=at(2024, 3, 8, 16))
    _report(_of(directive, tree["xiqiao"]), outsider, now=at(2024, 3, 13))  # waiting, late
    # 蓝田街道 has done nothing by 03-15

    rows = dict(queries.by_level(directive, tree["city"], today=date(2024, 3, 15)))
    xiangcheng, longwen = rows[tree["xiangcheng"]], rows[tree["longwen"]]
    assert (xiangcheng.assigned, xiangcheng.on_time, xiangcheng.submitted) == (2, 1, 1)
    assert (longwen.assigned, longwen.not_yet, longwen.overdue) == (1, 1, 1)
    assert longwen.done_rate == 0.0 and xiangcheng.done_rate == 0.5
    late = queries.late(directive, today=date(2024, 3, 15), within=tree["city"].path)
    assert [a.unit.name for a in late] == ["蓝田街道"]


def test_a_unit_created_while_the_directive_is_open_joins_with_its_own_deadline(
    directive, tree, city_admin
):
    new = UnitFactory(name="新桥街道", kind=Unit.Kind.STREET, parent=tree["longwen"])
    added = actions.join_new_units(now=at(2024, 3, 12, 9))
    assignment = _of(directive, new)
    # joined on Tuesday 03-12 with the directive's 5 working days: due 03-19
    assert added == 1 and assignment.joined_late and assignment.due == date(2024, 3, 19)
    assert actions.join_new_units(now=at(2024, 3, 12, 10)) == 0  # once
    # a unit created after the directive was closed does not join
    actions.close_directive(directive=directive, actor=actor_of(city_admin), now=at(2024, 3, 20))
    UnitFactory(name="后建街道", kind=Unit.Kind.STREET, parent=tree["longwen"])
    assert actions.join_new_units(now=at(2024, 3, 21)) == 0


def test_what_is_not_reported_climbs_the_ladder(directive, tree, lantian_clerk):
    # 03-13, two working days past the deadline of 03-11: 催办
    actions.sweep_assignments(now=at(2024, 3, 13, 9))
    assignment = _of(directive, tree["lantian"])
    assert assignment.supervision > Level.REMIND
    verb = LADDER_VERBS[Level(assignment.supervision)]
    assert AssignmentEvent.objects.filter(assignment=assignment, verb=verb).exists()
    assert "已超期" in OutboxMessage.objects.order_by("-pk").first().body


def test_a_closed_directive_takes_no_more_reports(directive, tree, town_clerk, city_admin):
    actions.close_directive(directive=directive, actor=actor_of(city_admin), now=at(2024, 3, 20))
    with pytest.raises(Refused, match="已经结束"):
        _report(_of(directive, tree["zhishan"]), town_clerk, now=at(2024, 3, 21))


def test_a_unit_sees_its_own_assignment_and_not_its_siblings(directive, tree, town_clerk, outsider):
    mine = _of(directive, tree["zhishan"])
    assert access.access_assignment(actor_of(town_clerk), mine.pk) == mine
    with pytest.raises(Http404):
        access.access_assignment(actor_of(outsider), mine.pk)
    # the street sees the directive, but only its own row of it
    assert access.access_directive(actor_of(town_clerk), directive.pk) == directive
    rows = access.visible_assignments(actor_of(town_clerk), directive)
    assert list(rows.values_list("unit__name", flat=True)) == ["芝山街道"]
