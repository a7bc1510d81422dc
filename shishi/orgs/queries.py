"""Reads of the organisation tree for staff pages."""

import os
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from shishi.core.models import CalendarYear
from shishi.orgs.models import Membership, Person, Unit

T = TypeVar("T")

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


def below(unit: Unit) -> QuerySet[Unit]:
    """Every unit under `unit` (not itself)."""
    return Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk)


def parent_choices(units: QuerySet[Unit], *, unit: Unit, scope_path: str) -> QuerySet[Unit]:
    """Where `unit` may be moved: active visible units outside its own subtree. The actor's
    own unit keeps its parent, which lies outside their scope."""
    if unit.path == scope_path:
        return Unit.objects.filter(pk=unit.parent_id)
    return units.filter(active=True).exclude(path__startswith=unit.path)


def active_units(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """The units still in use (stopped ones are kept for history, offered nowhere)."""
    return units.filter(active=True)


def units_for_export(units: QuerySet[Unit]) -> QuerySet[Unit]:
    return units.select_related("parent").order_by("path")


def children_of(unit: Unit, *, active_only: bool = False) -> QuerySet[Unit]:
    children = Unit.objects.filter(parent=unit)
    if active_only:
        children = children.filter(active=True)
    return children.annotate(
        child_count=Count("children", distinct=True),
        member_count=Count("memberships", distinct=True),
    ).order_by("sort", "path")


def kind_counts(units: QuerySet[Unit]) -> list[tuple[str, int]]:
    """(kind label, count) of active units, most common first."""
    labels = dict(Unit.Kind.choices)
    rows = units.filter(active=True).values("kind").annotate(n=Count("pk")).order_by("-n")
    return [(labels.get(row["kind"], row["kind"]), row["n"]) for row in rows]


def active_people(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.filter(is_active=True)


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
            Q(name__icontains=q) | Q(username__icontains=q) | Q(phone=q) | Q(title__icontains=q)
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


def members_of(unit: Unit) -> QuerySet[Membership]:
    return unit.memberships.select_related("person").order_by("role", "person__name")


def filter_audit(
    entries: QuerySet,
    *,
    q: str,
    verb: str,
    since: date | None,
    until: date | None,
    search: tuple[str, ...] = (),
) -> QuerySet:
    """The audit page's filters over an access-scoped set of events, newest first."""
    if q:
        condition = Q(actor_label__icontains=q) | Q(note__icontains=q)
        for name in search:
            condition |= Q(**{f"{name}__icontains": q})
        entries = entries.filter(condition)
    if verb:
        entries = entries.filter(verb=verb)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries.order_by("-at", "-pk")


def audit_verbs(entries: QuerySet) -> list[tuple[str, str]]:
    """(code, label) of the verbs that occur among the entries the reader may see, in the
    order the event model lists them."""
    present = set(entries.order_by().values_list("verb", flat=True).distinct())
    choices = entries.model._meta.get_field("verb").choices
    return [(code, label) for code, label in choices if code in present]


def totp_device(person: Person) -> TOTPDevice | None:
    """The person's confirmed authenticator (one at most: `actions.enrol_totp`)."""
    return TOTPDevice.objects.devices_for_user(person, confirmed=True).first()


def totp_status(person: Person) -> tuple[bool, int]:
    """Whether the person has a confirmed authenticator, and how many of their recovery codes
    are unused, in one query (the person page)."""
    on, left = (
        Person.objects.filter(pk=person.pk)
        .annotate(
            on=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            left=Count("staticdevice__token_set", filter=Q(staticdevice__confirmed=True)),
        )
        .values_list("on", "left")
        .get()
    )
    return on, left


def last_login_failure(username: str, address: str):
    """When the username last failed to sign in from this address (django-axes' record)."""
    from axes.models import AccessAttempt

    attempt = (
        AccessAttempt.objects.filter(username=username, ip_address=address)
        .order_by("-attempt_time")
        .first()
    )
    return attempt.attempt_time if attempt else None


def login_locked(person: Person) -> bool:
    """Whether django-axes holds a lock on this person's username (from any address)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    return AccessAttempt.objects.filter(
        username=person.username,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gt=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).exists()


def person_by_pk(pk: int) -> Person | None:
    """An active person by key (the password step of a sign-in names them in the session)."""
    return Person.objects.filter(pk=pk, is_active=True).first()


def person_by_username(username: str) -> Person | None:
    return Person.objects.filter(username=username).first()


def memberships_outside(scope_path: str, person: Person) -> int:
    """How many of a person's memberships lie outside the reader's subtree."""
    return person.memberships.exclude(unit__path__startswith=scope_path).count()


def public_divisions() -> QuerySet[Unit]:
    """The county-level divisions, for the public portal."""
    return Unit.objects.filter(
        active=True, depth=1, kind__in=[Unit.Kind.COUNTY, Unit.Kind.DISTRICT]
    ).order_by("code")


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code=code, active=True).first()


def city_root() -> Unit:
    """The city itself: the top of the tree, which receives public submissions."""
    return Unit.objects.get(depth=0, parent__isnull=True)


def public_towns(county_id: int | None = None) -> QuerySet[Unit]:
    """Towns and streets (with zones), of one county when given, for public forms."""
    towns = Unit.objects.filter(
        active=True, depth=2, kind__in=[Unit.Kind.TOWN, Unit.Kind.STREET, Unit.Kind.ZONE]
    ).order_by("code")
    return towns.filter(parent_id=county_id) if county_id else towns


def common_path(nodes: list[Unit]) -> str:
    """The path of the deepest unit above (or at) all `nodes`."""
    return os.path.commonpath([n.path for n in nodes]) + "/" if nodes else ""


def roll_up(
    nodes: list[Unit], per_unit: dict[int, T], paths: dict[int, str], *, empty: Callable[[], T]
) -> dict[int, T]:
    """Each node's figures summed over its subtree. `per_unit` maps unit ids to figures with
    an `add()`; `paths` maps unit ids to paths. Used by every module's rankings."""
    result = {node.pk: empty() for node in nodes}
    for unit_id, figures in per_unit.items():
        path = paths.get(unit_id)
        if path is None:
            continue
        for node in nodes:
            if path.startswith(node.path):
                result[node.pk].add(figures)
    return result


def ranking_groups(units: QuerySet[Unit], *, root: Unit) -> dict[str, dict]:
    """The sets of peer units a ranking compares, as seen from `root`."""
    children = units.filter(parent=root, active=True).order_by("code")
    candidates = {
        "divisions": (
            "县（区）",
            children.filter(kind__in=[Unit.Kind.COUNTY, Unit.Kind.DISTRICT, Unit.Kind.ZONE]),
        ),
        "towns": ("乡镇（街道）", children.filter(kind__in=[Unit.Kind.TOWN, Unit.Kind.STREET])),
        "departments": ("部门", children.filter(kind=Unit.Kind.DEPARTMENT)),
    }
    if root.parent_id is None:
        candidates["all_towns"] = (
            "全市乡镇（街道）",
            units.filter(active=True, kind__in=[Unit.Kind.TOWN, Unit.Kind.STREET]).order_by("code"),
        )
    groups = {}
    for key, (label, members) in candidates.items():
        members = list(members)
        if members:
            groups[key] = {"label": label, "units": members}
    return groups


def calendar_confirmation(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).select_related("confirmed_by").first()
