"""Reads of the enterprise desk: the registry's filters, a cadre's enterprises, visit
frequency per cadre, problem lists and benefit totals. Callers pass rows already scoped by
`access` (`visible_enterprises(actor)` …)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum

from shishi.appeals.models import Status as AppealStatus
from shishi.enterprises.models import (
    COUNTY_KINDS,
    Benefit,
    Enterprise,
    Industry,
    Pairing,
    Problem,
    Visit,
)
from shishi.orgs.models import Membership, Person, Role, Unit

SORTS = {
    "name": ("name", "pk"),
    "-created": ("-created_at", "-pk"),
    "county": ("county__path", "name", "pk"),
    "industry": ("industry", "name", "pk"),
}


def current_pairings() -> Prefetch:
    return Prefetch(
        "pairings",
        queryset=Pairing.objects.filter(ends_on__isnull=True).select_related("cadre", "unit"),
        to_attr="current_pairings",
    )


def filter_enterprises(
    rows: QuerySet[Enterprise],
    *,
    q: str = "",
    county: Unit | None = None,
    industry: str = "",
    size: str = "",
    paired: str = "",
    sort: str = "",
) -> QuerySet[Enterprise]:
    """The registry's filters: name or credit code, county, industry, size, paired or not."""
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(credit_code__startswith=q.upper()))
    if county is not None:
        rows = rows.filter(county__path__startswith=county.path)
    if industry:
        rows = rows.filter(industry=industry)
    if size:
        rows = rows.filter(size=size)
    current = Pairing.objects.filter(ends_on__isnull=True).values("enterprise_id")
    if paired == "yes":
        rows = rows.filter(pk__in=current)
    elif paired == "no":
        rows = rows.exclude(pk__in=current)
    return rows.order_by(*SORTS.get(sort, SORTS["county"]))


