"""The summary tables equal a recount from the base tables after any sequence of actions
(hypothesis): appeals submitted, dispatched, signed, answered, judged and returned in any
order over two months — refused steps included — then summarised; every unit's subtree reads
the same from the summary as from the appeals and the metrics counted directly."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shishi.appeals import actions, metrics
from shishi.appeals.models import Appeal, Verdict
from shishi.core.errors import Refused
from shishi.core.figures import Period, Scope
from shishi.reports import summary
from shishi.testing import at

pytestmark = pytest.mark.django_db

MARCH, MAY = date(2024, 3, 1), date(2024, 5, 1)
TOWNS = ("zhishan", "xiqiao", "lantian", "xiangcheng")
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["submit", "dispatch", "sign", "reply", "verdict", "return"]),
        st.integers(0, 7),  # which appeal
        st.sampled_from(TOWNS),  # where to dispatch
        st.integers(0, 55),  # day after 03-01
        st.sampled_from([Verdict.SATISFIED, Verdict.BASIC, Verdict.UNSATISFIED]),
        st.booleans(),  # solved, says the citizen
    ),
    max_size=30,
)


def _play(desk, steps) -> None:
    appeals: list[Appeal] = []
    for op, index, town, day, verdict, solved in sorted(steps, key=lambda s: s[3]):
        now = at(2024, 3, 1, 9) + timedelta(days=day)
        if op == "submit" or not appeals:
            appeals.append(desk.submit(now=now))
            continue
        appeal = Appeal.objects.get(pk=appeals[index % len(appeals)].pk)
        try:
            if op == "dispatch":
                desk.dispatch(appeal, to=town, now=now)
            elif op == "sign":
                desk.sign(appeal, now=now)
            elif op == "reply":
                desk.reply(appeal, now=now)
            elif op == "verdict":
                actions.record_verdict(
                    appeal=appeal, verdict=verdict, solved=solved, actor=None, now=now
                )
            else:
                actions.return_appeal(
                    appeal=appeal,
                    actor=desk.actor_holding(appeal),
                    reason="不属本单位职责",
                    now=now,
                )
        except (Refused, LookupError):  # not allowed now, or nobody of the desk holds it
            pass


def _recount(unit, today) -> tuple[Counter, metrics.Figures]:
    received = Appeal.objects.filter(
        holder__path__startswith=unit.path,
        received_at__gte=at(2024, 3, 1, 0),
        received_at__lt=at(2024, 5, 1, 0),
    )
    statuses = Counter(dict(received.values_list("status").annotate(n=Count("pk")).order_by()))
    total = metrics.Figures()
    for month in (MARCH, date(2024, 4, 1)):
        start, end = metrics.month_bounds(month)
        for figures in metrics.unit_figures(
            start=start, end=end, today=today, within=unit.path
        ).values():
            total.add(figures)
    return statuses, total


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_the_summary_equals_a_recount_after_any_actions(desk, steps):
    today = date(2024, 5, 10)
    with transaction.atomic():
        _play(desk, steps)
        summary.refresh([MARCH, date(2024, 4, 1)], now=at(2024, 5, 10, 8))
        period = Period.months_from(MARCH, date(2024, 4, 1))
        for unit in desk.tree.values():
            counted = summary.read(Scope(unit=unit, period=period, as_of=today))["appeals"]
            statuses, figures = _recount(unit, today)
            from_summary = Counter(
                {
                    k.split(":", 1)[1]: n
                    for k, n in counted.total.items()
                    if k.startswith("status:") and n
                }
            )
            assert from_summary == statuses, unit.name
            assert metrics.Figures.of(counted.total) == figures, unit.name
            assert counted.total.get("received", 0) == sum(statuses.values())
        transaction.set_rollback(True)
