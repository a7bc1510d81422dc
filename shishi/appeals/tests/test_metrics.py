"""Unit figures (三率, 按时办结率, score, 约谈) and the ranking, on a month small enough to add up
by hand (the definitions are in appeals/metrics.py).

March 2024 has no holiday. Every appeal is a 求助 the city dispatches on Monday 03-04 at 09:00:
to be signed by Tuesday 03-05 and answered by Monday 03-11. Figures are computed on 04-15.

芝山街道 (5 dispatches in March, one with 西桥街道 as co-handler):
  A1 signed 03-04 (on time), answered 03-06 已解决 (on time), 满意, "solved" 03-07
  A2 signed 03-05 (on time), answered 03-12 已解决 (late),    不满意, "not solved" 03-13:
     reopened, due again 03-20, never answered again -> overdue without a reply
  A3 signed 03-06 (late),    answered 03-08 已解释说明 (on time), 基本满意, "solved" 03-11
  A4 signed 03-05 (on time), answered 03-08 部分解决 (on time), not evaluated
  A5 signed 03-05 (on time), never answered (due 03-11) -> overdue without a reply
  F  dispatched 02-29 23:30 (a February dispatch), never touched: due 03-07 -> overdue in March
  G  dispatched 04-01 00:30: April's.
西桥街道 (3 dispatches): B1–B3 signed 03-04, answered 03-05 已解决; 满意 "solved", 满意 "solved",
  基本满意 "not solved" (the unit claimed 已解决 all three times).
蓝田街道 (2 dispatches): C1 signed 03-04, answered 03-05 已解决, 满意 "solved"; C2 never signed
  (sign by 03-05, answer by 03-11) -> not responded and overdue without a reply.
"""

import dataclasses
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shishi.appeals import actions, metrics
from shishi.appeals.models import Appeal, ReplyKind, Verdict
from shishi.appeals.tests.conftest import REPLY_TEXT
from shishi.appeals.tests.helpers import actor_of, at
from shishi.orgs.access import Actor
from shishi.orgs.factories import UnitFactory
from shishi.orgs.models import Unit

pytestmark = pytest.mark.django_db

MARCH = date(2024, 3, 1)
AFTER_MARCH = date(2024, 4, 15)
YES, NO = True, False


def _dispatched(desk, to: str, *, now=None, co=()) -> Appeal:
    appeal = desk.submit(now=now or at(2024, 3, 4, 9))
    return desk.dispatch(appeal, to=to, now=now or at(2024, 3, 4, 9), co=co)


def _handle(
    appeal: Appeal,
    actor: Actor,
    *,
    sign: int,
    reply: int | None = None,
    kind=ReplyKind.SOLVED,
    verdict=None,
) -> None:
    """Sign on 03-<sign>, answer on 03-<reply> (if given), and take the verdict (day, value,
    solved) if any."""
    actions.sign_appeal(appeal=appeal, actor=actor, now=at(2024, 3, sign, 11))
    if reply is None:
        return
    actions.reply_appeal(
        appeal=appeal, actor=actor, kind=kind, text=REPLY_TEXT, now=at(2024, 3, reply, 15)
    )
    if verdict:
        day, value, solved = verdict
        actions.record_verdict(
            appeal=appeal, verdict=value, solved=solved, actor=None, now=at(2024, 3, day, 9)
        )


