"""Reads of the sites module: a site's days and slots with the seats still free, the sites
by county with their free seats ahead, and the staff lists. Fixed query counts whatever the
number of sites, days or bookings."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from shishi.sites.models import (
    OPEN_STATUSES,
    Booking,
    Closure,
    Route,
    RouteStop,
    Site,
    SitePhoto,
    Slot,
)


@dataclass
class SlotRow:
    start: time
    end: time
    capacity: int
    booked: int
    past: bool

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)

    @property
    def bookable(self) -> bool:
        return not self.past and self.free > 0


@dataclass
class DayRow:
    day: date
    closed: str = ""  # why not open ("闭馆：修缮" / "周一闭馆"); empty when open
    slots: list[SlotRow] = field(default_factory=list)

    @property
    def free(self) -> int:
        return sum(slot.free for slot in self.slots if not slot.past)

    @property
    def weekday(self) -> str:
        return "一二三四五六日"[self.day.isoweekday() - 1]


def _closed(site: Site, day: date, closures: list[Closure]) -> str:
    for closure in closures:
        if closure.site_id == site.pk and closure.start <= day <= closure.end:
            return f"闭馆：{closure.reason}"
    if not site.opens_on_weekday(day):
        return f"周{'一二三四五六日'[day.isoweekday() - 1]}闭馆"
    return ""


def _days(
    site: Site,
    first: date,
    count: int,
    *,
    now: datetime,
    closures: list[Closure],
    booked: dict[tuple[int, date, time], tuple[int, int]],
) -> list[DayRow]:
    today, clock = timezone.localdate(now), timezone.localtime(now).time()
    rows = []
    for offset in range(count):
        day = first + timedelta(days=offset)
        row = DayRow(day=day, closed="" if site.active else "暂停预约")
        row.closed = row.closed or _closed(site, day, closures)
        if not row.closed:
            for start in site.slot_starts():
                capacity, taken = booked.get((site.pk, day, start), (site.capacity, 0))
                past = day < today or (day == today and start <= clock)
                row.slots.append(SlotRow(start, site.slot_end(start), capacity, taken, past))
        rows.append(row)
    return rows


def _slots_and_closures(site_ids, first: date, last: date):
    closures = list(Closure.objects.filter(site_id__in=site_ids, start__lte=last, end__gte=first))
    booked = {
        (site_id, day, start): (capacity, taken)
        for site_id, day, start, capacity, taken in Slot.objects.filter(
            site_id__in=site_ids, day__gte=first, day__lte=last
        ).values_list("site_id", "day", "start", "capacity", "booked")
    }
    return closures, booked


def site_days(site: Site, *, first: date, count: int, now: datetime) -> list[DayRow]:
    """A site's next `count` days from `first`: closed (and why) or its slots with the seats
    free. Two queries."""
    last = first + timedelta(days=count - 1)
    closures, booked = _slots_and_closures([site.pk], first, last)
    return _days(site, first, count, now=now, closures=closures, booked=booked)


def free_ahead(sites: list[Site], *, now: datetime, days: int = 7) -> dict[int, int]:
    """Each site's seats still free over the next `days` days (today's past slots left
    out). Two queries for any number of sites."""
    first = timezone.localdate(now)
    last = first + timedelta(days=days - 1)
    closures, booked = _slots_and_closures([site.pk for site in sites], first, last)
    return {
        site.pk: sum(
            row.free for row in _days(site, first, days, now=now, closures=closures, booked=booked)
        )
        for site in sites
    }


def by_county(sites: QuerySet[Site], *, now: datetime) -> list[tuple]:
    """(county, [(site, free seats this week)]) in the tree's order: three queries."""
    listed = list(sites.select_related("county").order_by("county__path", "name"))
    free = free_ahead(listed, now=now)
    groups: dict = defaultdict(list)
    counties = {}
    for site in listed:
        counties[site.county_id] = site.county
        groups[site.county_id].append((site, free[site.pk]))
    return [(counties[pk], groups[pk]) for pk in groups]


def stops_of(route: Route) -> list[RouteStop]:
    return list(route.stops.select_related("site", "site__county").order_by("day", "order"))


def routes_with_stops(routes: QuerySet[Route]) -> list[tuple[Route, list[RouteStop]]]:
    """Every route with its stops in order: two queries."""
    listed = list(routes.order_by("name"))
    stops = defaultdict(list)
    for stop in (
        RouteStop.objects.filter(route__in=listed).select_related("site").order_by("day", "order")
    ):
        stops[stop.route_id].append(stop)
    return [(route, stops[route.pk]) for route in listed]


def photos_of(site: Site) -> list[SitePhoto]:
    return list(site.photos.order_by("uploaded_at", "pk"))


def routes_through(site: Site) -> list[Route]:
    return list(Route.objects.filter(stops__site=site).distinct().order_by("name"))


def closures_of(site: Site, *, today: date) -> list[Closure]:
    """The site's closures not yet over."""
    return list(site.closures.filter(end__gte=today).order_by("start"))


def timeline(booking: Booking) -> list:
    return list(booking.events.select_related("actor").order_by("at", "pk"))


def group_of(booking: Booking) -> list[Booking]:
    """The bookings of one route booking (itself alone when it is not one)."""
    if not booking.group_code:
        return [booking]
    return list(
        Booking.objects.filter(group_code=booking.group_code)
        .select_related("site", "site__unit", "slot", "route")
        .order_by("day", "slot__start")
    )


