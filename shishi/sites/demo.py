"""The demo city's red-education sites and routes, and bookings walked through the actions.

The 15 real sites and 2 real routes come from `fixtures/zhangzhou_red_sites.csv` and
`zhangzhou_red_routes.csv` (public facts; the shared reference data); generated sites (named
after the towns they stand in, marked 演示数据) and routes bring the city to the 116 sites and
68 routes Zhangzhou reported for 2021. Locations are approximate: the county seat's WGS84
position, moved a little per site — right county, not the exact door.

Bookings: visits of the last weeks confirmed by the site and checked in (a few no-shows, a
few never confirmed: 逾期未确认), and visits ahead booked by schools and party branches and
by the public — most confirmed, some still 待确认 (the sites' clerks find them on 待我审核),
a few 已退回 with the site's reason. Idempotent: a second run adds nothing."""

import csv
import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from shishi.core.errors import Refused
from shishi.orgs.demo import ZHISHAN, clerk_for, staff_of
from shishi.orgs.models import Role, Unit
from shishi.sites import actions
from shishi.sites.models import Booking, Route, RouteStop, Site

FIXTURES = Path(__file__).parent / "fixtures"
SITES_CSV = FIXTURES / "zhangzhou_red_sites.csv"
ROUTES_CSV = FIXTURES / "zhangzhou_red_routes.csv"
SITES_TOTAL = 116
ROUTES_TOTAL = 68

# County seats (WGS84, approximate), by 6-digit division code.
SEATS = {
    "350602": (24.5130, 117.6530),
    "350603": (24.5030, 117.7100),
    "350604": (24.4470, 117.8180),
    "350605": (24.6250, 117.7590),
    "350622": (23.9580, 117.3400),
    "350623": (24.1170, 117.6140),
    "350624": (23.7110, 117.1750),
    "350626": (23.7020, 117.4300),
    "350627": (24.5150, 117.3570),
    "350628": (24.3630, 117.3150),
    "350629": (25.0040, 117.5340),
}
# Where the best-known sites are (approximate).
KNOWN = {
    "毛主席率领红军攻克漳州纪念馆": (24.5228, 117.6520),
    "谷文昌纪念馆": (23.7220, 117.4250),
}
KINDS = {
    "纪念馆": Site.Kind.MEMORIAL,
    "陈列馆": Site.Kind.EXHIBITION,
    "革命旧址": Site.Kind.FORMER_SITE,
    "革命遗址": Site.Kind.FORMER_SITE,
    "战斗遗址": Site.Kind.BATTLE_SITE,
    "故居": Site.Kind.RESIDENCE,
}
GENERATED = (
    ("革命烈士纪念碑", Site.Kind.MONUMENT),
    ("党史教育馆", Site.Kind.EXHIBITION),
    ("红色文化教育基地", Site.Kind.BASE),
    ("革命烈士陵园", Site.Kind.CEMETERY),
    ("农会旧址", Site.Kind.FORMER_SITE),
)
REJECT_REASONS = (
    "该时段已安排上级调研接待，请改约其他时段",
    "展厅布展调整，当日暂停团体接待",
    "团队人数超出讲解员接待能力，请分批预约",
)
ORGANISATIONS = (
    "漳州第一中学", "芗城实验小学", "市住建局机关党委", "龙文区税务局党支部", "漳州职业技术学院",
    "闽南师范大学学生会", "芝山社区党支部", "漳浦县老干部局", "市退役军人事务局", "西桥街道团工委",
)  # fmt: skip


def _county_units() -> dict[str, Unit]:
    return {
        unit.code[:6]: unit
        for unit in Unit.objects.filter(code__in=[f"{code}000000" for code in SEATS])
    }


def _spot(code: str, rng: random.Random) -> tuple[Decimal, Decimal]:
    lat, lng = SEATS[code]
    return (
        Decimal(f"{lat + rng.uniform(-0.08, 0.08):.6f}"),
        Decimal(f"{lng + rng.uniform(-0.08, 0.08):.6f}"),
    )


def _hours(rng: random.Random) -> dict:
    closes = rng.choice((time(17), time(17, 30), time(16, 30)))
    return {
        "capacity": rng.choice((30, 40, 50, 60, 80, 100, 120)),
        "open_days": rng.choice(("234567", "234567", "1234567", "12345")),
        "opens_at": rng.choice((time(8, 30), time(9))),
        "closes_at": closes,
        "slot_minutes": rng.choice((60, 60, 90)),
    }