@pytest.fixture
def march(desk, lantian_clerk):
    """The month of the module docstring; returns the tree."""
    zhishan, xiqiao, lantian = desk.town, desk.sibling, actor_of(lantian_clerk)
    a1 = _dispatched(desk, "zhishan", co=["xiqiao"])
    _handle(a1, zhishan, sign=4, reply=6, verdict=(7, Verdict.SATISFIED, YES))
    a2 = _dispatched(desk, "zhishan")
    _handle(a2, zhishan, sign=5, reply=12, verdict=(13, Verdict.UNSATISFIED, NO))
    a3 = _dispatched(desk, "zhishan")
    _handle(
        a3, zhishan, sign=6, reply=8, kind=ReplyKind.EXPLAINED, verdict=(11, Verdict.BASIC, YES)
    )
    _handle(_dispatched(desk, "zhishan"), zhishan, sign=5, reply=8, kind=ReplyKind.PARTLY)
    _handle(_dispatched(desk, "zhishan"), zhishan, sign=5)
    _dispatched(desk, "zhishan", now=at(2024, 2, 29, 23, 30))
    _dispatched(desk, "zhishan", now=at(2024, 4, 1, 0, 30))
    for verdict, solved in (
        (Verdict.SATISFIED, YES),
        (Verdict.SATISFIED, YES),
        (Verdict.BASIC, NO),
    ):
        _handle(_dispatched(desk, "xiqiao"), xiqiao, sign=4, reply=5, verdict=(6, verdict, solved))
    _handle(
        _dispatched(desk, "lantian"), lantian, sign=4, reply=5, verdict=(6, Verdict.SATISFIED, YES)
    )
    _dispatched(desk, "lantian")
    return desk.tree


def _counts(figures: metrics.Figures) -> tuple:
    return tuple(getattr(figures, field.name) for field in dataclasses.fields(figures))


def _march(**kwargs) -> dict[int, metrics.Figures]:
    start, end = metrics.month_bounds(MARCH)
    return metrics.unit_figures(start=start, end=end, today=AFTER_MARCH, **kwargs)


def test_unit_figures_add_up_as_computed_by_hand(march):
    # when the figures of March are computed on 04-15
    figures = _march()

    # then, per unit: (dispatched, signed on time, replied, replied on time, overdue without a
    # reply, verdicts answering 问题是否解决, of which "solved", verdicts, 满意+基本满意, 不满意)
    zhishan = figures[march["zhishan"].pk]
    xiqiao = figures[march["xiqiao"].pk]
    lantian = figures[march["lantian"].pk]
    # 芝山: A1–A5 dispatched in March (F in February, G in April), A3 signed late; four
    # answers, A2 late; overdue: A2 (due again 03-20), A5 (03-11) and F (03-07); three
    # verdicts, all answered, A1 and A3 "solved"; 满意 + 基本满意 = 2, 不满意 = 1
    assert _counts(zhishan) == (5, 4, 4, 3, 3, 3, 2, 3, 2, 1)
    # 西桥: its co-handling of A1 is not a dispatch of its own; B3 "not solved" although the
    # unit's reply said 已解决
    assert _counts(xiqiao) == (3, 3, 3, 3, 0, 3, 2, 3, 3, 0)
    # 蓝田: C2, never signed, counts against 响应率 and, past 03-11, as overdue
    assert _counts(lantian) == (2, 1, 1, 1, 1, 1, 1, 1, 1, 0)
    assert set(figures) == {march["zhishan"].pk, march["xiqiao"].pk, march["lantian"].pk}


def test_rates_and_score_match_the_hand_computation(march):
    # when 芝山街道's March figures are read
    zhishan = _march()[march["zhishan"].pk]

    # then 响应率 4/5; 按时办结率 3 on time / (4 replies + 3 overdue) = 3/7;
    # 解决率 2 "solved" / (3 answered + 3 overdue) = 2/6; 满意率 2/3; 重办率 1/4
    assert zhishan.response == pytest.approx(0.8)
    assert zhishan.on_time == pytest.approx(3 / 7)
    assert zhishan.solved_rate == pytest.approx(2 / 6)
    assert zhishan.satisfied_rate == pytest.approx(2 / 3)
    assert zhishan.reopen == pytest.approx(1 / 4)
    # score (weights 10/20/35/35, all four rates present, Σ = 100):
    # 10 × 0.8 + 20 × 3/7 + 35 × 2/6 + 35 × 2/3 = 8 + 8.571 + 11.667 + 23.333 = 51.57
    assert zhishan.score == 51.57


def test_only_the_citizens_answer_makes_an_appeal_solved(march):
    # given 西桥街道 replied 已解决 three times, and one citizen said it was not solved
    xiqiao = _march()[march["xiqiao"].pk]

    # then 解决率 is 2/3, not the 3/3 the unit claimed
    assert (xiqiao.solved, xiqiao.solved_base) == (2, 3)
    assert xiqiao.solved_rate == pytest.approx(2 / 3)


