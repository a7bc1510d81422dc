"""What directives tell the dashboards, the bulletin and the overview (core.figures).

A state (as of each refresh), per assigned unit: the assignments of every directive issued so
far — `assigned`, `on_time` and `late` (approved), `submitted` (waiting for review),
`not_yet` and `overdue` — the counts of `queries.Coverage`, the one definition.
"""

from collections import defaultdict
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from shishi.campaign import queries
from shishi.campaign.models import Assignment
from shishi.core.figures import Breakdown, Figure, Kind, Scope, Source, Values


def collect(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """Coverage counts per assigned unit as of `today`: one query."""
    rows = defaultdict(list)
    for unit_id, status, on_time, due in Assignment.objects.values_list(
        "unit_id", "status", "on_time", "due"
    ).order_by():
        rows[unit_id].append((status, on_time, due))
    counts = {}
    for unit_id, assigned in rows.items():
        figures = queries.count(assigned, today)
        counts[unit_id] = {
            **figures.counts(),
            **{f"status:{status}": sum(1 for s, _, _ in assigned if s == status)
               for status in Assignment.Status.values},
        }  # fmt: skip
    return counts


def _list(scope: Scope, **filters) -> str:
    url = reverse("campaign:directives")
    return f"{url}?{urlencode(filters)}" if filters else url


def _rate(name: str):
    return lambda counts: getattr(queries.Coverage.of(counts), name)


FIGURES = (
    Figure(
        "campaign.assigned",
        "下达任务",
        "项次",
        "部署到本单位及下级的任务项次（一个单位一项任务计一次）。",
        lambda c: c.get("assigned", 0),
        drill=_list,
    ),
    Figure(
        "campaign.done",
        "已完成",
        "项次",
        "部署单位审核通过的项次（按时与逾期）。",
        lambda c: c.get("on_time", 0) + c.get("late", 0),
        drill=_list,
    ),
    Figure(
        "campaign.done_rate",
        "完成率",
        "%",
        "已完成 ÷ 下达任务。",
        _rate("done_rate"),
        kind=Kind.RATE,
        drill=_list,
    ),
    Figure(
        "campaign.on_time_rate",
        "按时完成率",
        "%",
        "在期限内报送并审核通过的 ÷ 下达任务（退回后按重新报送的期限计）。",
        _rate("on_time_rate"),
        kind=Kind.RATE,
        drill=_list,
    ),
    Figure(
        "campaign.overdue",
        "超期未完成",
        "项次",
        "过了期限仍未报送（或退回后未重新报送）的项次。",
        lambda c: c.get("overdue", 0),
        drill=lambda scope: _list(scope, status="open"),
    ),
)

BREAKDOWNS = (
    Breakdown(
        "status",
        "任务落实状态",
        lambda: dict(Assignment.Status.choices),
        chart="pie",
        unit="项次",
    ),
)


def overview(values: Values, scope: Scope) -> list[str]:
    return [
        f"{scope.place}各级部署任务共下达{values.text('campaign.assigned')}，"
        f"已完成{values.text('campaign.done')}，完成率{values.text('campaign.done_rate')}，"
        f"按时完成率{values.text('campaign.on_time_rate')}，"
        f"超期未完成{values.text('campaign.overdue')}。"
    ]


SOURCE = Source(
    key="campaign",
    title="部署任务落实",
    order=30,
    state=True,
    collect=collect,
    figures=FIGURES,
    breakdowns=BREAKDOWNS,
    headline=(
        "campaign.assigned",
        "campaign.done_rate",
        "campaign.on_time_rate",
        "campaign.overdue",
    ),
    public=("campaign.assigned", "campaign.done_rate"),
    overview=overview,
)