def _load_sites(rng: random.Random) -> list[Site]:
    counties = _county_units()
    zhishan = Unit.objects.filter(code=ZHISHAN).first()
    sites = []
    with SITES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            county = counties[row["county_code"]]
            lat, lng = _spot(row["county_code"], rng)
            if row["name"] in KNOWN:
                lat, lng = (Decimal(f"{v:.6f}") for v in KNOWN[row["name"]])
            # 芝山红楼 is run by the street it stands in (its clerk checks visitors in).
            unit = zhishan if row["county_code"] == "350602" and zhishan else county
            sites.append(
                Site(
                    name=row["name"],
                    kind=KINDS.get(row["kind"], Site.Kind.FORMER_SITE),
                    county=county,
                    unit=unit,
                    address=row["place"],
                    latitude=lat,
                    longitude=lng,
                    description=row["facts"],
                    **_hours(rng),
                )
            )
    towns = list(
        Unit.objects.filter(parent__in=counties.values())
        .exclude(kind=Unit.Kind.DEPARTMENT)
        .select_related("parent")
        .order_by("code")
    )
    rng.shuffle(towns)
    number = 0
    while len(sites) < SITES_TOTAL:
        town = towns[number % len(towns)]
        suffix, kind = GENERATED[number % len(GENERATED)]
        code = town.parent.code[:6]
        lat, lng = _spot(code, rng)
        sites.append(
            Site(
                name=f"{town.name}{suffix}",
                kind=kind,
                county=town.parent,
                unit=town.parent,
                address=f"{town.parent.name}{town.name}",
                latitude=lat,
                longitude=lng,
                description="（演示数据）辖区红色教育场所，接待党员干部、学生团体参观学习。",
                **_hours(rng),
            )
        )
        number += 1
    Site.objects.bulk_create(sites)
    return list(Site.objects.select_related("county").order_by("pk"))


def _load_routes(sites: list[Site], rng: random.Random) -> int:
    by_name = {site.name: site for site in sites}
    routes: dict[str, list[tuple[int, int, Site]]] = {}
    with ROUTES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            routes.setdefault(row["route"], []).append(
                (int(row["day"]), int(row["order"]), by_name[row["site"]])
            )
    by_county: dict[int, list[Site]] = {}
    for site in sites:
        by_county.setdefault(site.county_id, []).append(site)
    counties = sorted(by_county, key=lambda pk: by_county[pk][0].county.path)
    number = 0
    while len(routes) < ROUTES_TOTAL:
        county = by_county[counties[number % len(counties)]]
        stops = rng.sample(county, min(len(county), rng.choice((2, 3, 3, 4))))
        name = f"{county[0].county.name}红色教育线路（{number // len(counties) + 1}）"
        if number % 9 == 8:  # now and then a two-day route: a second county the next day
            other = by_county[counties[(number + 3) % len(counties)]]
            plan = [(1, i + 1, s) for i, s in enumerate(stops)]
            plan += [(2, i + 1, s) for i, s in enumerate(rng.sample(other, min(len(other), 2)))]
            name = f"{county[0].county.name}—{other[0].county.name}两日红色研学线路"
        else:
            plan = [(1, i + 1, s) for i, s in enumerate(stops)]
        routes.setdefault(name, plan)
        number += 1
    for name, plan in routes.items():
        route = Route.objects.create(
            name=name, description="按顺序参观以下红色教育场所，可整条线路一次预约。"
        )
        RouteStop.objects.bulk_create(
            RouteStop(route=route, site=site, day=day, order=order) for day, order, site in plan
        )
    return len(routes)


