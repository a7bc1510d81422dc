"""What directives tell the dashboards, the bulletin and the overview (core.figures).

A state (as of each refresh), per assigned unit: the assignments of every directive issued so
far — `assigned`, `on_time` and `late` (approved), `submitted` (waiting for review),
`not_yet` and `overdue` — the counts of `queries.Coverage`, the one definition.

学习教育 (`STUDY_SOURCE`), a flow: the study sessions held in the month per unit — `sessions`,
`attendance` (named attendees + people without accounts), by kind (`kind:…`) and by 五学 mode
(`mode:…`).

巡回指导 (`GUIDANCE_SOURCE`), a state: per assigned unit, the unit-rounds owed, covered and
missed (the coverage matrix's counts). 整改 (`RECTIFICATION_SOURCE`), a state: per responsible
unit, the items by state, closed on time, and overdue; its bulletin section lists the
overdue items.
"""

from collections import defaultdict
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from shishi.campaign import queries
from shishi.campaign.access import Perm
from shishi.campaign.models import Assignment, GroupUnit, Rectification, StudySession, Visit
from shishi.campaign.queries import CellState
from shishi.core.documents import Heading, Paragraph, Table
from shishi.core.figures import Breakdown, Figure, Kind, Scope, Source, Tally, Values


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


# --- 巡回指导 and 整改 --------------------------------------------------------------------------


