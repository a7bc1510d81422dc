"""The desk's registered figures: visits per cadre's unit, problems and benefits per county,
amounts exact to the fen and printed in 万元 or 亿元."""

from datetime import date
from decimal import Decimal

from shishi.core.figures import add_counts, source, values
from shishi.enterprises import actions, figures
from shishi.enterprises.models import Visit
from shishi.enterprises.tests.conftest import NOW
from shishi.testing import at


def test_the_month_counts_visits_problems_and_benefits(desk, tree):
    visit = actions.record_visit(
        data=actions.VisitData(
            pairing=desk.pairing,
            visited_on=date(2026, 3, 4),
            form=Visit.Form.ON_SITE,
            discussed="了解生产情况",
        ),
        actor=desk.cadre,
        now=at(2026, 3, 4),
    )
    actions.raise_problem(
        enterprise=desk.enterprise,
        visit=visit,
        data=actions.ProblemData(content="厂区道路破损，请协调修复"),
        actor=desk.cadre,
        now=at(2026, 3, 4),
    )
    for amount, kind in [("390000000.01", "funds"), ("0.99", "funds"), ("1430000.00", "tax")]:
        actions.record_benefit(
            data=actions.BenefitData(
                enterprise=desk.enterprise,
                kind=kind,
                policy="政策",
                amount=Decimal(amount),
                granted_on=date(2026, 3, 2),
            ),
            actor=desk.office,
            now=NOW,
        )
    counts = figures.collect(date(2026, 3, 1), date(2026, 4, 1), date(2026, 3, 31))
    assert counts[tree["zhishan"].pk]["visits"] == 1
    county = counts[tree["xiangcheng"].pk]
    assert county["raised"] == 1 and county["paired"] == 1
    assert county["fen:funds"] == 39_000_000_100  # 390,000,001.00 yuan in fen
    got = values(figures.SOURCE, add_counts(*counts.values()))
    assert got.text("enterprises.funds") == "3.90亿元"
    assert got.text("enterprises.tax") == "143.00万元"
    assert got["enterprises.in_time"] is None  # nothing closed: no data, not 0


def test_an_empty_month_has_nothing_to_count(db):
    assert figures.collect(date(2026, 1, 1), date(2026, 2, 1), date(2026, 2, 1)) == {}


def test_the_pairing_state_counts_enterprises_and_current_pairings(desk, tree):
    counts = figures.collect_pairing(date(2026, 3, 1), date(2026, 4, 1), date(2026, 3, 31))
    assert counts == {tree["xiangcheng"].pk: {"registered": 1, "paired": 1}}
    assert values(source("pairing"), counts[tree["xiangcheng"].pk])["pairing.coverage"] == 1.0


def test_the_bulletin_names_counties_with_cadres_overdue(desk, tree):
    from shishi.core.figures import Period, Scope

    scope = Scope(unit=tree["city"], period=Period.month(date(2026, 6, 1)), as_of=date(2026, 6, 30))
    blocks = figures.bulletin(scope)
    assert blocks[-1].rows == [("芗城区", 1)]