def test_score_follows_the_configured_weights(march, settings):
    # given only 解决率 and 满意率 weigh, 50 each
    settings.APPEAL_SCORE_WEIGHTS = {"response": 0, "on_time": 0, "solved": 50, "satisfied": 50}

    # when 芝山街道's score is computed
    zhishan = _march()[march["zhishan"].pk]

    # then (50 × 2/6 + 50 × 2/3) / 100 = (16.667 + 33.333) / 100 = 50.0
    assert zhishan.score == 50.0


def test_a_rate_without_data_is_left_out_of_the_score_not_counted_as_zero():
    # given a unit that signed 3 of 4 dispatches on time and answered 2 on time, with no
    # verdict yet and nothing overdue
    figures = metrics.Figures(dispatched=4, signed_on_time=3, replied=2, replied_on_time=2)

    # then 解决率 and 满意率 have no data (0 / 0), and the score is the weighted mean of the
    # two rates that exist: (10 × 0.75 + 20 × 1.0) / (10 + 20) = 27.5 / 30 = 91.67
    # (counting the missing ones as 0 would give 27.5)
    assert (figures.solved_rate, figures.satisfied_rate) == (None, None)
    assert figures.score == 91.67
    # and a unit without any figure has no score at all
    assert metrics.Figures().score is None


def test_an_overdue_appeal_answered_later_counts_once_as_a_late_reply(desk):
    # given 芝山街道 signed an appeal on 03-04 (due 03-11) and answered it only on 04-02
    appeal = _dispatched(desk, "zhishan")
    desk.sign(appeal, now=at(2024, 3, 4, 11))

    # when March is computed on 03-20, it is overdue without a reply
    start, end = metrics.month_bounds(MARCH)
    zhishan = desk.tree["zhishan"].pk
    before = metrics.unit_figures(start=start, end=end, today=date(2024, 3, 20))[zhishan]
    assert (before.overdue, before.on_time, before.solved_rate) == (1, 0.0, 0.0)

    # and once it is answered on 04-02, March no longer counts it and April has a late reply
    desk.reply(appeal, now=at(2024, 4, 2, 10))
    after = _march()[zhishan]
    assert (after.overdue, after.replied, after.on_time) == (0, 0, None)
    april_start, april_end = metrics.month_bounds(date(2024, 4, 1))
    april = metrics.unit_figures(start=april_start, end=april_end, today=AFTER_MARCH)[zhishan]
    assert (april.replied, april.replied_on_time, april.overdue) == (1, 0, 0)


def test_a_reply_waiting_for_the_leader_is_no_reply_yet(desk, town_leader, reply_approval):
    # given 芝山街道's replies need its leader's approval; the clerk drafts an answer on 03-08
    # for an appeal due 03-11
    appeal = _dispatched(desk, "zhishan")
    desk.sign(appeal, now=at(2024, 3, 4, 11))
    desk.reply(appeal, now=at(2024, 3, 8, 15))
    zhishan = desk.tree["zhishan"].pk

    # when March is computed on 03-12, the draft is no reply and the appeal is overdue
    start, end = metrics.month_bounds(MARCH)
    before = metrics.unit_figures(start=start, end=end, today=date(2024, 3, 12))[zhishan]
    assert (before.replied, before.overdue) == (0, 1)

    # and once the leader approves it on 03-12, it is a reply given that day: late
    actions.approve_reply(
        appeal=appeal, actor=actor_of(town_leader), approve=True, now=at(2024, 3, 12, 9)
    )
    after = _march()[zhishan]
    assert (after.replied, after.replied_on_time, after.overdue) == (1, 0, 0)


