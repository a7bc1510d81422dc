"""What projects tell the dashboards, the bulletin and the overview (core.figures).

Projects are a state, not a flow: each month keeps the ledger as it stood at the month's last
refresh (`Source.state`), and a period shows its latest month. Counts per lead unit
(`collect`): the metrics' `Figures` fields (see `metrics`), then projects by status, area,
level and progress band (`status:in_progress`, `area:rural`, `level:town`, `progress:late`),
`disclosed` (open to the public), `late` (a milestone or report overdue), `budget_yuan` and
`beneficiaries`.
"""

from collections import defaultdict
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse

from shishi.core.figures import Breakdown, Figure, Kind, Scope, Source, Values
from shishi.projects import metrics
from shishi.projects.access import Perm
from shishi.projects.models import (
    PROGRESS_BANDS,
    PUBLIC_STATUSES,
    UNCOUNTED_STATUSES,
    Area,
    Project,
    ProjectLevel,
    Status,
    progress_band,
)


def collect(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """Counts per lead unit as of `today`: the metrics' three queries and two more."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, unit_figures in metrics.unit_figures(today=today).items():
        counts[unit_id].update(unit_figures.counts())
    counted = Project.objects.exclude(status__in=UNCOUNTED_STATUSES)
    rows = (
        counted.values_list("lead_unit_id", "status", "area", "level", "progress")
        .annotate(n=Count("pk"), budget=Sum("budget"), people=Sum("beneficiaries"))
        .order_by()
    )
    for unit_id, status, area, level, progress, n, budget, people in rows:
        unit = counts[unit_id]
        unit[f"status:{status}"] += n
        unit[f"area:{area}"] += n
        unit[f"level:{level}"] += n
        unit[f"progress:{progress_band(progress)}"] += n
        unit["disclosed"] += n if status in PUBLIC_STATUSES else 0
        unit["budget_yuan"] += round((budget or 0) * 10000)
        unit["beneficiaries"] += people or 0
    late = counted.late(today).values_list("lead_unit_id").annotate(n=Count("pk")).order_by()
    for unit_id, n in late:
        counts[unit_id]["late"] = n
    return {unit_id: dict(c) for unit_id, c in counts.items()}


def _list_url(scope: Scope, **filters) -> str:
    """The ledger filtered as the figures count: the scope's unit, no drafts or cancelled."""
    query = {"unit": scope.unit.pk, "counted": 1, **filters}
    return f"{reverse('projects:list')}?{urlencode(query)}"


def _tally(name: str):
    return lambda counts: getattr(metrics.Figures.of(counts), name)


FIGURES = (
    Figure(
        "projects.total",
        "实施项目",
        "个",
        "本单位及下级牵头、已提交的项目（草稿、已取消的不计）。",
        lambda c: c.get("projects", 0),
        drill=_list_url,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "projects.done",
        "已完成",
        "个",
        "已完成、已验收或已评价的项目。",
        lambda c: c.get("done", 0),
        drill=lambda scope: _list_url(scope, done=1),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "projects.done_rate",
        "完成率",
        "%",
        "已完成、已验收或已评价的项目 ÷ 实施项目。",
        _tally("done_rate"),
        kind=Kind.RATE,
        drill=_list_url,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "projects.late",
        "有超期",
        "个",
        "实施中、有节点或进度报告过了期限仍未完成或报送的项目。",
        lambda c: c.get("late", 0),
        drill=lambda scope: _list_url(scope, late=1),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "projects.report_rate",
        "按时报送率",
        "%",
        "期限已到的进度报送中按时报送的 ÷ 期限已到的进度报送。",
        _tally("report_rate"),
        kind=Kind.RATE,
        drill=lambda scope: _list_url(scope, late=1),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "projects.milestone_rate",
        "节点按时率",
        "%",
        "期限已到的节点中按期完成的 ÷ 期限已到的节点。",
        _tally("milestone_rate"),
        kind=Kind.RATE,
        drill=lambda scope: _list_url(scope, late=1),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "projects.disclosed",
        "已公示",
        "个",
        "已向社会公示（公示中及其后各状态）的项目。",
        lambda c: c.get("disclosed", 0),
        drill=_list_url,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "projects.rating",
        "群众评价",
        "星",
        "群众对已完成项目打分的平均星数（满分5星）：总星数 ÷ 评价人次。",
        _tally("rating"),
        kind=Kind.AVERAGE,
        drill=lambda scope: reverse("projects:ratings"),
        drill_perm=Perm.MODERATE,
    ),
    Figure(
        "projects.budget",
        "投资",
        "万元",
        "实施项目计划投资之和。",
        lambda c: c.get("budget_yuan", 0) / 10000 if c.get("projects") else None,
        kind=Kind.AMOUNT,
        drill=lambda scope: _list_url(scope, sort="budget"),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "projects.beneficiaries",
        "受益群众",
        "人次",
        "实施项目登记的受益人数之和。",
        lambda c: c.get("beneficiaries", 0),
        drill=_list_url,
        drill_perm=Perm.VIEW,
    ),
)

BREAKDOWNS = (
    Breakdown(
        "status",
        "按状态",
        lambda: {k: v for k, v in Status.choices if k not in UNCOUNTED_STATUSES},
        chart="pie",
        drill=lambda scope, code: _list_url(scope, status=code),
        drill_perm=Perm.VIEW,
        unit="个",
    ),
    Breakdown(
        "area",
        "按重点领域",
        lambda: dict(Area.choices),
        chart="barh",
        drill=lambda scope, code: _list_url(scope, area=code),
        drill_perm=Perm.VIEW,
        unit="个",
    ),
    Breakdown(
        "level",
        "按层级",
        lambda: dict(ProjectLevel.choices),
        chart="pie",
        drill=lambda scope, code: _list_url(scope, level=code),
        drill_perm=Perm.VIEW,
        unit="个",
    ),
    Breakdown(
        "progress",
        "按形象进度",
        lambda: {code: band[0] for code, band in PROGRESS_BANDS.items()},
        chart="bar",
        drill=lambda scope, code: _list_url(scope, progress=code),
        drill_perm=Perm.VIEW,
        unit="个",
    ),
)


def overview(values: Values, scope: Scope) -> list[str]:
    return [
        f"{scope.place}共实施“我为群众办实事”项目{values.text('projects.total')}，"
        f"已完成{values.text('projects.done')}，完成率{values.text('projects.done_rate')}；"
        f"计划投资{values.text('projects.budget')}，受益群众{values.text('projects.beneficiaries')}。"
        f"进度报告按时报送率{values.text('projects.report_rate')}，"
        f"节点按时率{values.text('projects.milestone_rate')}，"
        f"{values.text('projects.late')}项目有超期事项；群众评价平均{values.text('projects.rating')}。"
    ]


SOURCE = Source(
    key="projects",
    title="实事项目",
    order=20,
    state=True,
    collect=collect,
    figures=FIGURES,
    breakdowns=BREAKDOWNS,
    headline=(
        "projects.total",
        "projects.done_rate",
        "projects.late",
        "projects.report_rate",
        "projects.rating",
    ),
    public=(
        "projects.total",
        "projects.done",
        "projects.done_rate",
        "projects.budget",
        "projects.beneficiaries",
        "projects.rating",
    ),
    overview=overview,
)
