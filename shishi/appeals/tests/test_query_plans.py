"""The reads that must not grow with the whole table (perf-check-1): the period's metrics
behind the staff home and the ranking seek into an index by time on SQLite instead of
walking one from its start. Read from SQLite's own query plan."""

import pytest
from django.db import connection

from shishi.appeals import metrics
from shishi.appeals.tests.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans by statistics")


def _plans(run) -> dict[str, str]:
    """Each query `run` makes, with SQLite's plan for it as one text: planned as it was
    sent, with its bound parameters (a value written inline may be planned differently)."""
    sent = []

    def capture(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        run()
    plans = {}
    with connection.cursor() as cursor:
        for sql, params in sent:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plans[sql] = " | ".join(row[-1] for row in cursor.fetchall())
    return plans


def test_a_periods_unit_figures_read_replies_and_dispatches_by_time(desk):
    desk.replied(now=at(2024, 3, 4))
    start, end = at(2024, 3, 1), at(2024, 4, 1)

    plans = _plans(lambda: metrics.unit_figures(start=start, end=end, within=""))

    touched = {
        table: plan
        for sql, plan in plans.items()
        for table in ("appeals_reply", "appeals_dispatch")
        if f'FROM "{table}"' in sql
    }
    assert set(touched) == {"appeals_reply", "appeals_dispatch"}
    for table, plan in touched.items():
        assert f"SCAN {table}" not in plan, plan
    assert "reply_at_idx" in touched["appeals_reply"]
    assert "reply_verdict_idx" in touched["appeals_reply"]
    assert "dispatch_at_idx" in touched["appeals_dispatch"]


def _appeal_plans(plans: dict[str, str]) -> list[str]:
    return [plan for sql, plan in plans.items() if 'FROM "appeals_appeal"' in sql]


def test_queue_counts_read_each_term_by_an_index_not_the_whole_table(desk):
    # given appeals in hand, replied and co-handled around the city
    desk.replied(now=at(2024, 3, 4))
    desk.in_town(now=at(2024, 3, 5))
    today = at(2024, 3, 6).date()

    # when the operator's tabs (待回访 among them) and a town clerk's are counted
    from shishi.appeals import queries
    from shishi.appeals.access import visible_appeals

    plans = []
    for actor in (desk.operator, desk.town):
        keys = [q.key for q in queries.queues_for(actor)]
        plans += _appeal_plans(
            _plans(
                lambda actor=actor, keys=keys: queries.queue_counts(
                    visible_appeals(actor), unit=actor.unit, today=today, keys=keys
                )
            )
        )

    # then every count reads through indexes: the unit's appeals by holder (for the town
    # SQLite picks the holder's single-column index over appeal_queue_idx: still a seek),
    # the replied ones by appeal_callback_idx
    assert len(plans) == 2
    for plan in plans:
        assert "SCAN appeals_appeal" not in plan, plan
        assert "(holder_id=?" in plan, plan
    assert "appeal_callback_idx" in plans[0]


def test_overdue_and_due_soon_reads_go_through_the_partial_index(desk):
    # given an appeal in hand
    desk.in_town(now=at(2024, 3, 5))
    today = at(2024, 3, 20).date()
    from shishi.appeals.models import Appeal

    # when the overdue appeals and those due soon are counted
    plans = _appeal_plans(
        _plans(
            lambda: (
                Appeal.objects.overdue(today).count(),
                Appeal.objects.due_within(today, 2).count(),
            )
        )
    )

    # then SQLite reads appeal_due_idx (Django's bound `status IN (?, ?)` would scan)
    assert len(plans) == 2
    for plan in plans:
        assert "appeal_due_idx" in plan, plan