def test_rank_puts_low_volume_units_apart_and_lists_the_bottom_for_an_interview(march, settings):
    # given units need at least 3 dispatches in the month to be ranked and the bottom 1 of
    # a ranking is interviewed (约谈)
    settings.APPEAL_MIN_VOLUME = 3
    settings.APPEAL_INTERVIEW_BOTTOM = 1
    towns = [march["zhishan"], march["xiqiao"], march["lantian"]]

    # when the towns are ranked for March
    ranking = metrics.rank(towns, month=MARCH, today=AFTER_MARCH)

    # then 西桥 (10 + 20 + 35 × 2/3 + 35 = 88.33) ranks before 芝山 (51.57), which is the
    # 约谈 candidate; 蓝田 (10 × 1/2 + 20 × 1/2 + 35 × 1/2 + 35 × 1 = 67.5) with 2 dispatches
    # is listed apart, unranked, and needs attention for its overdue appeal although it
    # scores above the 约谈 line
    assert [(r.unit.name, r.rank, r.figures.score) for r in ranking.ranked] == [
        ("西桥街道", 1, 88.33),
        ("芝山街道", 2, 51.57),
    ]
    assert [(r.unit.name, r.rank, r.figures.score) for r in ranking.apart] == [
        ("蓝田街道", None, 67.5)
    ]
    assert [r.unit.name for r in ranking.interview_candidates] == ["芝山街道"]
    assert ranking.interview_line == 51.57
    assert [r.unit.name for r in ranking.attention] == ["蓝田街道"]


def test_a_small_unit_with_a_clean_record_is_listed_apart_but_not_flagged(march, settings):
    # given 4 dispatches make a unit rankable: only 芝山 (5) is
    settings.APPEAL_MIN_VOLUME = 4
    towns = [march["zhishan"], march["xiqiao"], march["lantian"]]

    # when the towns are ranked
    ranking = metrics.rank(towns, month=MARCH, today=AFTER_MARCH)

    # then a ranking of one has no bottom to interview; 西桥 (3 dispatches, nothing overdue)
    # is only listed apart, 蓝田 (an overdue appeal) needs attention
    assert [r.unit.name for r in ranking.ranked] == ["芝山街道"]
    assert ranking.interview_candidates == []
    assert [(r.unit.name, r.attention) for r in ranking.apart] == [
        ("西桥街道", False),
        ("蓝田街道", True),
    ]


def test_a_small_unit_scoring_no_better_than_the_interview_line_needs_attention(
    desk, lantian_clerk, settings
):
    # given 3 dispatches make a unit rankable and the bottom 1 is interviewed;
    # 芝山 answers its 3 well, 西桥 answers its 3 on time but none is solved or satisfying,
    # 蓝田 answers its 2 the same way (all verdicts on 03-29: the reopened appeals are due
    # again in April, so nothing is overdue in March)
    settings.APPEAL_MIN_VOLUME = 3
    settings.APPEAL_INTERVIEW_BOTTOM = 1
    lantian = actor_of(lantian_clerk)
    good, bad = (29, Verdict.SATISFIED, YES), (29, Verdict.UNSATISFIED, NO)
    for town, actor, verdict, count in (
        ("zhishan", desk.town, good, 3),
        ("xiqiao", desk.sibling, bad, 3),
        ("lantian", lantian, bad, 2),
    ):
        for _ in range(count):
            _handle(_dispatched(desk, town), actor, sign=4, reply=5, verdict=verdict)
    towns = [desk.tree[name] for name in ("zhishan", "xiqiao", "lantian")]

    # when the towns are ranked
    ranking = metrics.rank(towns, month=MARCH, today=AFTER_MARCH)

    # then 芝山 scores 100; 西桥 10 × 1 + 20 × 1 + 35 × 0 + 35 × 0 = 30 and is interviewed;
    # 蓝田 scores the same 30 with 2 dispatches: no better than the line, so it needs attention
    assert [(r.unit.name, r.figures.score) for r in ranking.ranked] == [
        ("芝山街道", 100.0),
        ("西桥街道", 30.0),
    ]
    assert [r.unit.name for r in ranking.interview_candidates] == ["西桥街道"]
    assert [(r.unit.name, r.figures.score, r.figures.overdue) for r in ranking.attention] == [
        ("蓝田街道", 30.0, 0)
    ]