def _visitor(rng: random.Random, site: Site, unit: Unit | None) -> actions.Visitor:
    return actions.Visitor(
        organisation=unit.name if unit else rng.choice(ORGANISATIONS),
        contact_name=rng.choice("陈林黄张李王吴刘") + rng.choice(("老师", "书记", "主任")),
        contact_phone=f"139{rng.randrange(10**8):08d}",
        headcount=rng.randint(max(1, site.capacity // 5), max(1, site.capacity // 2)),
        unit=unit,
    )


def _decide(booking: Booking, staff, rng: random.Random, *, today, rejected: int) -> str:
    """The site's clerk answers a pending booking three hours after it came in: past visits
    confirmed (now and then never: they expire), visits ahead mostly confirmed, some left
    pending, a few rejected (the first one ahead always, so the demo has one)."""
    if booking.status != Booking.Status.PENDING:
        return "booked"
    when = booking.booked_at + timedelta(hours=3)
    roll = rng.random()
    if booking.day > today and (rejected == 0 or roll < 0.05):
        actions.reject_booking(
            booking=booking, actor=staff, reason=rng.choice(REJECT_REASONS), now=when
        )
        return "rejected"
    if (booking.day < today and roll < 0.95) or (booking.day > today and roll < 0.65):
        actions.confirm_booking(booking=booking, actor=staff, now=when)
        return "booked"
    return "pending"


def _load_bookings(sites: list[Site], rng: random.Random) -> int:
    """Past visits (booked a week before, confirmed by the site, checked in on the day, some
    no-shows), then visits ahead; a few booked by 芝山街道 for itself. Each through the
    actions, at the moment it happened."""
    now = timezone.now()
    today = timezone.localdate(now)
    zhishan = Unit.objects.filter(code=ZHISHAN).first()
    booker = staff_of(zhishan, Role.UNIT_CLERK) if zhishan else None
    made = rejected = 0
    for site in sites:
        staff = clerk_for(site.unit)
        for _ in range(rng.randint(2, 7)):
            day = today + timedelta(days=rng.randint(-60, 14))
            if day == today:
                continue
            start = rng.choice(site.slot_starts())
            # A week ahead, and never later than a few hours ago (nothing dated in the future).
            booked_at = min(
                timezone.make_aware(datetime.combine(day - timedelta(days=7), time(10))),
                now - timedelta(hours=4),
            )
            by_unit = booker is not None and rng.random() < 0.15
            try:
                booking = actions.book_visit(
                    site=site,
                    day=day,
                    start=start,
                    visitor=_visitor(rng, site, zhishan if by_unit else None),
                    actor=booker if by_unit else None,
                    now=booked_at,
                )
            except Refused:  # closed that day, or full: a visitor would pick another
                continue
            made += 1
            decided = _decide(booking, staff, rng, today=today, rejected=rejected)
            rejected += decided == "rejected"
            if decided == "booked" and day < today and rng.random() < 0.85:
                arrived = max(1, booking.headcount - rng.randint(0, 3))
                on_the_day = timezone.make_aware(datetime.combine(day, start))
                actions.check_in(
                    presented=booking.code, arrived=arrived, actor=staff, now=on_the_day
                )
    actions.close_no_shows(now=now)
    actions.expire_unconfirmed(now=now)
    return made + _today_at_zhishan(sites, rng, now)


def _today_at_zhishan(sites: list[Site], rng: random.Random, now) -> int:
    """Two groups due at the 芝山 site for zs_clerk — later today, or the next open day when
    today's slots are over: the first confirmed (今天待签到 when today), the second still to
    confirm (on 待我审核)."""
    site = next((s for s in sites if s.unit.code == ZHISHAN), None)
    if site is None:
        return 0
    clerk = clerk_for(site.unit)
    today = timezone.localdate(now)
    for offset in range(8):
        day = today + timedelta(days=offset)
        clock = timezone.localtime(now).time() if offset == 0 else time(0)
        made = 0
        for start in [s for s in site.slot_starts() if s > clock][:2]:
            try:
                booking = actions.book_visit(
                    site=site,
                    day=day,
                    start=start,
                    visitor=_visitor(rng, site, None),
                    actor=None,
                    now=now,
                )
            except Refused:  # closed that day, or full
                continue
            if made == 0:
                actions.confirm_booking(booking=booking, actor=clerk, now=now)
            made += 1
        if made:
            return made
    return 0


@transaction.atomic
def demo_sites() -> str:
    if Site.objects.exists():
        return (
            f"已有 {Site.objects.count()} 个参访点、{Route.objects.count()} 条线路、"
            f"{Booking.objects.count()} 个预约，未改动"
        )
    rng = random.Random(1921)
    sites = _load_sites(rng)
    routes = _load_routes(sites, rng)
    sites = list(Site.objects.select_related("county", "unit").order_by("pk"))
    bookings = _load_bookings(sites, rng)
    return (
        f"{len(sites)} 个参访点、{routes} 条线路、{bookings} 个预约"
        "（含已签到、未到场、待确认和已退回）"
    )