def collect_guidance(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """Per assigned unit, as of `today`: unit-rounds owed (rounds begun), covered, and gaps
    (finished rounds without a visit) — the coverage matrix's counts, three queries."""
    matrix = queries.guidance_matrix(GroupUnit.objects.all(), Visit.objects.all(), today=today)
    counts = {}
    for row, cells in matrix.rows:
        states = [cell.state for cell in cells]
        counts[row.unit_id] = {
            "assigned": 1,
            "owed": sum(1 for s in states if s != CellState.AHEAD),
            "covered": states.count(CellState.COVERED),
            "gaps": states.count(CellState.GAP),
        }
    return counts


def _matrix(scope: Scope) -> str:
    return reverse("campaign:guidance")


GUIDANCE_FIGURES = (
    Figure(
        "guidance.units",
        "指导单位",
        "个",
        "分配给各巡回指导组的单位（每个单位只由一个组负责，其下级单位一并指导）。",
        lambda c: c.get("assigned", 0),
        drill=_matrix,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "guidance.covered",
        "已覆盖",
        "单位·轮次",
        "各指导单位在已开始的各轮中得到指导的轮次数（到其下级单位指导也计入）。",
        lambda c: c.get("covered", 0),
        drill=_matrix,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "guidance.coverage",
        "覆盖率",
        "%",
        "已覆盖 ÷ 应覆盖（指导单位数 × 已开始的轮数）；正在进行的轮次中尚未指导的计入分母。",
        lambda c: Tally.rate(c.get("covered", 0), c.get("owed", 0)),
        kind=Kind.RATE,
        drill=_matrix,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "guidance.gaps",
        "未覆盖",
        "单位·轮次",
        "已结束的轮次中没有得到指导的单位·轮次。",
        lambda c: c.get("gaps", 0),
        drill=_matrix,
        drill_perm=Perm.VIEW,
    ),
)


def guidance_overview(values: Values, scope: Scope) -> list[str]:
    return [
        f"{scope.place}巡回指导覆盖指导单位{values.text('guidance.units')}，"
        f"已覆盖{values.text('guidance.covered')}，覆盖率{values.text('guidance.coverage')}，"
        f"已结束轮次中未覆盖{values.text('guidance.gaps')}。"
    ]


GUIDANCE_SOURCE = Source(
    key="guidance",
    title="巡回指导",
    order=32,
    state=True,
    collect=collect_guidance,
    figures=GUIDANCE_FIGURES,
    # covered first: the by-unit chart draws the first headline figure
    headline=("guidance.covered", "guidance.coverage", "guidance.gaps", "guidance.units"),
    overview=guidance_overview,
)


def collect_rectification(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """Per responsible unit, as of `today`: items raised so far by state, closed on time, and
    overdue (still being put right past the deadline): one query."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, status, on_time, due in Rectification.objects.values_list(
        "unit_id", "status", "on_time", "due"
    ).order_by():
        unit = counts[unit_id]
        unit["raised"] += 1
        unit[f"status:{status}"] += 1
        unit["closed_on_time"] += status == Rectification.Status.CLOSED and bool(on_time)
        unit["overdue"] += status == Rectification.Status.OPEN and due < today
    return {unit_id: dict(c) for unit_id, c in counts.items()}


def _items(scope: Scope, **filters) -> str:
    query = {"unit": scope.unit.pk, **filters}
    return f"{reverse('campaign:rectifications')}?{urlencode(query)}"


def _closed(c) -> int:
    return c.get(f"status:{Rectification.Status.CLOSED}", 0)


RECTIFICATION_FIGURES = (
    Figure(
        "rectification.raised",
        "整改事项",
        "项",
        "巡回指导组、上级单位提出的整改事项（含专题组织生活会查摆的问题）。",
        lambda c: c.get("raised", 0),
        drill=_items,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "rectification.closed",
        "已销号",
        "项",
        "提出方核验佐证材料后销号的事项。",
        _closed,
        drill=lambda scope: _items(scope, status=Rectification.Status.CLOSED),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "rectification.close_rate",
        "销号率",
        "%",
        "已销号 ÷ 整改事项。",
        lambda c: Tally.rate(_closed(c), c.get("raised", 0)),
        kind=Kind.RATE,
        drill=_items,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "rectification.on_time_rate",
        "按期整改率",
        "%",
        "在期限内申请销号并通过的 ÷ 已销号（退回后按新的期限计）。",
        lambda c: Tally.rate(c.get("closed_on_time", 0), _closed(c)),
        kind=Kind.RATE,
        drill=lambda scope: _items(scope, status=Rectification.Status.CLOSED),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "rectification.overdue",
        "超期未整改",
        "项",
        "过了整改期限仍未申请销号（或退回后未再申请）的事项。",
        lambda c: c.get("overdue", 0),
        drill=lambda scope: _items(scope, status=queries.OVERDUE),
        drill_perm=Perm.VIEW,
    ),
)

RECTIFICATION_BREAKDOWNS = (
    Breakdown(
        "status",
        "整改事项状态",
        lambda: dict(Rectification.Status.choices),
        chart="pie",
        drill=lambda scope, code: _items(scope, status=code),
        drill_perm=Perm.VIEW,
        unit="项",
    ),
)

OVERDUE_SHOWN = 30  # rows of the bulletin's list in the text (all in the annex)


def rectification_bulletin(scope: Scope) -> list:
    """The bulletin's list of 整改 items past their deadline, longest overdue first (no
    section where no item was ever raised: nothing to report is not "none overdue")."""
    if not Rectification.objects.filter(unit__path__startswith=scope.path).exists():
        return []
    late = list(queries.overdue_rectifications(under=scope.unit, today=scope.as_of))
    blocks: list = [Heading("超期整改事项通报", level=2)]
    if not late:
        blocks.append(Paragraph("截至发文之日，没有超过整改期限仍未申请销号的整改事项。"))
        return blocks
    blocks.append(
        Paragraph(
            f"截至{scope.as_of:%Y年%-m月%-d日}，以下{len(late)}项整改事项已超过整改期限仍未"
            "申请销号，予以通报，请责任单位立即整改到位。"
        )
    )
    blocks.append(
        Table(
            title="超期整改事项清单",
            headers=("编号", "责任单位", "存在问题", "提出方", "整改期限", "超期（天）"),
            rows=[
                (
                    item.code,
                    item.unit.name,
                    item.problem[:40],
                    item.group.name if item.group else item.raised_unit.name,
                    f"{item.due:%Y-%m-%d}",
                    (scope.as_of - item.due).days,
                )
                for item in late
            ],
            sheet="超期整改事项",
            shown=OVERDUE_SHOWN,
        )
    )
    return blocks


def rectification_overview(values: Values, scope: Scope) -> list[str]:
    return [
        f"{scope.place}共提出整改事项{values.text('rectification.raised')}，"
        f"已销号{values.text('rectification.closed')}，"
        f"销号率{values.text('rectification.close_rate')}，"
        f"超期未整改{values.text('rectification.overdue')}。"
    ]


RECTIFICATION_SOURCE = Source(
    key="rectification",
    title="整改落实",
    order=33,
    state=True,
    collect=collect_rectification,
    figures=RECTIFICATION_FIGURES,
    breakdowns=RECTIFICATION_BREAKDOWNS,
    headline=(
        "rectification.raised",
        "rectification.close_rate",
        "rectification.on_time_rate",
        "rectification.overdue",
    ),
    overview=rectification_overview,
    bulletin=rectification_bulletin,
)
