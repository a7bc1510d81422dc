"""What appeals tell the dashboards, the bulletin and the overview (core.figures): the counts
per handling unit and month, and the figures made of them. The 三率 and the score come from
`metrics` (their only definition); this module only names and counts.

Counts per unit and month (`collect`):
- the metrics' `Figures` fields (dispatches, replies, verdicts, overdue: see metrics);
- `received`: appeals received in the month that the unit holds now, also by status,
  top-level category, channel and kind (`status:closed`, `category:12`, …).
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from shishi.appeals import metrics
from shishi.appeals.access import Perm
from shishi.appeals.models import (
    IN_HAND_STATUSES,
    OPEN_STATUSES,
    Appeal,
    Category,
    Channel,
    Kind,
    Status,
)
from shishi.core.documents import Block, Heading, Paragraph, Table
from shishi.core.figures import Breakdown, Counts, Figure, Scope, Source, Values
from shishi.core.figures import Kind as FigureKind
from shishi.core.supervision import Level
from shishi.orgs.models import Unit
from shishi.orgs.queries import ranking_groups

# Lists of the 通报 table in the bulletin: at most this many rows in the text (all in the annex).
NOTICE_SHOWN = 30


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def collect(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """Counts per unit id for [start, end): the metrics' three queries, one for what was
    received, one for the category tree."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_unit = metrics.unit_figures(start=_aware(start), end=_aware(end), today=today)
    for unit_id, unit_figures in per_unit.items():
        counts[unit_id].update(unit_figures.counts())
    roots = _category_roots()
    received = (
        Appeal.objects.filter(received_at__gte=_aware(start), received_at__lt=_aware(end))
        .values_list("holder_id", "status", "category_id", "channel", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for holder_id, status, category_id, channel, kind, n in received:
        unit = counts[holder_id]
        unit["received"] += n
        unit[f"status:{status}"] += n
        unit[f"category:{roots.get(category_id, category_id)}"] += n
        unit[f"channel:{channel}"] += n
        unit[f"kind:{kind}"] += n
    return {unit_id: dict(c) for unit_id, c in counts.items()}


def _category_roots() -> dict[int, int]:
    """Each category's top-level category (the tree is a few hundred rows)."""
    rows = list(Category.objects.values_list("pk", "parent_id"))
    parent = dict(rows)
    roots = {}
    for pk, _ in rows:
        node = pk
        while parent.get(node):
            node = parent[node]
        roots[pk] = node
    return roots


def _top_categories() -> dict[str, str]:
    return {
        str(pk): name
        for pk, name in Category.objects.filter(parent=None)
        .order_by("sort", "name")
        .values_list("pk", "name")
    }


# --- Drill-downs: the staff list behind a number --------------------------------------------


def _list_url(scope: Scope, **filters) -> str:
    query = {"queue": "all", "unit": scope.unit.pk, **filters}
    return f"{reverse('appeals:queue')}?{urlencode(query)}"


def _received(scope: Scope, **filters) -> str:
    last = scope.period.last_day
    return _list_url(scope, since=scope.period.start, until=last, **filters)


def _overdue(scope: Scope) -> str | None:
    """Appeals in hand whose handling deadline fell in the period and has passed."""
    last = min(scope.period.last_day, scope.as_of - timedelta(days=1))
    if last < scope.period.start:
        return None
    return _list_url(scope, overdue=1, due_since=scope.period.start, due_until=last)


def _ranking(scope: Scope) -> str | None:
    """The ranking page ranks one month: a longer period has no page to open."""
    if scope.period.span != "month":
        return None
    return f"{reverse('appeals:ranking')}?month={scope.period.start:%Y-%m}"


def _rate(name: str):
    return lambda counts: getattr(metrics.Figures.of(counts), name)


def _status_value(code: str):
    return lambda counts: counts.get(f"status:{code}", 0)


FIGURES = (
    Figure(
        "appeals.received",
        "受理诉求",
        "件",
        "本期受理、现由本单位及下级承办的诉求件数。",
        lambda c: c.get("received", 0),
        drill=_received,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "appeals.closed",
        "已办结",
        "件",
        "本期受理的诉求中已办结（群众已评价或评价期满）的件数。",
        _status_value(Status.CLOSED),
        drill=lambda scope: _received(scope, status=Status.CLOSED),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "appeals.open",
        "在办",
        "件",
        "本期受理的诉求中尚在派单、签收、办理或重办的件数。",
        lambda c: sum(c.get(f"status:{s}", 0) for s in OPEN_STATUSES),
        drill=_received,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "appeals.overdue",
        "超期未答复",
        "件",
        dict(metrics.LEGEND)["超期未答复"],
        lambda c: c.get("overdue", 0),
        drill=_overdue,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "appeals.dispatched",
        "派单",
        "件",
        "本期派给本单位及下级（不含协办）、已签收或已过签收期限的件数：响应率的分母。",
        lambda c: c.get("dispatched", 0),
        drill=_ranking,
        drill_perm=Perm.RANKING,
    ),
    *(
        Figure(
            f"appeals.{key}",
            label,
            "%",
            dict(metrics.LEGEND)[label],
            _rate(attr),
            kind=FigureKind.RATE,
            drill=_ranking,
            drill_perm=Perm.RANKING,
        )
        for key, label, attr in (
            ("response", "响应率", "response"),
            ("on_time", "按时办结率", "on_time"),
            ("solved", "解决率", "solved_rate"),
            ("satisfied", "满意率", "satisfied_rate"),
        )
    ),
    Figure(
        "appeals.score",
        "综合得分",
        "分",
        dict(metrics.LEGEND)["综合得分"],
        _rate("score"),
        kind=FigureKind.AVERAGE,
        drill=_ranking,
        drill_perm=Perm.RANKING,
    ),
)

BREAKDOWNS = (
    Breakdown(
        "status",
        "按状态",
        lambda: dict(Status.choices),
        chart="pie",
        drill=lambda scope, code: _received(scope, status=code),
        drill_perm=Perm.VIEW,
    ),
    Breakdown(
        "category",
        "按分类",
        _top_categories,
        chart="barh",
        drill=lambda scope, code: _received(scope, category=code),
        drill_perm=Perm.VIEW,
    ),
    Breakdown(
        "channel",
        "按渠道",
        lambda: dict(Channel.choices),
        chart="pie",
        drill=lambda scope, code: _received(scope, channel=code),
        drill_perm=Perm.VIEW,
    ),
    Breakdown(
        "kind",
        "按类型",
        lambda: dict(Kind.choices),
        chart="pie",
        drill=lambda scope, code: _received(scope, kind=code),
        drill_perm=Perm.VIEW,
    ),
)


def overview(values: Values, scope: Scope) -> list[str]:
    sentences = [
        f"{scope.place}共受理群众诉求{values.text('appeals.received')}，"
        f"已办结{values.text('appeals.closed')}，在办{values.text('appeals.open')}，"
        f"超期未答复{values.text('appeals.overdue')}。"
    ]
    sentences.append(
        f"响应率{values.text('appeals.response')}，按时办结率{values.text('appeals.on_time')}；"
        f"按群众评价，解决率{values.text('appeals.solved')}，"
        f"满意率{values.text('appeals.satisfied')}；综合得分{values.text('appeals.score')}。"
    )
    return sentences


# --- Rankings and the bulletin section -------------------------------------------------------

RANKING_HEADERS = (
    "排名", "单位", "派单（件）", "响应率（%）", "按时办结率（%）", "解决率（%）",
    "满意率（%）", "超期未答复（件）", "综合得分", "备注",
)  # fmt: skip


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def _remark(row: metrics.RankedUnit, ranking: metrics.Ranking) -> str:
    if row.interview:
        return "约谈候选"
    if row.attention:
        return "需关注"
    if row in ranking.apart:
        return "件数不足，不排名" if row.figures.low_volume else "数据不足，不排名"
    return ""


def rankings(scope: Scope, per_unit: dict[int, Counts]) -> list[Table]:
    """A ranking table per peer group under the scope's unit, from the summary's counts."""
    units = Unit.objects.filter(path__startswith=scope.path)
    tables = []
    figures_of = {unit_id: metrics.Figures.of(c) for unit_id, c in per_unit.items()}
    for group in ranking_groups(units, root=scope.unit).values():
        ranking = metrics.rank(
            group["units"], month=scope.period.start, today=scope.as_of, per_unit=figures_of
        )
        rows = []
        for row in [*ranking.ranked, *ranking.apart, *ranking.idle]:
            f = row.figures
            rows.append(
                (
                    row.rank or "—",
                    row.unit.name,
                    f.dispatched,
                    _percent(f.response),
                    _percent(f.on_time),
                    _percent(f.solved_rate),
                    _percent(f.satisfied_rate),
                    f.overdue,
                    f.score,
                    _remark(row, ranking)
                    if row in ranking.ranked or row in ranking.apart
                    else "无诉求",
                )
            )
        tables.append(
            Table(
                title=f"{group['label']}诉求办理排名（{scope.period.label}）",
                headers=RANKING_HEADERS,
                rows=rows,
                note=(
                    f"派单不足{ranking.min_volume}件或有数据的比率不足一半权重的单位不排名；"
                    f"排名后{ranking.bottom}位为约谈候选。“—”为无数据，不按0计。"
                ),
                sheet=f"排名-{group['label']}"[:31],
            )
        )
    return tables


def bulletin(scope: Scope) -> list[Block]:
    """The bulletin's 通报 list: appeals at the 通报 rung still unanswered, longest late first."""
    late = list(
        Appeal.objects.filter(
            status__in=IN_HAND_STATUSES,
            supervision__gte=Level.NOTIFY,
            holder__path__startswith=scope.path,
        )
        .select_related("holder", "category")
        .order_by("handle_due", "pk")
    )
    blocks: list[Block] = [Heading("超期诉求通报", level=2)]
    if not late:
        blocks.append(Paragraph("截至发文之日，没有达到通报级别的超期诉求。"))
        return blocks
    blocks.append(
        Paragraph(
            f"截至{scope.as_of:%Y年%-m月%-d日}，以下{len(late)}件诉求超过办理期限已达通报级别，"
            "仍未答复，予以通报，请承办单位立即办理并答复群众。"
        )
    )
    blocks.append(
        Table(
            title="超期未答复诉求通报清单",
            headers=("受理编号", "分类", "承办单位", "办理期限", "超期（天）", "督办级别"),
            rows=[
                (
                    a.code,
                    a.category.name,
                    a.holder.name,
                    f"{a.handle_due:%Y-%m-%d}",
                    (scope.as_of - a.handle_due).days,
                    a.get_supervision_display(),
                )
                for a in late
            ],
            sheet="通报清单",
            shown=NOTICE_SHOWN,
        )
    )
    return blocks


SOURCE = Source(
    key="appeals",
    title="群众诉求办理",
    order=10,
    collect=collect,
    figures=FIGURES,
    breakdowns=BREAKDOWNS,
    headline=(
        "appeals.received",
        "appeals.closed",
        "appeals.overdue",
        "appeals.response",
        "appeals.solved",
        "appeals.satisfied",
    ),
    public=(
        "appeals.received",
        "appeals.closed",
        "appeals.response",
        "appeals.on_time",
        "appeals.solved",
        "appeals.satisfied",
    ),
    overview=overview,
    rankings=rankings,
    bulletin=bulletin,
)
