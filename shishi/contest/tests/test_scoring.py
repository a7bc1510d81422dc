"""Scores on a hand-computed fixture (tests/conftest.py): min–max per indicator with its
direction, weights within the dimension, dimension weights, the year's mean; no data is
None, never 0; all equal is full marks.

January (all three accepted):
                新开工项目  单位能耗  优良天数比例
    芗城区         10        2.0        90
    龙文区         20        3.0        95
    漳州高新区     15        2.5        80
  新开工 (10..20, higher):  芗城 0,   龙文 100, 高新 50
  能耗   (2.0..3.0, lower): 芗城 100, 龙文 0,   高新 50
  优良   (80..95, higher):  芗城 66.667, 龙文 100, 高新 0
  比项目 = ½·新开工 + ½·能耗: 50, 50, 50
  比环境 = 优良:              66.667, 100, 0
  总分 = 0.6·比项目 + 0.4·比环境: 芗城 56.667, 龙文 70, 高新 30 → 龙文 1, 芗城 2, 高新 3

February (高新区 submits nothing accepted):
    芗城区  5, 1.0, 50   龙文区 5, 2.0, 60
  新开工 equal → 100 each; 能耗 芗城 100, 龙文 0; 优良 芗城 0, 龙文 100
  比项目: 芗城 100, 龙文 50; 比环境: 芗城 0, 龙文 100
  总分: 芗城 60, 龙文 70; 高新 无数据

Year (mean of the months scored): 龙文 70 (2), 芗城 58.333 (2), 高新 30 (1); bottom 1 = 高新.
"""

import pytest

from shishi.contest import actions, scoring
from shishi.contest.tests.conftest import accept, dimension, submit
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(contest, tree, zone, city_admin, county_clerk, longwen_clerk, zone_clerk):
    admin = actor_of(city_admin)
    actions.open_round(contest=contest, month=1, actor=admin, now=at(2026, 2, 2))
    now = at(2026, 2, 3)
    submit(contest, tree["xiangcheng"], county_clerk, 1, "10", "2.0", "90", now=now)
    submit(contest, tree["longwen"], longwen_clerk, 1, 20, "3", "95", now=now)
    submit(contest, zone, zone_clerk, 1, "15", "2.5", "80%", now=now)
    for unit in (tree["xiangcheng"], tree["longwen"], zone):
        accept(contest, unit, 1, city_admin, now=now)
    actions.open_round(contest=contest, month=2, actor=admin, now=at(2026, 3, 2))
    now = at(2026, 3, 3)
    submit(contest, tree["xiangcheng"], county_clerk, 2, "5", "1", "50", now=now)
    submit(contest, tree["longwen"], longwen_clerk, 2, "5", "2", "60", now=now)
    submit(contest, zone, zone_clerk, 2, "9", "9", "9", now=now)  # submitted, never accepted
    for unit in (tree["xiangcheng"], tree["longwen"]):
        accept(contest, unit, 2, city_admin, now=now)
    return contest


def _by_name(ranking):
    return {row.name: row for row in ranking.rows}


def test_january_scores_match_the_hand_computation(scored):
    ranking = scoring.month_ranking(scored, 1)
    rows = _by_name(ranking)
    projects, environment = dimension(scored, "比项目").pk, dimension(scored, "比环境").pk

    assert [row.name for row in ranking.rows] == ["龙文区", "芗城区", "漳州高新区"]
    assert [row.rank for row in ranking.rows] == [1, 2, 3]
    assert rows["芗城区"].total == pytest.approx(56.6667, abs=1e-3)
    assert rows["龙文区"].total == pytest.approx(70)
    assert rows["漳州高新区"].total == pytest.approx(30)
    assert rows["芗城区"].dimensions[projects] == pytest.approx(50)
    assert rows["芗城区"].dimensions[environment] == pytest.approx(66.6667, abs=1e-3)
    assert rows["漳州高新区"].dimensions[environment] == pytest.approx(0)


def test_lower_is_better_indicator_scores_the_smallest_value_highest(scored):
    rows = _by_name(scoring.month_ranking(scored, 1))
    energy = next(i for i in scoring.month_ranking(scored, 1).indicators if i.name == "单位能耗")

    assert rows["芗城区"].indicators[energy.pk] == pytest.approx(100)
    assert rows["龙文区"].indicators[energy.pk] == pytest.approx(0)
    assert rows["漳州高新区"].indicators[energy.pk] == pytest.approx(50)


def test_a_participant_without_accepted_data_has_no_score_and_no_rank(scored):
    ranking = scoring.month_ranking(scored, 2)
    rows = _by_name(ranking)

    assert rows["漳州高新区"].total is None  # 无数据, never 0
    assert rows["漳州高新区"].rank is None
    assert set(rows["漳州高新区"].dimensions.values()) == {None}
    assert rows["龙文区"].total == pytest.approx(70)
    assert rows["芗城区"].total == pytest.approx(60)
    assert [row.name for row in ranking.rows][-1] == "漳州高新区"


def test_all_equal_values_give_everyone_full_marks(scored):
    ranking = scoring.month_ranking(scored, 2)
    new = next(i for i in ranking.indicators if i.name == "新开工项目")
    rows = _by_name(ranking)

    assert rows["芗城区"].indicators[new.pk] == 100
    assert rows["龙文区"].indicators[new.pk] == 100


def test_year_is_the_mean_of_the_months_scored_and_the_bottom_n_are_interviewed(scored):
    ranking = scoring.year_ranking(scored)
    rows = _by_name(ranking)

    assert rows["龙文区"].total == pytest.approx(70) and rows["龙文区"].months == 2
    assert rows["芗城区"].total == pytest.approx(58.3333, abs=1e-3)
    assert rows["漳州高新区"].total == pytest.approx(30) and rows["漳州高新区"].months == 1
    assert [row.name for row in scoring.interview_list(ranking)] == ["漳州高新区"]


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    rows = [scoring.Row(participant=None, total=t) for t in (50.0, 80.0, 80.0, None)]
    ranked = scoring._rank(rows)
    assert [(row.total, row.rank) for row in ranked] == [
        (80.0, 1),
        (80.0, 1),
        (50.0, 3),
        (None, None),
    ]


def test_a_month_nobody_reported_ranks_nobody(contest):
    ranking = scoring.month_ranking(contest, 5)
    assert ranking.scored == []
    assert all(row.total is None for row in ranking.rows)
