"""The combined score on a hand-computed example: judges 60 %, the public 40 %.

Four cases; two judges (the rubric adds up to 100):
    A  judges 80 and 90 → 85;  30 votes → public 100           → 85×0.6 + 100×0.4 = 91
    B  judges 95 and 95 → 95;  15 votes → public 50            → 57 + 20 = 77
    C  judges 80 and 90 → 85;  15 votes (one more voided) → 50 → 51 + 20 = 71
    D  judges 90 and 80 → 85;  15 votes → 50                   → 71, ties C
    E  nobody scored it fully; 20 votes                         → no total, not ranked
C and D tie on 71, on the judges' 85 and on 15 votes: C was nominated first, so C is 3rd.
Two winners: A and B."""

from datetime import timedelta

import pytest

from shishi.cases import actions, results
from shishi.cases.models import Judge, Score, Vote
from shishi.cases.tests.conftest import NOMINATING, REVIEWING, VOTING, accept, free_case
from shishi.core.masking import phone_hash
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Role
from shishi.testing import actor_of

pytestmark = pytest.mark.django_db


def _score(selection, judge, nomination, total):
    """Spread `total` over the rubric (40/30/20/10) proportionally, exactly."""
    lines = list(selection.criteria.order_by("order"))
    first = total - sum(c.max_points for c in lines[1:])
    points = [first] + [c.max_points for c in lines[1:]]
    for criterion, value in zip(lines, points, strict=True):
        Score.objects.create(
            judge=judge,
            nomination=nomination,
            criterion=criterion,
            points=value,
            scored_at=REVIEWING,
        )


def _votes(selection, nomination, n, *, voided=0, start=0):
    for k in range(n + voided):
        phone = f"139{start + k:08d}"
        Vote.objects.create(
            selection=selection,
            nomination=nomination,
            phone=phone,
            phone_hash=phone_hash(phone),
            day=VOTING.date(),
            slot=1,
            at=VOTING,
            voided=k >= n,
        )


def test_the_formula_and_its_tie_rule_on_a_hand_computed_example(
    tree, selection, town_clerk, city_admin
):
    cases = {}
    for n, name in enumerate("ABCDE"):
        cases[name] = accept(
            selection,
            free_case(selection, town_clerk, f"案例{name}", now=NOMINATING + timedelta(minutes=n)),
            city_admin,
        )
    judges = [
        Judge.objects.create(
            selection=selection, person=PersonFactory(unit=tree["city"], role=Role.SUPERVISOR)
        )
        for _ in range(2)
    ]
    for name, (one, two) in {"A": (80, 90), "B": (95, 95), "C": (80, 90), "D": (90, 80)}.items():
        _score(selection, judges[0], cases[name], one)
        _score(selection, judges[1], cases[name], two)
    Score.objects.create(  # one line only: not a complete scorecard
        judge=judges[0],
        nomination=cases["E"],
        criterion=selection.criteria.first(),
        points=30,
        scored_at=REVIEWING,
    )
    start = 0
    for name, n, voided in (("A", 30, 0), ("B", 15, 0), ("C", 15, 1), ("D", 15, 0), ("E", 20, 0)):
        _votes(selection, cases[name], n, voided=voided, start=start)
        start += 100

    rows = {row.nomination.title[-1]: row for row in results.standings(selection)}

    assert rows["A"].judge_score == 85 and rows["A"].public_score == 100 and rows["A"].total == 91
    assert rows["B"].total == pytest.approx(77)
    assert rows["C"].total == pytest.approx(71) and rows["D"].total == pytest.approx(71)
    assert [rows[n].rank for n in "ABCD"] == [1, 2, 3, 4]
    assert [rows[n].winner for n in "ABCD"] == [True, True, False, False]
    assert rows["E"].judge_score is None and rows["E"].total is None and rows["E"].rank is None
    assert [row.nomination.title for row in results.standings(selection)][-1] == "案例E"


def test_without_any_vote_the_public_part_is_no_data_not_zero(
    selection, town_clerk, city_admin, tree
):
    case = accept(selection, free_case(selection, town_clerk, "案例"), city_admin)
    judge = Judge.objects.create(
        selection=selection, person=PersonFactory(unit=tree["city"], role=Role.SUPERVISOR)
    )
    _score(selection, judge, case, 90)
    (row,) = results.standings(selection)
    assert (row.judge_score, row.public_score, row.total, row.rank) == (90, None, None, None)


def test_publishing_waits_for_the_vote_to_close(selection, city_admin):
    from shishi.core.errors import Refused

    with pytest.raises(Refused, match="投票结束后才能发布结果"):
        actions.publish_results(selection=selection, actor=actor_of(city_admin), now=VOTING)


def test_the_figures_count_per_nominating_unit(
    tree, selection, town_clerk, lantian_clerk, city_admin
):
    from datetime import date

    from shishi.cases import figures
    from shishi.core.figures import values

    zhishan = accept(selection, free_case(selection, town_clerk, "芝山案例"), city_admin)
    free_case(selection, lantian_clerk, "蓝田案例")  # not decided: not in the running
    _votes(selection, zhishan, 3, voided=1)
    counts = figures.collect(date(2026, 6, 1), date(2026, 7, 1), date(2026, 6, 26))
    assert counts[tree["zhishan"].pk] == {"nominated": 1, "accepted": 1, "votes": 3, "voided": 1}
    assert counts[tree["lantian"].pk] == {"nominated": 1, "accepted": 0, "votes": 0, "voided": 0}
    got = values(figures.SOURCE, counts[tree["zhishan"].pk])
    assert got["cases.void_rate"] == pytest.approx(1 / 4)
    assert got["cases.winners"] == 0  # nothing published yet
    assert values(figures.SOURCE, {})["cases.void_rate"] is None