def enterprise_list(rows: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """A page of the registry: its county and current cadre in two more queries."""
    return rows.select_related("county").prefetch_related(current_pairings())


def counties(rows: QuerySet[Unit]) -> QuerySet[Unit]:
    """The county-level units among `rows` (a subtree), for filters and totals."""
    return rows.filter(kind__in=COUNTY_KINDS, active=True).order_by("path")


def enterprise_page(enterprise: Enterprise) -> dict:
    """What an enterprise's page shows besides itself."""
    return {
        "pairings": list(
            enterprise.pairings.select_related("cadre", "unit", "office").order_by(
                "-starts_on", "-pk"
            )
        ),
        "visits": list(
            enterprise.visits.select_related("cadre", "unit").order_by("-visited_on", "-pk")[:20]
        ),
        "problems": list(
            enterprise.problems.select_related("appeal", "appeal__holder").order_by("-raised_at")
        ),
        "benefits": list(enterprise.benefits.order_by("-granted_on", "-pk")[:20]),
        "benefit_total": enterprise.benefits.aggregate(total=Sum("amount"))["total"]
        or Decimal("0"),
        "events": list(enterprise.events.order_by("-at", "-pk")[:30]),
    }


def receiver_for(enterprise: Enterprise) -> Unit:
    """Who first receives the enterprise's problems now: its current cadre's unit, else its
    county (the rule `actions.raise_problem` follows)."""
    pairing = (
        Pairing.objects.filter(enterprise=enterprise, ends_on__isnull=True)
        .select_related("unit")
        .first()
    )
    return pairing.unit if pairing is not None else enterprise.county


def cadre_choices(unit: Unit) -> QuerySet[Membership]:
    """The people of `unit` who may be paired: its active leaders and clerks."""
    return (
        Membership.objects.filter(
            unit=unit, role__in=[Role.UNIT_LEADER, Role.UNIT_CLERK], person__is_active=True
        )
        .select_related("person")
        .order_by("person__name")
    )


def pairing_units(rows: QuerySet[Unit]) -> QuerySet[Unit]:
    """Units of a subtree with at least one active leader or clerk (cadres to pair)."""
    staffed = Membership.objects.filter(
        role__in=[Role.UNIT_LEADER, Role.UNIT_CLERK], person__is_active=True
    ).values("unit_id")
    return rows.filter(active=True, pk__in=staffed).order_by("path")


def my_enterprises(pairings: QuerySet[Pairing]) -> QuerySet[Pairing]:
    """我的挂钩企业: soonest due first."""
    return pairings.select_related("enterprise", "enterprise__county", "unit").order_by(
        "visit_due", "pk"
    )


def filter_visits(
    rows: QuerySet[Visit],
    *,
    enterprise: Enterprise | None = None,
    cadre: Person | None = None,
    form: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Visit]:
    if enterprise is not None:
        rows = rows.filter(enterprise=enterprise)
    if cadre is not None:
        rows = rows.filter(cadre=cadre)
    if form:
        rows = rows.filter(form=form)
    if start:
        rows = rows.filter(visited_on__gte=start)
    if end:
        rows = rows.filter(visited_on__lte=end)
    return rows


def visit_list(rows: QuerySet[Visit]) -> QuerySet[Visit]:
    return rows.select_related("enterprise", "cadre", "unit").order_by("-visited_on", "-pk")


@dataclass
class CadreFrequency:
    cadre: Person
    enterprises: int
    visits: int
    last_visit: date | None
    overdue: int  # current pairings past their visit due date


def visit_frequency(
    pairings: QuerySet[Pairing], visits: QuerySet[Visit], *, start: date, end: date, today: date
) -> list[CadreFrequency]:
    """走访频次: per cadre with a current pairing, their enterprises, visits between `start`
    and `end`, last visit and how many enterprises are overdue — three queries."""
    current = pairings.filter(ends_on__isnull=True)
    per_cadre = {
        row["cadre"]: row
        for row in current.values("cadre").annotate(
            enterprises=Count("pk"),
            overdue=Count("pk", filter=Q(visit_due__lt=today)),
            last=Max("last_visited_on"),
        )
    }
    counts = dict(
        visits.filter(visited_on__gte=start, visited_on__lte=end, cadre_id__in=per_cadre)
        .values("cadre")
        .annotate(n=Count("pk"))
        .values_list("cadre", "n")
    )
    people = Person.objects.in_bulk(list(per_cadre))
    rows = [
        CadreFrequency(
            cadre=people[pk],
            enterprises=row["enterprises"],
            visits=counts.get(pk, 0),
            last_visit=row["last"],
            overdue=row["overdue"],
        )
        for pk, row in per_cadre.items()
        if pk in people
    ]
    rows.sort(key=lambda r: (-r.overdue, r.visits, r.cadre.name))
    return rows


def filter_problems(
    rows: QuerySet[Problem],
    *,
    enterprise: Enterprise | None = None,
    county: Unit | None = None,
    source: str = "",
    state: str = "",
) -> QuerySet[Problem]:
    if enterprise is not None:
        rows = rows.filter(enterprise=enterprise)
    if county is not None:
        rows = rows.filter(enterprise__county__path__startswith=county.path)
    if source:
        rows = rows.filter(source=source)
    if state == "open":
        rows = rows.exclude(appeal__status__in=CLOSED_STATES)
    elif state == "done":
        rows = rows.filter(appeal__status__in=CLOSED_STATES)
    return rows


# Appeals no longer being worked on (closed or set aside).
CLOSED_STATES = (
    AppealStatus.CLOSED,
    AppealStatus.MERGED,
    AppealStatus.INVALID,
    AppealStatus.WITHDRAWN,
)


def problem_list(rows: QuerySet[Problem]) -> QuerySet[Problem]:
    return rows.select_related(
        "appeal", "appeal__holder", "enterprise", "enterprise__county", "pairing__cadre"
    ).order_by("-raised_at", "-pk")


def problems_by_county(rows: QuerySet[Problem]) -> list[dict]:
    """Problems per county: raised, still open."""
    return list(
        rows.values("enterprise__county__name", "enterprise__county__path")
        .annotate(
            raised=Count("pk"),
            open=Count("pk", filter=~Q(appeal__status__in=CLOSED_STATES)),
        )
        .order_by("enterprise__county__path")
    )


def filter_benefits(
    rows: QuerySet[Benefit],
    *,
    enterprise: Enterprise | None = None,
    county: Unit | None = None,
    industry: str = "",
    kind: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Benefit]:
    if enterprise is not None:
        rows = rows.filter(enterprise=enterprise)
    if county is not None:
        rows = rows.filter(enterprise__county__path__startswith=county.path)
    if industry:
        rows = rows.filter(enterprise__industry=industry)
    if kind:
        rows = rows.filter(kind=kind)
    if start:
        rows = rows.filter(granted_on__gte=start)
    if end:
        rows = rows.filter(granted_on__lte=end)
    return rows


def benefit_list(rows: QuerySet[Benefit]) -> QuerySet[Benefit]:
    return rows.select_related("enterprise", "enterprise__county").order_by("-granted_on", "-pk")


@dataclass
class BenefitTotals:
    total: Decimal
    count: int
    by_kind: list[tuple[str, str, Decimal, int]]  # code, label, amount, rows
    by_county: list[tuple[str, Decimal, int]]
    by_industry: list[tuple[str, str, Decimal, int]]


def benefit_totals(rows: QuerySet[Benefit]) -> BenefitTotals:
    """Totals to the fen per kind, county and industry (four queries; Decimal sums)."""
    zero = Decimal("0.00")
    overall = rows.aggregate(total=Sum("amount"), count=Count("pk"))
    kinds = {
        r["kind"]: (r["total"], r["n"])
        for r in rows.values("kind").annotate(total=Sum("amount"), n=Count("pk")).order_by()
    }
    by_county = [
        (r["enterprise__county__name"], r["total"], r["n"])
        for r in rows.values("enterprise__county__name", "enterprise__county__path")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by("enterprise__county__path")
    ]
    industries = {
        r["enterprise__industry"]: (r["total"], r["n"])
        for r in rows.values("enterprise__industry")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by()
    }
    return BenefitTotals(
        total=overall["total"] or zero,
        count=overall["count"],
        by_kind=[
            (code, label, *kinds.get(code, (zero, 0))) for code, label in Benefit.Kind.choices
        ],
        by_county=by_county,
        by_industry=[
            (code, label, *industries[code])
            for code, label in Industry.choices
            if code in industries
        ],
    )
