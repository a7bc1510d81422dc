"""Reads of the organisation tree for staff pages."""

from django.db.models import Count, Q, QuerySet

from shishi.orgs.models import Membership, Person, Unit

UNIT_SORTS = {
    "tree": ("path",),
    "name": ("name", "path"),
    "-name": ("-name", "path"),
    "code": ("code",),
    "-code": ("-code",),
    "kind": ("kind", "path"),
}
PEOPLE_SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "username": ("username",),
    "-joined": ("-date_joined", "-pk"),
}


def filter_units(
    units: QuerySet[Unit],
    *,
    q: str = "",
    kind: str = "",
    status: str = "",
    under: Unit | None = None,
    sort: str = "tree",
) -> QuerySet[Unit]:
    """The unit list: search by name or code, filter by kind, status and subtree."""
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__startswith=q))
    if kind:
        units = units.filter(kind=kind)
    if status == "active":
        units = units.filter(active=True)
    elif status == "inactive":
        units = units.filter(active=False)
    if under is not None:
        units = units.filter(path__startswith=under.path)
    return (
        units.select_related("parent")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by(*UNIT_SORTS.get(sort, UNIT_SORTS["tree"]))
    )


def ancestors(unit: Unit, *, within: str) -> list[Unit]:
    """The unit's ancestors inside the subtree `within` (a path), top first, for breadcrumbs."""
    segment = Unit.PATH_SEGMENT + 1
    prefixes = [unit.path[: i + segment] for i in range(0, len(unit.path) - segment, segment)]
    return list(Unit.objects.filter(path__in=prefixes, path__startswith=within).order_by("depth"))


def children_of(unit: Unit) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(parent=unit)
        .annotate(
            child_count=Count("children", distinct=True),
            member_count=Count("memberships", distinct=True),
        )
        .order_by("sort", "path")
    )


def kind_counts(units: QuerySet[Unit]) -> list[tuple[str, int]]:
    """(kind label, count) of active units, most common first."""
    labels = dict(Unit.Kind.choices)
    rows = units.filter(active=True).values("kind").annotate(n=Count("pk")).order_by("-n")
    return [(labels.get(row["kind"], row["kind"]), row["n"]) for row in rows]


def filter_people(
    people: QuerySet[Person],
    *,
    scope_path: str,
    q: str = "",
    role: str = "",
    unit: Unit | None = None,
    status: str = "",
    sort: str = "name",
) -> QuerySet[Person]:
    """The people list; memberships shown are only those inside the reader's subtree."""
    if q:
        people = people.filter(
            Q(name__icontains=q)
            | Q(username__icontains=q)
            | Q(phone__endswith=q)
            | Q(title__icontains=q)
        )
    if role:
        people = people.filter(
            memberships__role=role, memberships__unit__path__startswith=scope_path
        )
    if unit is not None:
        people = people.filter(memberships__unit=unit)
    if status == "active":
        people = people.filter(is_active=True)
    elif status == "inactive":
        people = people.filter(is_active=False)
    return people.distinct().order_by(*PEOPLE_SORTS.get(sort, PEOPLE_SORTS["name"]))


def memberships_in(scope_path: str, people: list[Person]) -> dict[int, list[Membership]]:
    """Each listed person's memberships inside the subtree, in one query."""
    result: dict[int, list[Membership]] = {p.pk: [] for p in people}
    rows = (
        Membership.objects.filter(person__in=people, unit__path__startswith=scope_path)
        .select_related("unit")
        .order_by("unit__path", "role")
    )
    for membership in rows:
        result[membership.person_id].append(membership)
    return result


def public_divisions() -> QuerySet[Unit]:
    """The county-level divisions, for the public portal."""
    return (
        Unit.objects.filter(active=True, depth=1, kind__in=[Unit.Kind.COUNTY, Unit.Kind.DISTRICT])
        .order_by("code")
        .only("name")
    )
