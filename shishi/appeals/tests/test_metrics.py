"""Unit figures (三率一度, score) and the ranking, on a month small enough to add up by hand.

March 2024 has no holiday. Every appeal is a 求助 the city dispatches on Monday 03-04 at 09:00:
to be signed by Tuesday 03-05 and answered by Monday 03-11.

芝山街道 (4 dispatches, one with 西桥街道 as co-handler):
  A1 signed 03-04 (on time), answered 03-06 已解决 (on time), 满意 03-07
  A2 signed 03-05 (on time), answered 03-12 已解决 (late),    不满意 03-13 (reopened)
  A3 signed 03-06 (late),    answered 03-08 已解释说明,        基本满意 03-11
  A4 signed 03-05 (on time), answered 03-08 部分解决,          not evaluated
  plus one dispatch on 02-29 23:30 and one on 04-01 00:30 (Beijing time): other months.
西桥街道 (3 dispatches): B1–B3 signed 03-04, answered 03-05 已解决; 满意, 满意, 基本满意.
蓝田街道 (2 dispatches): C1 signed 03-04, answered 03-05 已解决, 满意; C2 never signed.
"""

import dataclasses
from datetime import date

import pytest
from django.urls import reverse

from shishi.appeals import actions, metrics
from shishi.appeals.models import Appeal, ReplyKind, Verdict
from shishi.appeals.tests.conftest import REPLY_TEXT
from shishi.appeals.tests.helpers import actor_of, at
from shishi.orgs.access import Actor

pytestmark = pytest.mark.django_db

MARCH = date(2024, 3, 1)
AFTER_MARCH = date(2024, 4, 15)


def _dispatched(desk, to: str, *, now=None, co=()) -> Appeal:
    appeal = desk.submit(now=now or at(2024, 3, 4, 9))
    return desk.dispatch(appeal, to=to, now=now or at(2024, 3, 4, 9), co=co)


def _handle(
    appeal: Appeal, actor: Actor, *, sign: int, reply: int, kind=ReplyKind.SOLVED, verdict=None
) -> None:
    """Sign on 03-<sign>, answer on 03-<reply>, and take the verdict (day, value) if any."""
    actions.sign_appeal(appeal=appeal, actor=actor, now=at(2024, 3, sign, 11))
    actions.reply_appeal(
        appeal=appeal, actor=actor, kind=kind, text=REPLY_TEXT, now=at(2024, 3, reply, 15)
    )
    if verdict:
        day, value = verdict
        actions.record_verdict(appeal=appeal, verdict=value, actor=None, now=at(2024, 3, day, 9))


@pytest.fixture
def march(desk, lantian_clerk):
    """The month of the module docstring; returns the three towns."""
    zhishan, xiqiao, lantian = desk.town, desk.sibling, actor_of(lantian_clerk)
    a1 = _dispatched(desk, "zhishan", co=["xiqiao"])
    _handle(a1, zhishan, sign=4, reply=6, verdict=(7, Verdict.SATISFIED))
    _handle(
        _dispatched(desk, "zhishan"), zhishan, sign=5, reply=12, verdict=(13, Verdict.UNSATISFIED)
    )
    _handle(
        _dispatched(desk, "zhishan"),
        zhishan,
        sign=6,
        reply=8,
        kind=ReplyKind.EXPLAINED,
        verdict=(11, Verdict.BASIC),
    )
    _handle(_dispatched(desk, "zhishan"), zhishan, sign=5, reply=8, kind=ReplyKind.PARTLY)
    _dispatched(desk, "zhishan", now=at(2024, 2, 29, 23, 30))
    _dispatched(desk, "zhishan", now=at(2024, 4, 1, 0, 30))
    for verdict in (Verdict.SATISFIED, Verdict.SATISFIED, Verdict.BASIC):
        _handle(_dispatched(desk, "xiqiao"), xiqiao, sign=4, reply=5, verdict=(6, verdict))
    _handle(_dispatched(desk, "lantian"), lantian, sign=4, reply=5, verdict=(6, Verdict.SATISFIED))
    _dispatched(desk, "lantian")
    return desk.tree


def _counts(figures: metrics.Figures) -> tuple:
    return tuple(getattr(figures, field.name) for field in dataclasses.fields(figures))


def test_unit_figures_add_up_as_computed_by_hand(march):
    # when the figures of March are computed after the month
    start, end = metrics.month_bounds(MARCH)
    figures = metrics.unit_figures(start=start, end=end, today=AFTER_MARCH)

    # then, per unit: (dispatched, signed on time, replied, replied on time, solved,
    # evaluated, satisfied, reopened)
    zhishan = figures[march["zhishan"].pk]
    xiqiao = figures[march["xiqiao"].pk]
    lantian = figures[march["lantian"].pk]
    # 芝山: 4 dispatches in March (02-29 and 04-01 are other months), A3 signed late;
    # A2 answered late; A1, A2 solved; 3 verdicts, 2 good, 1 不满意
    assert _counts(zhishan) == (4, 3, 4, 3, 2, 3, 2, 1)
    # 西桥: its co-handling of A1 is not a dispatch of its own
    assert _counts(xiqiao) == (3, 3, 3, 3, 3, 3, 3, 0)
    # 蓝田: C2 was never signed and its deadline (03-05) has passed: counted, not on time
    assert _counts(lantian) == (2, 1, 1, 1, 1, 1, 1, 0)
    assert set(figures) == {march["zhishan"].pk, march["xiqiao"].pk, march["lantian"].pk}


