"""Refreshing the summary tables and reading a scope's counts from them.

`refresh()` recounts whole months of every registered module from the base tables (one
transaction per module and month: readers see the old month or the new one, never half);
the worker runs it for the current and the previous month every few minutes and for the last
two years nightly (reports.tasks). `read()` answers a dashboard, the bulletin or the overview
in two queries whatever the number of appeals.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from shishi.core import figures
from shishi.core.bulk import insert_objects
from shishi.core.figures import Counts, Period, Scope, Source
from shishi.orgs.models import Unit
from shishi.reports.models import Refresh, Summary


def refresh(months: list[date], *, now: datetime | None = None, only: str = "") -> int:
    """Recount `months` (first days) of every module (or the module `only`); the number of
    summary rows written."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    written = 0
    for source in figures.sources():
        if only and source.key != only:
            continue
        for month in sorted(set(months)):
            # A state (projects by status) can only be taken now: a month gone by keeps the
            # state of its last refresh.
            if month > today or (source.state and month < today.replace(day=1)):
                continue
            written += _refresh_month(source, month, now=now, today=today)
    return written


def recent_months(today: date, *, count: int) -> list[date]:
    """The first days of `today`'s month and the `count - 1` months before it, oldest first."""
    months = [today.replace(day=1)]
    while len(months) < count:
        months.append((months[-1] - timedelta(days=1)).replace(day=1))
    return months[::-1]


def demo_summary() -> str:
    """The demo city's figures counted once, so its dashboards are filled from the start."""
    rows = refresh(recent_months(timezone.localdate(), count=13))
    return f"{rows} 行（近13个月，此后由后台任务每10分钟刷新）"


def _refresh_month(source: Source, month: date, *, now: datetime, today: date) -> int:
    period = Period.month(month)
    started = time.monotonic()
    per_unit = source.collect(period.start, period.end, today)
    rows = [
        Summary(source=source.key, month=period.start, unit_id=unit_id, counts=dict(counts))
        for unit_id, counts in per_unit.items()
        if any(counts.values())
    ]
    with transaction.atomic():
        Summary.objects.filter(source=source.key, month=period.start).delete()
        insert_objects(rows)
        Refresh.objects.update_or_create(
            source=source.key,
            month=period.start,
            defaults={
                "taken_at": now,
                "as_of": today,
                "seconds": round(time.monotonic() - started, 3),
                "units": len(rows),
            },
        )
    return len(rows)


@dataclass
class ModuleCounts:
    """One module's counts over a scope: the total, per unit, and per month (the trend)."""

    source: Source
    total: dict[str, int] = field(default_factory=dict)
    per_unit: dict[int, dict[str, int]] = field(default_factory=dict)
    per_month: dict[date, dict[str, int]] = field(default_factory=dict)
    counted: list[date] = field(default_factory=list)  # months of the period counted
    missing: list[date] = field(default_factory=list)  # months of the period not counted yet
    as_of: date | None = None  # a state module: the day its counts were taken

    @property
    def values(self) -> figures.Values:
        """The figures; all 无数据 when no month of the period was counted (never 0)."""
        return figures.values(self.source, self.total if self.counted else None)


@dataclass
class Reading:
    scope: Scope
    modules: dict[str, ModuleCounts]
    taken_at: datetime | None  # the oldest refresh the figures rest on
    paths: dict[int, str] = field(default_factory=dict)  # of the units counted

    def roll_up(self, key: str, nodes: list) -> dict[int, dict[str, int]]:
        """Module `key`'s counts summed over each node's subtree (nodes inside the scope)."""
        totals: dict[int, dict[str, int]] = {node.pk: {} for node in nodes}
        for unit_id, counts in self.modules[key].per_unit.items():
            path = self.paths.get(unit_id, "")
            for node in nodes:
                if path.startswith(node.path):
                    totals[node.pk] = figures.add_counts(totals[node.pk], counts)
        return totals

    def __getitem__(self, key: str) -> ModuleCounts:
        return self.modules[key]

    @property
    def missing(self) -> list[date]:
        return sorted({m for module in self.modules.values() for m in module.missing})


