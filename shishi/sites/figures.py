"""What visit bookings tell the dashboards, /stats/, the bulletin and the overview
(core.figures): a flow per month, counted for the unit that runs each site.

`booked` batches (bookings the site confirmed, by visit day: pending, rejected, expired and
cancelled ones are not visits), `batches` received (checked in) and
their `visits` (people who actually came: 人次), `no_show` (closed 未到场 at the end of the
day), `seats_booked` (headcount booked) over `seats_offered` (the seats of every slot the
site opened in the month, closures left out): utilisation; by kind of site (`kind:…`)."""

from collections import defaultdict
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse

from shishi.core.documents import Heading, Paragraph, Table
from shishi.core.figures import Breakdown, Figure, Kind, Scope, Source, Values
from shishi.sites import queries
from shishi.sites.access import Perm
from shishi.sites.models import Booking, Closure, Site


def _offered(start: date, end: date) -> dict[int, int]:
    """Seats offered per unit in [start, end): two queries."""
    sites = list(Site.objects.filter(active=True).order_by())
    closures = defaultdict(list)
    for closure in Closure.objects.filter(start__lt=end, end__gte=start).order_by():
        closures[closure.site_id].append((closure.start, closure.end))
    offered: dict[int, int] = defaultdict(int)
    for site in sites:
        per_day = len(site.slot_starts()) * site.capacity
        day = start
        while day < end:
            closed = any(a <= day <= b for a, b in closures[site.pk])
            if site.opens_on_weekday(day) and not closed:
                offered[site.unit_id] += per_day
            day += timedelta(days=1)
    return offered


# What the site agreed to receive: confirmed, then checked in or not.
CONFIRMED = (Booking.Status.BOOKED, Booking.Status.CHECKED_IN, Booking.Status.NO_SHOW)


def collect(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """Bookings whose visit day falls in [start, end), per unit running the site: three
    queries."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        Booking.objects.filter(day__gte=start, day__lt=end, status__in=CONFIRMED)
        .values("site__unit_id", "site__kind", "status")
        .annotate(n=Count("pk"), people=Sum("headcount"), came=Sum("arrived"))
        .order_by()
    )
    for row in rows:
        unit = counts[row["site__unit_id"]]
        unit["booked"] += row["n"]
        unit["seats_booked"] += row["people"] or 0
        if row["status"] == Booking.Status.CHECKED_IN:
            unit["batches"] += row["n"]
            unit["visits"] += row["came"] or 0
            unit[f"kind:{row['site__kind']}"] += row["n"]
        elif row["status"] == Booking.Status.NO_SHOW:
            unit["no_show"] += row["n"]
    for unit_id, seats in _offered(start, end).items():
        counts[unit_id]["seats_offered"] += seats
    return {unit_id: dict(c) for unit_id, c in counts.items()}


def _bookings(scope: Scope, **filters) -> str:
    """The 参访预约 list as the figures count it: the scope's period."""
    query = {
        "start": f"{scope.period.start:%Y-%m-%d}",
        "end": f"{scope.period.last_day:%Y-%m-%d}",
        **filters,
    }
    return f"{reverse('sites:bookings')}?{urlencode(query)}"


def _rate(part: str, whole: str):
    def value(counts):
        total = sum(counts.get(key, 0) for key in whole.split("+"))
        return counts.get(part, 0) / total if total else None

    return value


FIGURES = (
    Figure(
        "sites.batches",
        "接待参访批次",
        "批",
        "在参访点签到的预约批次，按参观日期计（取消、未到场的不计）。",
        lambda c: c.get("batches", 0),
        drill=lambda scope: _bookings(scope, status=Booking.Status.CHECKED_IN),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "sites.visits",
        "参访人次",
        "人次",
        "签到时登记的实到人数相加。",
        lambda c: c.get("visits", 0),
        drill=lambda scope: _bookings(scope, status=Booking.Status.CHECKED_IN),
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "sites.booked",
        "预约批次",
        "批",
        "参观日期在期内、经参访点确认的预约（含已签到、未到场和待参观的；待确认、已退回、逾期未确认和已取消的不计）。",
        lambda c: c.get("booked", 0),
        drill=_bookings,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "sites.utilisation",
        "时段利用率",
        "%",
        "经确认的预约人数 ÷ 开放时段可接待人数（闭馆日不计）。",
        _rate("seats_booked", "seats_offered"),
        kind=Kind.RATE,
    ),
    Figure(
        "sites.no_show_rate",
        "爽约率",
        "%",
        "未到场的批次 ÷ （签到批次 + 未到场批次）；当天结束时未签到的预约记为未到场。",
        _rate("no_show", "batches+no_show"),
        kind=Kind.RATE,
        drill=lambda scope: _bookings(scope, status=Booking.Status.NO_SHOW),
        drill_perm=Perm.VIEW,
    ),
)

BREAKDOWNS = (
    Breakdown(
        "kind",
        "接待批次（按参访点类型）",
        lambda: dict(Site.Kind.choices),
        chart="barh",
        unit="批",
    ),
)


BULLETIN_SHOWN = 15  # sites printed in the text; all of them in the annex


def bulletin(scope: Scope) -> list:
    """The bulletin's table of the sites that received visits in the period (the busiest
    first); no section when no site of the scope was visited."""
    rows = queries.site_totals(
        under_path=scope.path, start=scope.period.start, end=scope.period.end
    )
    if not rows:
        return []
    batches = sum(row["batches"] for row in rows)
    people = sum(row["people"] or 0 for row in rows)
    return [
        Heading("红色教育参访点接待情况", level=2),
        Paragraph(
            f"{scope.period.label}，{scope.place}{len(rows)}个红色教育参访点共接待参访"
            f"{batches:,}批、{people:,}人次。"
        ),
        Table(
            title="各参访点接待情况",
            headers=("参访点", "所在县区", "接待批次", "参访人次", "未到场批次"),
            rows=[
                (
                    row["site__name"],
                    row["site__county__name"],
                    row["batches"],
                    row["people"] or 0,
                    row["no_show"],
                )
                for row in rows
            ],
            note="按参观日期统计；参访人次为签到时登记的实到人数。",
            sheet="参访点接待",
            shown=BULLETIN_SHOWN,
        ),
    ]


def overview(values: Values, scope: Scope) -> list[str]:
    return [
        f"{scope.place}红色教育参访点共接待参访{values.text('sites.batches')}、"
        f"{values.text('sites.visits')}，时段利用率{values.text('sites.utilisation')}，"
        f"爽约率{values.text('sites.no_show_rate')}。"
    ]


SOURCE = Source(
    key="sites",
    title="红色教育参访",
    order=35,
    collect=collect,
    figures=FIGURES,
    breakdowns=BREAKDOWNS,
    headline=("sites.batches", "sites.visits", "sites.utilisation", "sites.no_show_rate"),
    public=("sites.batches", "sites.visits"),
    overview=overview,
    bulletin=bulletin,
)