def test_a_unit_that_answers_few_of_its_appeals_cannot_rank_first(desk, lantian_clerk, settings):
    # given 5 dispatches make a unit rankable; 西桥 answers its 5 well; 蓝田 signs its 6 on time
    # but answers only one (满意, solved) and lets 5 pass their deadline
    settings.APPEAL_MIN_VOLUME = 5
    lantian = actor_of(lantian_clerk)
    for _ in range(5):
        _handle(
            _dispatched(desk, "xiqiao"),
            desk.sibling,
            sign=4,
            reply=5,
            verdict=(6, Verdict.SATISFIED, YES),
        )
    _handle(
        _dispatched(desk, "lantian"), lantian, sign=4, reply=5, verdict=(6, Verdict.SATISFIED, YES)
    )
    for _ in range(5):
        _handle(_dispatched(desk, "lantian"), lantian, sign=4)

    # when the towns are ranked
    ranking = metrics.rank(
        [desk.tree["xiqiao"], desk.tree["lantian"]], month=MARCH, today=AFTER_MARCH
    )

    # then 蓝田 scores 10 × 6/6 + 20 × 1/6 + 35 × 1/6 + 35 × 1/1 = 10 + 3.33 + 5.83 + 35 = 54.17
    # (its answered share alone would have made it 100), behind 西桥's 100
    assert [(r.unit.name, r.figures.score) for r in ranking.ranked] == [
        ("西桥街道", 100.0),
        ("蓝田街道", 54.17),
    ]


def test_county_figures_add_up_their_towns(march, settings):
    # given 3 dispatches make a unit rankable
    settings.APPEAL_MIN_VOLUME = 3

    # when the two districts are ranked for March
    ranking = metrics.rank([march["xiangcheng"], march["longwen"]], month=MARCH, today=AFTER_MARCH)

    # then 芗城区 sums 芝山 and 西桥: 7 of 8 signed on time; 6 on time of 7 replies + 3 overdue;
    # 4 "solved" of 6 answered + 3 overdue; 5 of 6 verdicts good:
    # 10 × 7/8 + 20 × 6/10 + 35 × 4/9 + 35 × 5/6 = 8.75 + 12 + 15.556 + 29.167 = 65.47;
    # 龙文区 has only 蓝田's 2 dispatches
    (xiangcheng,) = ranking.ranked
    assert (xiangcheng.unit.name, xiangcheng.figures.dispatched) == ("芗城区", 8)
    assert xiangcheng.figures.score == 65.47
    assert [(r.unit.name, r.figures.dispatched) for r in ranking.apart] == [("龙文区", 2)]


def _ranking_page(client):
    url = reverse("appeals:ranking") + "?group=all_towns&month=2024-03"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_ranking_page_explains_its_figures_with_a_fixed_number_of_queries(
    march, settings, login, city_admin, django_assert_num_queries
):
    # given 3 dispatches make a unit rankable and the bottom 1 is interviewed
    settings.APPEAL_MIN_VOLUME = 3
    settings.APPEAL_INTERVIEW_BOTTOM = 1
    client = login(city_admin)
    client.get(reverse("appeals:ranking"))  # the calendar and the session are warm

    # when the city admin opens the ranking of all towns for March:
    # 14 = 2 (session, person) + 1 (memberships for the actor and the switcher)
    #    + 4 (the peer groups: divisions, towns, departments, all towns)
    #    + 1 (the scope's unit paths) + 3 (dispatches; replies with verdicts; overdue appeals)
    #    + 3 (saving the session: savepoint, update, release)
    with django_assert_num_queries(14):
        response, few = _ranking_page(client)

    # then the ranked towns come first, 蓝田 is listed apart and flagged, 芝山 is on the 约谈
    # list, and every figure's definition is on the page
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("西桥街道") < page.index("芝山街道") < page.index("单列不排名")
    assert page.index("单列不排名") < page.index("蓝田街道")
    assert "约谈建议名单" in page and "需关注" in page
    for label, _text in metrics.legend():
        assert f'<dt class="col-sm-3 col-lg-2">{label}</dt>' in page
    assert "权重：响应率10、按时办结率20、解决率35、满意率35" in page

    # and with ten more towns the page costs the same
    for n in range(10):
        UnitFactory(
            code=f"3506020990{n:02d}",
            name=f"新设{n}街道",
            kind=Unit.Kind.STREET,
            parent=march["xiangcheng"],
        )
    response, many = _ranking_page(client)
    assert len(response.context["ranking"].idle) == 10
    assert many == few


