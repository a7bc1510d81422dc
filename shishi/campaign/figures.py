"""What directives tell the dashboards, the bulletin and the overview (core.figures).

A state (as of each refresh), per assigned unit: the assignments of every directive issued so
far — `assigned`, `on_time` and `late` (approved), `submitted` (waiting for review),
`not_yet` and `overdue` — the counts of `queries.Coverage`, the one definition.

学习教育 (`STUDY_SOURCE`), a flow: the study sessions held in the month per unit — `sessions`,
`attendance` (named attendees + people without accounts), by kind (`kind:…`) and by 五学 mode
(`mode:…`).
"""

from collections import defaultdict
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from shishi.campaign import queries
from shishi.campaign.access import Perm
from shishi.campaign.models import Assignment, StudySession
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


# --- 学习教育 ---------------------------------------------------------------------------------


def collect_study(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """Sessions held in [start, end) per unit, with attendance, by kind and mode: one query."""
    rows = (
        StudySession.objects.filter(held_on__gte=start, held_on__lt=end)
        .values("unit_id", "kind", "mode", "extra_attendees")
        .annotate(named=Count("attendees"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        unit = counts[row["unit_id"]]
        unit["sessions"] += 1
        unit["attendance"] += row["named"] + row["extra_attendees"]
        unit[f"kind:{row['kind']}"] += 1
        unit[f"mode:{row['mode']}"] += 1
    return {unit_id: dict(c) for unit_id, c in counts.items()}


def _sessions(scope: Scope, **filters) -> str:
    """The 学习活动 list as the figures count: the scope's subtree over its period."""
    query = {
        "unit": scope.unit.pk,
        "start": f"{scope.period.start:%Y-%m-%d}",
        "end": f"{scope.period.last_day:%Y-%m-%d}",
        **filters,
    }
    return f"{reverse('campaign:study')}?{urlencode(query)}"


STUDY_FIGURES = (
    Figure(
        "study.sessions",
        "学习活动",
        "场",
        "各单位登记的学习活动场次（理论学习中心组学习、“三会一课”、主题党日等），按活动日期计。",
        lambda c: c.get("sessions", 0),
        drill=_sessions,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "study.attendance",
        "参学人次",
        "人次",
        "每场学习活动的参加人员（有账号的人员与其他参加人数）相加。",
        lambda c: c.get("attendance", 0),
        drill=_sessions,
        drill_perm=Perm.VIEW,
    ),
)

STUDY_BREAKDOWNS = (
    Breakdown(
        "kind",
        "按活动类型",
        lambda: dict(StudySession.Kind.choices),
        chart="barh",
        drill=lambda scope, code: _sessions(scope, kind=code),
        drill_perm=Perm.VIEW,
        unit="场",
    ),
    Breakdown(
        "mode",
        "按学习方式（五学）",
        lambda: dict(StudySession.Mode.choices),
        chart="pie",
        drill=lambda scope, code: _sessions(scope, mode=code),
        drill_perm=Perm.VIEW,
        unit="场",
    ),
)


def study_overview(values: Values, scope: Scope) -> list[str]:
    return [
        f"{scope.place}各级共开展学习活动{values.text('study.sessions')}，"
        f"参学{values.text('study.attendance')}。"
    ]


STUDY_SOURCE = Source(
    key="study",
    title="学习教育",
    order=31,
    collect=collect_study,
    figures=STUDY_FIGURES,
    breakdowns=STUDY_BREAKDOWNS,
    headline=("study.sessions", "study.attendance"),
    public=("study.sessions",),
    overview=study_overview,
)
