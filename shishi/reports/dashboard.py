"""What a dashboard shows, built from the registry and the summary tables: number cards with
their definitions and drill-downs, a chart per breakdown, the sub-units, the monthly trend and
the rankings. Staff pages and the public /stats/ page read the same builder (`public=True`
keeps to the figures a module marked public and drops every link)."""

import functools
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from shishi.core import figures
from shishi.core.documents import Table
from shishi.core.figures import Figure, Period, Scope
from shishi.orgs.models import Unit
from shishi.orgs.queries import city_root
from shishi.reports import summary
from shishi.reports.models import Refresh, Summary

TREND_MONTHS = 12
# A rendered dashboard is kept until the summary is next refreshed (its time is in the key),
# and no longer than this.
BOARD_SECONDS = 600
CHILDREN_SHOWN = 30  # sub-units charted; the table lists them all


@dataclass
class Card:
    label: str
    text: str
    explain: str
    rollup: str
    url: str | None
    no_data: bool


@dataclass
class Chart:
    """One ECharts chart: items (name, value, url) or, for a trend, series over labels."""

    id: str
    title: str
    kind: str  # pie, bar, barh, line
    unit: str = ""
    items: list[dict] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    series: list[dict] = field(default_factory=list)
    urls: list[str | None] = field(default_factory=list)  # per label (trend)

    def data(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "unit": self.unit,
            "items": self.items,
            "labels": self.labels,
            "series": self.series,
            "urls": self.urls,
        }


@dataclass
class Panel:
    key: str
    title: str
    cards: list[Card]
    rows: list[Card]  # every figure, for the table under the cards
    charts: list[Chart]
    rankings: list[Table]
    month_used: date | None  # a state module: the month whose state is shown
    state: bool


@dataclass
class Dashboard:
    scope: Scope
    panels: list[Panel]
    taken_at: datetime | None
    # (module title, months of the period not counted, whether it keeps monthly states)
    missing: list[tuple[str, list[date], bool]]
    children: list[tuple[Unit, list[Card], str | None]]  # sub-unit, its cards, its dashboard

    @property
    def charts(self) -> list[Chart]:
        return [chart for panel in self.panels for chart in panel.charts]


def build(scope: Scope, *, public: bool = False, link=None, may=None) -> Dashboard:
    """The dashboard of a scope. `link(unit, period)` is the address of another dashboard
    (a sub-unit, a month of the trend); public pages give none. `may(perm)` says whether the
    viewer may open a list (no link where they may not); public pages link nothing."""
    can = may or (lambda perm: True)
    may = (lambda perm: False) if public else (lambda perm: not perm or can(perm))
    trend = summary.recent_months(scope.period.last_day, count=TREND_MONTHS)
    reading = summary.read(scope, trend_months=trend)
    children = list(
        Unit.objects.filter(parent=scope.unit, active=True).order_by("path")
        if not public
        else Unit.objects.filter(
            parent=scope.unit,
            active=True,
            kind__in=[Unit.Kind.COUNTY, Unit.Kind.DISTRICT, Unit.Kind.ZONE],
        ).order_by("path")
    )
    panels = []
    child_cards: dict[int, list[Card]] = {c.pk: [] for c in children}
    for source in figures.sources():
        if public and source.internal:
            continue
        counted = reading[source.key]
        shown = [source.figure(k) for k in (source.public if public else source.headline)]
        values = counted.values
        cards = [_card(f, values, scope, may) for f in shown]
        rows = [_card(f, values, scope, may) for f in source.figures]
        if public:
            rows = [r for r in rows if r.label in {f.label for f in shown}]
        charts = [
            _breakdown_chart(source.key, b, counted.total, scope, may) for b in source.breakdowns
        ]
        charts = [c for c in charts if c.items]
        per_child = reading.roll_up(source.key, children)
        first = shown[0] if shown else None
        if first is not None and children:
            charts.append(_children_chart(source, first, per_child, children, scope, link))
            for child in children:
                child_values = figures.values(source, per_child[child.pk])
                if not counted.counted:
                    child_values = counted.values
                child_cards[child.pk].append(
                    _card(first, child_values, _scope_of(child, scope), may)
                )
        if not source.state:
            charts.append(_trend_chart(source, counted, trend, scope, link))
        rankings = (
            source.rankings(scope, counted.per_unit)
            if source.rankings and not public and counted.counted
            else []
        )
        panels.append(
            Panel(
                key=source.key,
                title=source.title,
                cards=cards,
                rows=rows,
                charts=charts,
                rankings=rankings,
                month_used=counted.counted[-1] if source.state and counted.counted else None,
                state=source.state,
            )
        )
    return Dashboard(
        scope=scope,
        panels=panels,
        taken_at=reading.taken_at,
        missing=[
            (m.source.title, m.missing, m.source.state)
            for m in reading.modules.values()
            if m.missing
        ],
        children=[
            (c, child_cards[c.pk], link(c, scope.period) if link else None) for c in children
        ],
    )


def _scope_of(unit: Unit, scope: Scope) -> Scope:
    return Scope(unit=unit, period=scope.period, as_of=scope.as_of)


