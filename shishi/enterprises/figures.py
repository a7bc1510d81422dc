"""What the enterprise desk tells the dashboards, the bulletin and the overview (core.figures).

挂钩服务 (`SOURCE`), a flow per month: visits made (counted for the cadre's unit), new
pairings, enterprise problems raised, closed and closed in time (for the enterprise's county),
and benefits delivered by kind, in fen so the counts stay whole numbers and add up exactly;
the figures print them in 万元, or 亿元 once past ten thousand 万.

企业挂钩 (`PAIRING_SOURCE`), a state: per county, the enterprises registered and those with a
cadre paired now."""

from collections import defaultdict
from datetime import date, datetime, time
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.urls import reverse

from shishi.core.documents import Heading, Paragraph, Table
from shishi.core.figures import Breakdown, Figure, Kind, Scope, Source, Values
from shishi.enterprises.access import Perm
from shishi.enterprises.models import Benefit, Enterprise, Pairing, Problem, Visit
from shishi.enterprises.queries import CLOSED_STATES

KINDS = Benefit.Kind


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def collect(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """The month [start, end) per unit: four queries."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        Visit.objects.filter(visited_on__gte=start, visited_on__lt=end)
        .values("unit_id", "form")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["unit_id"]]["visits"] += row["n"]
        counts[row["unit_id"]][f"form:{row['form']}"] += row["n"]
    for row in (
        Pairing.objects.filter(starts_on__gte=start, starts_on__lt=end)
        .values("enterprise__county_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["enterprise__county_id"]]["paired"] += row["n"]
    begin, finish = _moment(start), _moment(end)
    problems = Problem.objects.filter(
        Q(raised_at__gte=begin, raised_at__lt=finish)
        | Q(appeal__closed_at__gte=begin, appeal__closed_at__lt=finish)
    ).values_list(
        "enterprise__county_id",
        "raised_at",
        "appeal__status",
        "appeal__closed_at",
        "appeal__replied_at",
        "appeal__handle_due",
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    for county, raised, status, closed, replied, due in problems:
        unit = counts[county]
        if begin <= raised < finish:
            unit["raised"] += 1
        if status not in CLOSED_STATES and closed is None:
            continue
        if closed is not None and begin <= closed < finish:
            unit["closed"] += 1
            if replied is not None and due is not None and replied.astimezone(zone).date() <= due:
                unit["closed_in_time"] += 1
    for row in (
        Benefit.objects.filter(granted_on__gte=start, granted_on__lt=end)
        .values("enterprise__county_id", "kind")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by()
    ):
        unit = counts[row["enterprise__county_id"]]
        unit[f"fen:{row['kind']}"] += int(row["total"] * 100)
        unit["benefits"] += row["n"]
    return {unit_id: dict(c) for unit_id, c in counts.items()}


def money(fen: int) -> float:
    """Fen as 万元 (the figures' unit)."""
    return fen / 1_000_000


def money_text(wan: float | None) -> str:
    """万元, or 亿元 once it is large (the way the city's own summary wrote 3.9亿)."""
    if wan is None:
        return "无数据"
    if wan >= 10_000:
        return f"{wan / 10_000:,.2f}亿元"
    return f"{wan:,.2f}万元"


class MoneyFigure(Figure):
    def text(self, value) -> str:
        return money_text(value)


def _list(name: str, scope: Scope, **filters) -> str:
    query = {
        "start": f"{scope.period.start:%Y-%m-%d}",
        "end": f"{scope.period.last_day:%Y-%m-%d}",
        **filters,
    }
    if name == "problems":  # the problem list has no dates: its county only
        query = {"county": scope.unit.pk} if not scope.is_city else {}
    return f"{reverse(f'enterprises:{name}')}?{urlencode(query)}"


def _fen(counts, kind: str) -> int:
    return counts.get(f"fen:{kind}", 0)


FIGURES = (
    Figure(
        "enterprises.visits",
        "走访企业",
        "次",
        "挂钩干部登记的走访次数（实地、电话、座谈），按走访日期计入干部所在单位。",
        lambda c: c.get("visits", 0),
        drill=lambda scope: _list("visits", scope),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "enterprises.paired",
        "新增挂钩",
        "对",
        "市、县（区）挂钩办新安排的干部—企业挂钩关系，按挂钩开始日期计入企业所在县区。",
        lambda c: c.get("paired", 0),
        drill=lambda scope: reverse("enterprises:list"),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "enterprises.raised",
        "企业诉求",
        "件",
        "走访发现、干部登记和企业自主反映的问题，进入诉求办理的件数，按提出时间计入企业所在县区。",
        lambda c: c.get("raised", 0),
        drill=lambda scope: _list("problems", scope),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "enterprises.closed",
        "办结企业诉求",
        "件",
        "企业诉求对应的诉求办结的件数，按办结时间计。",
        lambda c: c.get("closed", 0),
        drill=lambda scope: _list("problems", scope),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "enterprises.in_time",
        "按期办结率",
        "%",
        "办结的企业诉求中，在办理期限内答复的比例。",
        lambda c: (c.get("closed_in_time", 0) / c["closed"]) if c.get("closed") else None,
        kind=Kind.RATE,
    ),
    MoneyFigure(
        "enterprises.funds",
        "政策资金兑现",
        "万元",
        "登记的政策资金兑现金额（元，到分）相加，按兑现日期计入企业所在县区。",
        lambda c: money(_fen(c, KINDS.FUNDS)),
        kind=Kind.AMOUNT,
        drill=lambda scope: _list("benefits", scope, kind=KINDS.FUNDS),
        drill_perm=Perm.VIEW,
    ),
    MoneyFigure(
        "enterprises.tax",
        "减税降费",
        "万元",
        "登记的减税降费金额相加，按兑现日期计入企业所在县区。",
        lambda c: money(_fen(c, KINDS.TAX)),
        kind=Kind.AMOUNT,
        drill=lambda scope: _list("benefits", scope, kind=KINDS.TAX),
        drill_perm=Perm.VIEW,
    ),
    MoneyFigure(
        "enterprises.financing",
        "融资支持",
        "万元",
        "登记的融资支持金额相加。",
        lambda c: money(_fen(c, KINDS.FINANCING)),
        kind=Kind.AMOUNT,
        drill=lambda scope: _list("benefits", scope, kind=KINDS.FINANCING),
        drill_perm=Perm.VIEW,
    ),
)

BREAKDOWNS = (
    Breakdown(
        "form",
        "按走访形式",
        lambda: dict(Visit.Form.choices),
        chart="pie",
        drill=lambda scope, code: _list("visits", scope, form=code),
        drill_perm=Perm.VIEW,
        unit="次",
    ),
)


def overview(values: Values, scope: Scope) -> list[str]:
    return [
        f"{scope.place}挂钩干部走访企业{values.text('enterprises.visits')}，"
        f"帮助企业提出诉求{values.text('enterprises.raised')}、办结"
        f"{values.text('enterprises.closed')}，兑现政策资金"
        f"{values.text('enterprises.funds')}，减税降费{values.text('enterprises.tax')}。"
    ]


def bulletin(scope: Scope) -> list:
    """The pairings not visited in time, per county (read from the base tables)."""
    rows = (
        Pairing.objects.filter(
            ends_on__isnull=True,
            visit_due__lt=scope.as_of,
            enterprise__county__path__startswith=scope.path,
        )
        .values("enterprise__county__name")
        .annotate(n=Count("pk"))
        .order_by("enterprise__county__path")
    )
    table = [(r["enterprise__county__name"], r["n"]) for r in rows]
    if not Pairing.objects.filter(enterprise__county__path__startswith=scope.path).exists():
        return []  # nobody paired: nothing to report is not "all visited"
    blocks: list = [Heading("挂钩干部走访企业情况", level=2)]
    if not table:
        return [*blocks, Paragraph("截至发文之日，挂钩干部均按期走访挂钩企业。")]
    return [
        *blocks,
        Paragraph(
            f"截至{scope.as_of:%Y年%-m月%-d日}，以下县区有挂钩干部超期未走访挂钩企业，请督促落实。"
        ),
        Table(title="超期未走访挂钩企业", headers=("县区", "超期未走访（家）"), rows=table),
    ]


SOURCE = Source(
    key="enterprises",
    title="挂钩服务企业",
    order=40,
    collect=collect,
    figures=FIGURES,
    breakdowns=BREAKDOWNS,
    headline=("enterprises.visits", "enterprises.raised", "enterprises.funds", "enterprises.tax"),
    public=("enterprises.raised", "enterprises.closed", "enterprises.funds", "enterprises.tax"),
    overview=overview,
    bulletin=bulletin,
)


def collect_pairing(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """Per county as of `today`: enterprises registered, and those with a current cadre."""
    counts: dict[int, dict[str, int]] = {}
    for row in (
        Enterprise.objects.values("county_id")
        .annotate(
            registered=Count("pk"),
            paired=Count("pairings", filter=Q(pairings__ends_on__isnull=True)),
        )
        .order_by()
    ):
        counts[row["county_id"]] = {"registered": row["registered"], "paired": row["paired"]}
    return counts


PAIRING_SOURCE = Source(
    key="pairing",
    title="干部挂钩企业",
    order=41,
    state=True,
    collect=collect_pairing,
    figures=(
        Figure(
            "pairing.registered",
            "登记企业",
            "家",
            "企业库中登记的企业（按所属县区）。",
            lambda c: c.get("registered", 0),
            drill=lambda scope: reverse("enterprises:list"),
            drill_perm=Perm.VIEW,
        ),
        Figure(
            "pairing.paired",
            "已挂钩企业",
            "家",
            "当前有干部挂钩服务的企业。",
            lambda c: c.get("paired", 0),
            drill=lambda scope: f"{reverse('enterprises:list')}?paired=yes",
            drill_perm=Perm.VIEW,
        ),
        Figure(
            "pairing.coverage",
            "挂钩覆盖率",
            "%",
            "已挂钩企业占登记企业的比例。",
            lambda c: (c.get("paired", 0) / c["registered"]) if c.get("registered") else None,
            kind=Kind.RATE,
        ),
    ),
    headline=("pairing.paired", "pairing.coverage"),
    public=("pairing.paired",),
)
