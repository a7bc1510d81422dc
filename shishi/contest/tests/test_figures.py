"""What the contest gives the dashboards and the bulletin: timeliness per participant unit
(no data is None, never 0), the month's and the year's ranking tables, the 通报 words."""

from datetime import date

import pytest

from shishi.contest import actions, figures
from shishi.contest.tests.conftest import accept, submission, submit
from shishi.core.documents import Paragraph
from shishi.core.figures import Period, Scope, values
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def january(contest, tree, zone, city_admin, county_clerk, longwen_clerk, zone_clerk):
    admin = actor_of(city_admin)
    actions.open_round(contest=contest, month=1, actor=admin, now=at(2026, 2, 2))
    submit(contest, tree["xiangcheng"], county_clerk, 1, 10, 2, 90, now=at(2026, 2, 3))
    ext = actions.request_extension(
        submission=submission(contest, tree["longwen"], 1), until=date(2026, 2, 12),
        reason="数据未出", actor=actor_of(longwen_clerk), now=at(2026, 2, 9),
    )  # fmt: skip
    actions.decide_extension(
        extension=ext, approve=True, answer="", actor=admin, now=at(2026, 2, 9)
    )
    submit(contest, tree["longwen"], longwen_clerk, 1, 20, 3, 95, now=at(2026, 2, 10))
    accept(contest, tree["xiangcheng"], 1, city_admin, now=at(2026, 2, 11))
    accept(contest, tree["longwen"], 1, city_admin, now=at(2026, 2, 11))
    return contest


def test_timeliness_counts_on_time_late_and_missing_per_unit(january, tree, zone):
    counts = figures.collect(date(2026, 2, 1), date(2026, 3, 1), date(2026, 2, 20))

    assert counts[tree["xiangcheng"].pk] == {"owed": 1, "on_time": 1, "late": 0, "missing": 0}
    assert counts[tree["longwen"].pk] == {"owed": 1, "on_time": 0, "late": 1, "missing": 0}
    assert counts[zone.pk] == {"owed": 1, "on_time": 0, "late": 0, "missing": 1}
    city = values(figures.SOURCE, {"owed": 3, "on_time": 1, "late": 1, "missing": 1})
    assert city["contest.timeliness"] == pytest.approx(1 / 3)
    assert values(figures.SOURCE, {})["contest.timeliness"] is None


def test_the_bulletin_ranks_the_month_and_names_who_is_missing(january, tree):
    scope = Scope(unit=tree["city"], period=Period.month(date(2026, 1, 1)), as_of=date(2026, 2, 20))
    tables = figures.rankings(scope, {tree["xiangcheng"].pk: {"owed": 1}})
    month, year = tables

    assert month.title.endswith("2026年1月排名")
    assert [(row[0], row[1]) for row in month.rows] == [
        (1, "龙文区"),
        (2, "芗城区"),
        ("—", "漳州高新区"),
    ]
    assert month.rows[2][-1] == "—"  # no data is never 0
    assert year.headers[-1] == "计分月数"
    [paragraph] = figures.bulletin(scope)
    assert isinstance(paragraph, Paragraph)
    assert "龙文区位列第一" in paragraph.text
    assert "漳州高新区超过报送期限仍未报送或未通过审核" in paragraph.text


def test_the_bulletin_does_not_blame_a_unit_still_within_its_deadline(january, tree):
    scope = Scope(unit=tree["city"], period=Period.month(date(2026, 1, 1)), as_of=date(2026, 2, 5))
    [paragraph] = figures.bulletin(scope)
    assert "漳州高新区的数据尚在报送或审核期限内" in paragraph.text
    assert "予以通报" not in paragraph.text


def test_no_ranking_where_nothing_was_due(tree, contest):
    scope = Scope(unit=tree["city"], period=Period.month(date(2026, 1, 1)), as_of=date(2026, 2, 20))
    assert figures.rankings(scope, {}) == []
    assert figures.bulletin(scope) == []
