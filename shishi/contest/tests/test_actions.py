"""The monthly dispatch and the rules around it: opening a month creates the duties with
working-day due dates; bad values, late submissions without an extension, weights not
adding up and changes after the first month are refused with a clear message; a
participant never reviews itself; returns, extensions, the ladder on a fixed clock; notes
and interviews, a point becoming a 整改 item.

Times: 2026 (the calendar package knows it). Month 1 is due on the 5th working day of
February 2026: Friday 2026-02-06."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from shishi.campaign.models import Rectification
from shishi.contest import actions
from shishi.contest.models import Contest, ContestEvent, Extension, Round, Submission, Value
from shishi.contest.tests.conftest import (
    accept,
    dimension,
    evidence,
    indicator,
    participant,
    submission,
    submit,
    values,
)
from shishi.core.errors import Refused
from shishi.core.models import OutboxMessage
from shishi.core.supervision import Level
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Role
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def month1(contest, city_admin, county_clerk, longwen_clerk, zone_clerk):
    return actions.open_round(
        contest=contest, month=1, actor=actor_of(city_admin), now=at(2026, 2, 2)
    )


def test_opening_a_month_creates_one_duty_per_participant_due_on_the_nth_working_day(
    month1, contest
):
    rows = Submission.objects.filter(round=month1)
    assert rows.count() == 3
    assert month1.due == date(2026, 2, 6)
    assert {r.due for r in rows} == {date(2026, 2, 6)}
    assert {r.status for r in rows} == {Submission.Status.DRAFT}
    assert OutboxMessage.objects.filter(body__contains="1月数据调度已启动").count() == 3


def test_a_month_cannot_be_opened_twice_or_before_it_comes(month1, contest, city_admin):
    admin = actor_of(city_admin)
    with pytest.raises(Refused, match="1月的调度已经发起"):
        actions.open_round(contest=contest, month=1, actor=admin, now=at(2026, 2, 3))
    with pytest.raises(Refused, match="尚未到来"):
        actions.open_round(contest=contest, month=6, actor=admin, now=at(2026, 2, 3))


@pytest.mark.parametrize(
    ("new", "energy", "air", "message"),
    [
        ("12.5", "2", "90", "“新开工项目”应为整数"),
        ("十二", "2", "90", "“新开工项目”应填写数字"),
        ("-1", "2", "90", "“新开工项目”不能为负数"),
        ("12", "-0.5", "90", "“单位能耗”不能为负数"),
        ("12", "2.345", "90", "“单位能耗”最多保留两位小数"),
        ("12", "2", "120", "“优良天数比例”是百分比，应在0到100之间"),
        ("12", "", "90", "请填写“单位能耗”"),
        ("12", "NaN", "90", "“单位能耗”应填写数字"),
        ("1e100", "2", "90", "“新开工项目”数值过大"),
        ("12", "2", "-5", "“优良天数比例”不能为负数"),
    ],
)
def test_values_of_the_wrong_type_or_sign_are_refused_by_name(
    month1, contest, tree, county_clerk, new, energy, air, message
):
    with pytest.raises(Refused, match=message):
        submit(contest, tree["xiangcheng"], county_clerk, 1, new, energy, air, now=at(2026, 2, 3))
    assert submission(contest, tree["xiangcheng"], 1).status == Submission.Status.DRAFT
    assert not Value.objects.exists()


def test_evidence_is_required(month1, contest, tree, county_clerk):
    with pytest.raises(Refused, match="请上传佐证材料"):
        actions.submit_values(
            submission=submission(contest, tree["xiangcheng"], 1),
            entry=actions.Entry(values=values(contest, 1, 1, 1)),
            actor=actor_of(county_clerk),
            now=at(2026, 2, 3),
        )


def test_a_submission_after_the_deadline_needs_an_approved_extension(
    month1, contest, tree, county_clerk, city_admin
):
    late = at(2026, 2, 9)  # Monday after the Friday due date
    with pytest.raises(Refused, match="已超过报送期限（2026年2月6日），请先申请延期"):
        submit(contest, tree["xiangcheng"], county_clerk, 1, 1, 1, 1, now=late)

    row = submission(contest, tree["xiangcheng"], 1)
    extension = actions.request_extension(
        submission=row, until=date(2026, 2, 12), reason="统计局数据尚未发布",
        actor=actor_of(county_clerk), now=late,
    )  # fmt: skip
    with pytest.raises(Refused, match="已超过报送期限"):  # asked, not yet approved
        submit(contest, tree["xiangcheng"], county_clerk, 1, 1, 1, 1, now=late)
    actions.decide_extension(
        extension=extension, approve=True, answer="", actor=actor_of(city_admin), now=late
    )
    done = submit(contest, tree["xiangcheng"], county_clerk, 1, 1, 1, 1, now=at(2026, 2, 10))

    assert done.status == Submission.Status.SUBMITTED
    assert done.due == date(2026, 2, 12)
    assert done.late is True  # after the round's own date
    assert Extension.objects.get().status == Extension.Status.APPROVED


def test_a_refused_extension_needs_a_reason_and_keeps_the_date(
    month1, contest, tree, county_clerk, city_admin
):
    row = submission(contest, tree["xiangcheng"], 1)
    ext = actions.request_extension(
        submission=row, until=date(2026, 2, 10), reason="人手不足",
        actor=actor_of(county_clerk), now=at(2026, 2, 4),
    )  # fmt: skip
    with pytest.raises(Refused, match="已有一份延期申请等待审批"):
        actions.request_extension(
            submission=row, until=date(2026, 2, 11), reason="再延",
            actor=actor_of(county_clerk), now=at(2026, 2, 4),
        )  # fmt: skip
    admin = actor_of(city_admin)
    with pytest.raises(Refused, match="不批准时请写明理由"):
        actions.decide_extension(
            extension=ext, approve=False, answer="", actor=admin, now=at(2026, 2, 4)
        )
    actions.decide_extension(
        extension=ext, approve=False, answer="按期报送", actor=admin, now=at(2026, 2, 4)
    )
    assert submission(contest, tree["xiangcheng"], 1).due == date(2026, 2, 6)


def test_a_participant_never_reviews_itself_nor_decides_its_own_extension(
    month1, contest, tree, county_clerk, county_leader
):
    done = submit(contest, tree["xiangcheng"], county_clerk, 1, 1, 1, 1, now=at(2026, 2, 3))
    with pytest.raises(PermissionDenied):
        actions.accept_submission(
            submission=done, actor=actor_of(county_leader), now=at(2026, 2, 3)
        )
    with pytest.raises(PermissionDenied):
        actions.return_submission(
            submission=done, actor=actor_of(county_leader), reason="x", now=at(2026, 2, 3)
        )


def test_a_city_admin_who_is_also_a_participant_member_cannot_review_that_participant(
    month1, contest, tree, county_clerk
):
    both = PersonFactory(username="both", unit=tree["xiangcheng"], role=Role.CITY_ADMIN)
    done = submit(contest, tree["xiangcheng"], county_clerk, 1, 1, 1, 1, now=at(2026, 2, 3))
    with pytest.raises(PermissionDenied):
        actions.accept_submission(submission=done, actor=actor_of(both), now=at(2026, 2, 3))


def test_only_the_participant_units_own_staff_submit(
    month1, contest, tree, longwen_clerk, town_clerk
):
    row = submission(contest, tree["xiangcheng"], 1)
    for person in (longwen_clerk, town_clerk):
        with pytest.raises(PermissionDenied):
            actions.submit_values(
                submission=row,
                entry=actions.Entry(values=values(contest, 1, 1, 1), files=evidence()),
                actor=actor_of(person),
                now=at(2026, 2, 3),
            )


def test_a_return_sends_it_back_with_a_new_date_and_a_resubmission_is_accepted(
    month1, contest, tree, county_clerk, city_admin
):
    admin = actor_of(city_admin)
    done = submit(contest, tree["xiangcheng"], county_clerk, 1, 1, 1, 1, now=at(2026, 2, 5))
    with pytest.raises(Refused, match="请写明退回原因"):
        actions.return_submission(submission=done, actor=admin, reason=" ", now=at(2026, 2, 5))
    back = actions.return_submission(
        submission=done, actor=admin, reason="能耗数据与统计局不符", now=at(2026, 2, 5)
    )
    assert back.status == Submission.Status.RETURNED
    assert back.due == date(2026, 2, 9)  # two working days after Thursday the 5th
    again = actions.submit_values(
        submission=back,
        entry=actions.Entry(values=values(contest, 1, "1.5", 1)),  # the files are kept
        actor=actor_of(county_clerk),
        now=at(2026, 2, 9),
    )
    assert again.late is False  # judged by the first submission
    accepted = accept(contest, tree["xiangcheng"], 1, city_admin, now=at(2026, 2, 9))
    assert accepted.status == Submission.Status.ACCEPTED
    assert Value.objects.get(submission=accepted, indicator__name="单位能耗").value == Decimal(
        "1.5"
    )
    with pytest.raises(Refused, match="不能再报送"):
        submit(contest, tree["xiangcheng"], county_clerk, 1, 2, 2, 2, now=at(2026, 2, 9))


def test_weights_that_do_not_add_up_to_100_are_refused(tree, city_admin):
    admin = actor_of(city_admin)
    made = actions.create_contest(
        data=actions.ContestData(year=2027, name="竞赛"), actor=admin, now=at(2026, 12, 1)
    )
    dims = {d.pk: d.weight for d in made.dimensions.all()}
    first = next(iter(dims))
    with pytest.raises(Refused, match="各维度权重之和应为100%，现为110%"):
        actions.set_weights(
            contest=made, dimensions={**dims, first: dims[first] + 10}, indicators={},
            actor=admin, now=at(2026, 12, 1),
        )  # fmt: skip
    dim = made.dimensions.get(pk=first)
    a = actions.save_indicator(
        dimension=dim, data=actions.IndicatorData("甲", "个", "higher", "integer"),
        actor=admin, now=at(2026, 12, 1),
    )  # fmt: skip
    b = actions.save_indicator(
        dimension=dim, data=actions.IndicatorData("乙", "个", "higher", "integer"),
        actor=admin, now=at(2026, 12, 1),
    )  # fmt: skip
    with pytest.raises(Refused, match="下各指标的权重之和应为100%，现为90%"):
        actions.set_weights(
            contest=made, dimensions=dims, indicators={a.pk: 40, b.pk: 50},
            actor=admin, now=at(2026, 12, 1),
        )  # fmt: skip
    with pytest.raises(Refused, match="不能启动"):
        actions.open_contest(contest=made, actor=admin, now=at(2026, 12, 1))
    assert Contest.objects.get(pk=made.pk).status == Contest.Status.DRAFT


def test_indicators_and_weights_are_frozen_after_the_first_month(month1, contest, city_admin):
    admin = actor_of(city_admin)
    projects = dimension(contest, "比项目")
    frozen = "维度、指标和权重已冻结"
    with pytest.raises(Refused, match=frozen):
        actions.save_indicator(
            dimension=projects, indicator=indicator(contest, "新开工项目"),
            data=actions.IndicatorData("新开工项目", "个", "lower", "integer"),
            actor=admin, now=at(2026, 2, 3),
        )  # fmt: skip
    with pytest.raises(Refused, match=frozen):
        actions.set_weights(
            contest=contest, dimensions={}, indicators={}, actor=admin, now=at(2026, 2, 3)
        )
    with pytest.raises(Refused, match=frozen):
        actions.remove_dimension(dimension=projects, actor=admin, now=at(2026, 2, 3))
    assert indicator(contest, "新开工项目").direction == "higher"


def test_participants_are_counties_districts_or_zones_in_the_organisers_subtree(
    contest, tree, city_admin
):
    with pytest.raises(Refused, match="不是县（市、区）或开发区"):
        actions.add_participants(
            contest=contest, units=[tree["zhishan"]], actor=actor_of(city_admin), now=at(2026, 1, 5)
        )


def test_the_ladder_climbs_on_a_fixed_clock(month1, contest, tree, county_clerk):
    submit(contest, tree["xiangcheng"], county_clerk, 1, 1, 1, 1, now=at(2026, 2, 3))

    actions.sweep_submissions(now=at(2026, 2, 5, 8))  # one working day before the due date
    assert submission(contest, tree["longwen"], 1).supervision == Level.REMIND
    assert submission(contest, tree["xiangcheng"], 1).supervision == Level.NONE  # submitted

    actions.sweep_submissions(now=at(2026, 2, 6, 8))  # the due date
    assert submission(contest, tree["longwen"], 1).supervision == Level.URGE

    actions.sweep_submissions(now=at(2026, 2, 9, 8))  # the day after
    assert submission(contest, tree["longwen"], 1).supervision == Level.SUPERVISE

    first = ContestEvent.objects.count()
    actions.sweep_submissions(now=at(2026, 2, 9, 9))  # idempotent
    assert ContestEvent.objects.count() == first
    verbs = list(
        ContestEvent.objects.filter(submission=submission(contest, tree["longwen"], 1))
        .order_by("at", "pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["remind", "urge", "supervise"]
    assert OutboxMessage.objects.filter(body__startswith="【督办】").exists()


def test_a_late_sweep_records_every_rung_and_sends_one_text(month1, contest, tree):
    actions.sweep_submissions(now=at(2026, 3, 2, 8))  # weeks after the due date, first sweep
    row = submission(contest, tree["longwen"], 1)
    verbs = list(row.events.order_by("pk").values_list("verb", flat=True))

    assert row.supervision == Level.NOTIFY
    assert verbs == ["remind", "urge", "supervise", "notify"]
    texts = OutboxMessage.objects.filter(body__contains="1月数据报送已超期")
    assert texts.count() == 3  # one per participant still owing, at the rung it lands on


def test_notes_are_per_quarter_and_not_before_it_begins(contest, tree, city_admin, county_clerk):
    admin = actor_of(city_admin)
    xc = participant(contest, tree["xiangcheng"])
    with pytest.raises(Refused, match="第2季度尚未开始"):
        actions.write_note(participant=xc, quarter=2, text="好", actor=admin, now=at(2026, 3, 1))
    with pytest.raises(Refused):
        actions.write_note(
            participant=xc, quarter=1, text="好", actor=actor_of(county_clerk), now=at(2026, 4, 1)
        )
    actions.write_note(
        participant=xc, quarter=1, text="项目推进快", actor=admin, now=at(2026, 4, 1)
    )
    note = actions.write_note(
        participant=xc, quarter=1, text="项目推进快，能耗偏高", actor=admin, now=at(2026, 4, 2)
    )
    assert xc.notes.get().text == note.text == "项目推进快，能耗偏高"


def test_an_interview_of_the_bottom_n_and_its_point_becomes_a_rectification(
    month1, contest, tree, zone, city_admin, county_clerk, longwen_clerk, zone_clerk
):
    admin = actor_of(city_admin)
    now = at(2026, 2, 3)
    submit(contest, tree["xiangcheng"], county_clerk, 1, 10, 2, 90, now=now)
    submit(contest, tree["longwen"], longwen_clerk, 1, 20, 3, 95, now=now)
    submit(contest, zone, zone_clerk, 1, 15, "2.5", 80, now=now)
    for unit in (tree["xiangcheng"], tree["longwen"], zone):
        accept(contest, unit, 1, city_admin, now=now)

    data = dict(
        held_on=date(2026, 12, 1), interviewers="市委督查室 林主任", interviewees="区长 陈某",
        points=["项目开工率偏低", "", "环境质量排名靠后"],
    )  # fmt: skip
    with pytest.raises(Refused, match="不在年终约谈名单"):
        actions.record_interview(
            data=actions.InterviewData(participant=participant(contest, tree["longwen"]), **data),
            actor=admin, now=at(2026, 12, 2),
        )  # fmt: skip
    interview = actions.record_interview(
        data=actions.InterviewData(participant=participant(contest, zone), **data),
        actor=admin, now=at(2026, 12, 2),
    )  # fmt: skip
    assert interview.rank == 3
    assert [p.text for p in interview.points.all()] == ["项目开工率偏低", "环境质量排名靠后"]

    point = interview.points.first()
    item = actions.point_to_rectification(
        point=point, measures="制定攻坚方案，逐月通报", days=20, actor=admin, now=at(2026, 12, 2)
    )
    assert item.unit == zone
    assert item.status == Rectification.Status.OPEN
    assert "项目开工率偏低" in item.problem
    with pytest.raises(Refused, match="已转为整改事项"):
        actions.point_to_rectification(
            point=point, measures="再转", days=20, actor=admin, now=at(2026, 12, 2)
        )


def test_every_write_records_an_event(month1, contest):
    verbs = set(ContestEvent.objects.filter(contest=contest).values_list("verb", flat=True))
    assert {"created", "changed", "opened", "round"} <= verbs
    assert Round.objects.filter(contest=contest).count() == 1