def bookings_by_codes(codes: list[str]) -> list[Booking]:
    """The visitor's own bookings (their session keeps the codes)."""
    return list(
        Booking.objects.filter(code__in=codes)
        .select_related("site", "slot", "route")
        .order_by("-booked_at", "day")
    )


def find_for_visitor(code: str, phone_tail: str) -> Booking | None:
    """A booking by its code (or its route's) and the contact phone's last four digits."""
    code = code.strip().upper()
    if len(phone_tail) != 4 or not (phone_tail.isascii() and phone_tail.isdecimal()) or not code:
        return None
    return (
        Booking.objects.filter(
            Q(code=code) | Q(group_code=code), contact_phone__endswith=phone_tail
        )
        .select_related("site", "slot", "route")
        .first()
    )


def counties_of(sites: QuerySet[Site]) -> list[tuple[int, str]]:
    """(county id, name) of the counties the sites stand in, for a filter: one query."""
    return list(sites.order_by("county__path").values_list("county_id", "county__name").distinct())


def sites_of(sites: QuerySet[Site]) -> list[tuple[int, str]]:
    """(site id, name) for a filter: one query."""
    return list(sites.order_by("name").values_list("pk", "name"))


# --- Staff lists ------------------------------------------------------------------------------

SITE_SORTS = {
    "name": ("county__path", "name"),
    "capacity": ("-capacity", "name"),
    "bookings": ("-upcoming", "name"),
}


def site_list(
    rows: QuerySet[Site], *, county: int | None, kind: str, q: str, sort: str, today: date
) -> QuerySet[Site]:
    """The staff list of sites, with the bookings ahead of each: one query (plus the
    count for paging)."""
    if county:
        rows = rows.filter(county_id=county)
    if kind:
        rows = rows.filter(kind=kind)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(address__icontains=q))
    rows = rows.annotate(
        upcoming=Count(
            "bookings", filter=Q(bookings__day__gte=today, bookings__status__in=OPEN_STATUSES)
        )
    )
    return rows.select_related("county", "unit").order_by(*SITE_SORTS.get(sort, SITE_SORTS["name"]))


BOOKING_SORTS = {
    "day": ("day", "slot__start", "pk"),
    "-day": ("-day", "-slot__start", "-pk"),
    "booked": ("-booked_at", "-pk"),
    "headcount": ("-headcount", "day", "pk"),
}


def booking_list(
    rows: QuerySet[Booking],
    *,
    site: int | None,
    status: str,
    start: date | None,
    end: date | None,
    q: str,
    sort: str,
) -> QuerySet[Booking]:
    """The staff list of bookings: one query (plus the count for paging)."""
    if site:
        rows = rows.filter(site_id=site)
    if status:
        rows = rows.filter(status=status)
    if start:
        rows = rows.filter(day__gte=start)
    if end:
        rows = rows.filter(day__lte=end)
    if q:
        rows = rows.filter(
            Q(code__iexact=q)
            | Q(group_code__iexact=q)
            | Q(organisation__icontains=q)
            | Q(contact_name__icontains=q)
        )
    return rows.select_related("site", "slot", "route", "unit").order_by(
        *BOOKING_SORTS.get(sort, BOOKING_SORTS["day"])
    )


def arrivals(sites: QuerySet[Site], *, today: date) -> list[Booking]:
    """Today's bookings still to check in at `sites` (those still pending too: the group at
    the door is confirmed first), by slot: one query."""
    return list(
        Booking.objects.filter(site__in=sites, day=today, status__in=OPEN_STATUSES)
        .select_related("site", "slot")
        .order_by("slot__start", "site__name", "pk")[:100]
    )


# Not (or no longer) a visit: left out of the list header's batches and people.
NOT_VISITS = (Booking.Status.CANCELLED, Booking.Status.REJECTED, Booking.Status.EXPIRED)


def day_totals(rows: QuerySet[Booking]) -> dict[str, int]:
    """Batches and people by status, for the list's header: one query."""
    totals = {"batches": 0, "people": 0, "arrived": 0}
    for status, batches, people, arrived in (
        rows.order_by()
        .values_list("status")
        .annotate(Count("pk"), Sum("headcount"), Sum("arrived"))
    ):
        totals[status] = batches
        if status not in NOT_VISITS:
            totals["batches"] += batches
            totals["people"] += people or 0
        totals["arrived"] += arrived or 0
    return totals


def pending_count(rows: QuerySet[Booking]) -> int:
    """How many of the visible bookings wait for a site's confirmation (the 待确认 tab)."""
    return rows.filter(status=Booking.Status.PENDING).count()


def site_totals(*, under_path: str, start: date, end: date) -> list[dict]:
    """Per site run in the subtree: batches received, people who came and no-shows of the
    visits in [start, end), most people first: one query."""
    return list(
        Booking.objects.filter(site__unit__path__startswith=under_path, day__gte=start, day__lt=end)
        .values("site__name", "site__county__name")
        .annotate(
            batches=Count("pk", filter=Q(status=Booking.Status.CHECKED_IN)),
            people=Sum("arrived", filter=Q(status=Booking.Status.CHECKED_IN)),
            no_show=Count("pk", filter=Q(status=Booking.Status.NO_SHOW)),
        )
        .filter(Q(batches__gt=0) | Q(no_show__gt=0))
        .order_by("-people", "-batches", "site__name")
    )