def test_rates_and_score_match_the_hand_computation(march):
    # when 芝山街道's March figures are read
    start, end = metrics.month_bounds(MARCH)
    zhishan = metrics.unit_figures(start=start, end=end, today=AFTER_MARCH)[march["zhishan"].pk]

    # then 响应率 3/4, 按时办结率 3/4, 解决率 2/4, 满意率 2/3, 重办率 1/4
    assert zhishan.response == pytest.approx(0.75)
    assert zhishan.on_time == pytest.approx(0.75)
    assert zhishan.solved_rate == pytest.approx(0.5)
    assert zhishan.satisfied_rate == pytest.approx(2 / 3)
    assert zhishan.reopen == pytest.approx(0.25)
    # score = 10% × 75 + 45% × 50 + 45% × 66.67 = 7.5 + 22.5 + 30 = 60.0
    assert zhishan.score == 60.0


def test_score_follows_the_configured_weights(march, settings):
    # given weights 20/40/40 instead of 10/45/45
    settings.APPEAL_SCORE_WEIGHTS = {"response": 20, "solved": 40, "satisfied": 40}
    start, end = metrics.month_bounds(MARCH)

    # when 芝山街道's score is computed
    zhishan = metrics.unit_figures(start=start, end=end, today=AFTER_MARCH)[march["zhishan"].pk]

    # then 20% × 75 + 40% × 50 + 40% × 66.67 = 15 + 20 + 26.67 = 61.67
    assert zhishan.score == 61.67


def test_rank_puts_low_volume_units_apart(march, settings):
    # given units need at least 3 dispatches in the month to be ranked
    settings.APPEAL_MIN_VOLUME = 3
    towns = [march["zhishan"], march["xiqiao"], march["lantian"]]

    # when the towns are ranked for March
    ranking = metrics.rank(towns, month=MARCH, today=AFTER_MARCH)

    # then 西桥 (100) ranks before 芝山 (60); 蓝田 scores 95 (10% × 50 + 45% × 100 + 45% × 100)
    # but with 2 dispatches is listed apart, unranked
    assert [(r.unit.name, r.rank, r.figures.score) for r in ranking.ranked] == [
        ("西桥街道", 1, 100.0),
        ("芝山街道", 2, 60.0),
    ]
    assert [(r.unit.name, r.rank, r.figures.score) for r in ranking.low_volume] == [
        ("蓝田街道", None, 95.0)
    ]


def test_default_minimum_volume_leaves_small_units_unranked(march):
    # given the default minimum of 5 dispatches a month
    towns = [march["zhishan"], march["xiqiao"], march["lantian"]]

    # when the towns are ranked for March
    ranking = metrics.rank(towns, month=MARCH, today=AFTER_MARCH)

    # then none of them (4, 3 and 2 dispatches) is ranked; they are listed by score
    assert ranking.ranked == []
    assert [r.unit.name for r in ranking.low_volume] == ["西桥街道", "蓝田街道", "芝山街道"]


def test_bottom_ranked_units_become_interview_candidates(march, settings):
    # given the bottom 1 of a ranking is interviewed (约谈) and 3 dispatches make a unit rankable
    settings.APPEAL_MIN_VOLUME = 3
    settings.APPEAL_INTERVIEW_BOTTOM = 1
    towns = [march["zhishan"], march["xiqiao"], march["lantian"]]

    # when the towns are ranked
    ranking = metrics.rank(towns, month=MARCH, today=AFTER_MARCH)

    # then the lowest ranked unit is the candidate, never the low-volume one
    assert [r.unit.name for r in ranking.interview_candidates] == ["芝山街道"]


def test_county_figures_add_up_their_towns(march, settings):
    # given 3 dispatches make a unit rankable
    settings.APPEAL_MIN_VOLUME = 3

    # when the two districts are ranked for March
    ranking = metrics.rank([march["xiangcheng"], march["longwen"]], month=MARCH, today=AFTER_MARCH)

    # then 芗城区 sums 芝山 and 西桥: 7 dispatches, 6 on time, 5 of 7 solved, 5 of 6 good:
    # 10% × 6/7 + 45% × 5/7 + 45% × 5/6 = 8.571 + 32.143 + 37.5 = 78.21;
    # 龙文区 has only 蓝田's 2 dispatches
    (xiangcheng,) = ranking.ranked
    assert (xiangcheng.unit.name, xiangcheng.figures.dispatched) == ("芗城区", 7)
    assert xiangcheng.figures.score == 78.21
    assert [(r.unit.name, r.figures.dispatched) for r in ranking.low_volume] == [("龙文区", 2)]


def test_ranking_page_shows_the_month_with_a_fixed_number_of_queries(
    march, settings, login, city_admin, django_assert_max_num_queries
):
    # given 3 dispatches make a unit rankable
    settings.APPEAL_MIN_VOLUME = 3
    client = login(city_admin)
    url = reverse("appeals:ranking") + "?group=all_towns&month=2024-03"

    # when the city admin opens the ranking of all towns for March (session, actor, four
    # peer groups, the scope, three grouped counts, the menu, saving the session)
    with django_assert_max_num_queries(15):
        response = client.get(url)

    # then the two ranked towns come first, 蓝田 is listed apart
    assert response.status_code == 200
    ranking = response.context["ranking"]
    assert [(r.unit.name, r.figures.score) for r in ranking.ranked] == [
        ("西桥街道", 100.0),
        ("芝山街道", 60.0),
    ]
    page = response.content.decode()
    assert page.index("西桥街道") < page.index("芝山街道") < page.index("单列不排名")
    assert page.index("单列不排名") < page.index("蓝田街道")


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
    start, end = metrics.month_bounds(MARCH)
    figures = metrics.unit_figures(start=start, end=end, today=AFTER_MARCH)[desk.tree["lantian"].pk]

    # then the ignored dispatch is "past its signing deadline" and counts, not on time
    assert (figures.dispatched, figures.signed_on_time) == (2, 1)