def test_no_data_shows_as_no_data_and_a_real_zero_as_zero(march, settings, login, city_admin):
    # given April: 芝山 has G, dispatched 04-01 and never touched (sign by 04-02, answer by
    # 04-08); 西桥 and 蓝田 have nothing in April
    settings.APPEAL_MIN_VOLUME = 3

    # when the city admin opens April's ranking on a later day
    url = reverse("appeals:ranking") + "?group=all_towns&month=2024-04"
    response = login(city_admin).get(url)

    # then 芝山 scores a real 0 (响应率 0/1, 按时办结率 0/1, 解决率 0/1) and its 满意率, with no
    # verdict, reads "—" with the reason, never 0%; 西桥 and 蓝田 are only named as idle
    ranking = response.context["ranking"]
    (zhishan,) = ranking.apart
    assert zhishan.figures.rates == {
        "response": 0.0,
        "on_time": 0.0,
        "solved": 0.0,
        "satisfied": None,
    }
    assert zhishan.figures.score == 0.0
    assert [r.unit.name for r in ranking.idle] == ["西桥街道", "蓝田街道"]
    page = response.content.decode()
    assert 'title="无数据：本期没有可计入的件数，不计分，不按0分计"' in page
    assert "没有派单、答复、评价或超期诉求的单位（2个）：西桥街道、蓝田街道" in page


def test_a_score_resting_on_less_than_half_the_weight_is_not_ranked(desk, settings):
    # given 5 dispatches make a unit rankable; 西桥 signs 5 dispatched on Thursday 03-28 at
    # once, due to be answered in April; 芝山 answers its 5 of 03-04 well
    settings.APPEAL_MIN_VOLUME = 5
    for _ in range(5):
        _handle(
            _dispatched(desk, "zhishan"),
            desk.town,
            sign=4,
            reply=5,
            verdict=(6, Verdict.SATISFIED, YES),
        )
        appeal = _dispatched(desk, "xiqiao", now=at(2024, 3, 28, 9))
        desk.sign(appeal, now=at(2024, 3, 28, 10))

    # when March is ranked on 03-29, before anything of 西桥's fell due
    ranking = metrics.rank(
        [desk.tree["zhishan"], desk.tree["xiqiao"]], month=MARCH, today=date(2024, 3, 29)
    )

    # then 西桥's 100 rests on 响应率 alone (weight 10 of 100): shown, listed apart, unranked
    assert [r.unit.name for r in ranking.ranked] == ["芝山街道"]
    (xiqiao,) = ranking.apart
    assert (xiqiao.unit.name, xiqiao.figures.score, xiqiao.figures.coverage) == (
        "西桥街道",
        100.0,
        0.1,
    )


def test_the_ranking_opens_on_the_last_complete_month(march, login, city_admin):
    # when the city admin opens the ranking without choosing a month
    response = login(city_admin).get(reverse("appeals:ranking"))

    # then it shows the month before the current one
    assert response.context["month"] == metrics.last_complete_month(timezone.localdate())
    assert metrics.last_complete_month(date(2024, 1, 15)) == date(2023, 12, 1)
    assert metrics.last_complete_month(date(2024, 3, 1)) == date(2024, 2, 1)


def test_ranking_page_is_forbidden_to_clerks(march, login, town_clerk):
    # when a town clerk opens the ranking, then it is forbidden
    assert login(town_clerk).get(reverse("appeals:ranking")).status_code == 403


def test_dispatch_never_signed_counts_against_the_response_rate_once_its_deadline_passed(
    desk, lantian_clerk
):
    # given 蓝田街道 signs one dispatch on time and ignores one sent on Friday 03-29,
    # which was due to be signed on Monday 04-01
    lantian = actor_of(lantian_clerk)
    signed = _dispatched(desk, "lantian")
    actions.sign_appeal(appeal=signed, actor=lantian, now=at(2024, 3, 4, 11))
    _dispatched(desk, "lantian", now=at(2024, 3, 29, 9))

    # when March is computed on 04-15, two weeks after that deadline passed
    figures = _march()[desk.tree["lantian"].pk]

    # then the ignored dispatch is "past its signing deadline" and counts, not on time
    assert (figures.dispatched, figures.signed_on_time) == (2, 1)
