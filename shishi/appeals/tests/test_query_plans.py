"""The reads that must not grow with the whole table (perf-check-1): the period's metrics
behind the staff home and the ranking seek into an index by time on SQLite instead of
walking one from its start. Read from SQLite's own query plan."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shishi.appeals import metrics
from shishi.appeals.tests.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans by statistics")


def _plans(run) -> dict[str, str]:
    """Each query `run` makes, with SQLite's plan for it as one text."""
    with CaptureQueriesContext(connection) as captured:
        run()
    plans = {}
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
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