def _opens(drill, perm: str, may) -> bool:
    return drill is not None and may(perm)


def _card(figure: Figure, values: figures.Values, scope: Scope, may) -> Card:
    value = values.get(figure.key)
    return Card(
        label=figure.label,
        text=figure.text(value),
        explain=figure.explain,
        rollup=figure.rollup,
        url=figure.drill(scope) if _opens(figure.drill, figure.drill_perm, may) else None,
        no_data=value is None,
    )


def _breakdown_chart(key, breakdown, counts, scope, may) -> Chart:
    values = breakdown.values(counts)
    if breakdown.chart == "barh":  # many bars: the largest first
        values = sorted(values, key=lambda row: -row[2])
    return Chart(
        id=f"{key}-{breakdown.key}",
        title=breakdown.title,
        kind=breakdown.chart,
        unit=breakdown.unit,
        items=[
            {
                "code": code,
                "name": label,
                "value": n,
                "url": breakdown.drill(scope, code)
                if _opens(breakdown.drill, breakdown.drill_perm, may)
                else None,
            }
            for code, label, n in values
        ],
    )


def _children_chart(source, figure, per_child, children, scope, link) -> Chart:
    """The first headline figure per sub-unit (counties for the city), largest first."""
    ranked = sorted(
        children,
        key=lambda c: -(figure.value(per_child[c.pk]) or 0) if per_child[c.pk] else 1,
    )[:CHILDREN_SHOWN]
    return Chart(
        id=f"{source.key}-children",
        title=f"按下级单位：{figure.label}",
        kind="barh",
        unit=figure.unit,
        items=[
            {
                "code": str(c.pk),
                "name": c.name,
                "value": figure.value(per_child[c.pk]) if per_child[c.pk] else None,
                "url": link(c, scope.period) if link else None,
            }
            for c in ranked
        ],
    )


def _trend_chart(source, counted, months, scope, link) -> Chart:
    """The module's count figures among its headline, month by month."""
    shown = [
        source.figure(k)
        for k in source.headline
        if source.figure(k).kind in (figures.Kind.COUNT, figures.Kind.AMOUNT)
    ]
    return Chart(
        id=f"{source.key}-trend",
        title=f"近{len(months)}个月走势",
        kind="line",
        labels=[f"{m.year}年{m.month}月" for m in months],
        series=[
            {
                "name": f.label,
                "values": [
                    f.value(counted.per_month[m]) if counted.per_month.get(m) else None
                    for m in months
                ],
            }
            for f in shown
        ],
        urls=[link(scope.unit, Period.month(m)) if link else None for m in months],
    )


def rendered(
    scope: Scope, template: str, *, public: bool = False, link=None, may=None
) -> SafeString:
    """The dashboard of `scope` (see `build`) rendered with `template`, from the cache while
    the summary tables have not changed. Building and rendering cost a few hundred
    milliseconds of CPU whatever the data's size (docs/performance.md); the figures change
    only when the worker recounts them. The key holds everything the result depends on: the
    scope, the viewer's drill-down permissions (the links shown) and the summary's time."""
    can = may or (lambda perm: True)
    allowed = "".join("1" if can(perm) else "0" for perm in _drill_perms())
    # A recount replaces a month's rows (new ids) and stamps its Refresh: either changes.
    summed = Summary.objects.aggregate(last=Max("pk"), rows=Count("pk"))
    taken = Refresh.objects.aggregate(latest=Max("taken_at"))["latest"]
    key = ":".join(
        str(part)
        for part in (
            "dashboard",
            template,
            scope.unit.pk,
            scope.period.start,
            scope.period.last_day,
            scope.as_of,
            public,
            allowed,
            summed["last"],
            summed["rows"],
            taken.isoformat() if taken else "-",
        )
    )
    html = cache.get(key)
    if html is None:
        board = build(scope, public=public, link=link, may=may)
        html = render_to_string(
            template,
            {
                "board": board,
                "scope": scope,
                "public": public,
                "charts": {chart.id: chart.data() for chart in board.charts},
            },
        )
        cache.set(key, html, BOARD_SECONDS)
    return SafeString(html)


@functools.cache
def _drill_perms() -> tuple[str, ...]:
    """Every permission a dashboard's links depend on."""
    perms = set()
    for source in figures.sources():
        perms |= {f.drill_perm for f in source.figures if f.drill_perm}
        perms |= {b.drill_perm for b in source.breakdowns if b.drill_perm}
    return tuple(sorted(perms))


def public_scope(today: date) -> Scope:
    """/stats/: the whole city, this year to date."""
    return Scope(
        unit=city_root(), period=Period.months_from(date(today.year, 1, 1), today), as_of=today
    )


def staff_link(unit: Unit, period: Period) -> str:
    """A dashboard's address for a unit and period, the period said the way the form says
    it (a month, quarter or year by its month; else a run of months)."""
    base = f"{reverse('reports:dashboard')}?unit={unit.pk}&span={period.span}"
    if period.span == "custom":
        return f"{base}&start={period.start:%Y-%m}&end={period.last_day:%Y-%m}"
    return f"{base}&month={period.start:%Y-%m}"