def read(scope: Scope, *, trend_months: list[date] = ()) -> Reading:
    """Every module's counts for the scope's subtree and period (plus the months of the trend
    line): two queries. A flow module adds the period's months; a state module (projects)
    shows the latest month of the period it was counted in."""
    months = sorted(set(scope.period.months) | set(trend_months))
    rows = (
        Summary.objects.filter(month__in=months, unit__path__startswith=scope.path)
        .values_list("source", "month", "unit_id", "unit__path", "counts")
        .order_by()
    )
    refreshes = list(
        Refresh.objects.filter(month__in=scope.period.months).values_list(
            "source", "month", "taken_at", "as_of"
        )
    )
    taken_on = {(key, month): as_of for key, month, _, as_of in refreshes}
    per_month: dict[str, dict[date, dict[int, Counts]]] = defaultdict(lambda: defaultdict(dict))
    paths: dict[int, str] = {}
    for key, month, unit_id, path, counts in rows:
        per_month[key][month][unit_id] = counts
        paths[unit_id] = path
    refreshed = defaultdict(set)
    for key, month, _, _ in refreshes:
        refreshed[key].add(month)
    due = [m for m in scope.period.months if m <= scope.as_of]
    modules = {}
    for source in figures.sources():
        months_of = per_month.get(source.key, {})
        counted = ModuleCounts(source=source)
        counted.per_month = {
            m: figures.add_counts(*months_of[m].values()) if m in months_of else {} for m in months
        }
        counted.counted = [m for m in due if m in refreshed[source.key]]
        if source.state:
            counted.counted = counted.counted[-1:]
            counted.missing = [] if counted.counted else due[-1:]
            counted.as_of = (
                taken_on.get((source.key, counted.counted[-1])) if counted.counted else None
            )
        else:
            counted.missing = [m for m in due if m not in refreshed[source.key]]
        for month in counted.counted:
            for unit_id, counts in months_of.get(month, {}).items():
                counted.per_unit[unit_id] = figures.add_counts(
                    counted.per_unit.get(unit_id, {}), counts
                )
        counted.total = figures.add_counts(*counted.per_unit.values())
        modules[source.key] = counted
    taken = [t for _, _, t, _ in refreshes]
    return Reading(
        scope=scope, modules=modules, taken_at=min(taken) if taken else None, paths=paths
    )


def live(scope: Scope, *, now: datetime | None = None) -> Reading:
    """The scope counted from the base tables as of `scope.as_of`, writing nothing: what a
    document (bulletin, overview) prints, so generating one for a past day never changes the
    figures the dashboards read. A flow module counts each month of the period up to the end
    of `as_of`; a state module (projects) is the state the worker kept for the period's
    latest month, else — only when `as_of` is today — the state now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    stored = read(scope)
    paths = dict(Unit.objects.filter(path__startswith=scope.path).values_list("pk", "path"))
    cut = scope.as_of + timedelta(days=1)
    modules = {}
    for source in figures.sources():
        counted = ModuleCounts(source=source)
        if source.state:
            kept = stored[source.key]
            current = scope.as_of >= today and scope.period.months[-1] == today.replace(day=1)
            if not current and (kept.counted or scope.as_of < today):
                modules[source.key] = kept
                continue
            months = [scope.period.months[-1]]
        else:
            months = [m for m in scope.period.months if m <= scope.as_of]
        for month in months:
            end = min(Period.month(month).end, cut)
            per_unit = {
                unit_id: counts
                for unit_id, counts in source.collect(month, end, scope.as_of).items()
                if unit_id in paths
            }
            counted.per_month[month] = figures.add_counts(*per_unit.values())
            for unit_id, counts in per_unit.items():
                counted.per_unit[unit_id] = figures.add_counts(
                    counted.per_unit.get(unit_id, {}), counts
                )
        counted.counted = months
        counted.as_of = scope.as_of if source.state else None
        counted.total = figures.add_counts(*counted.per_unit.values())
        modules[source.key] = counted
    return Reading(scope=scope, modules=modules, taken_at=now, paths=paths)
