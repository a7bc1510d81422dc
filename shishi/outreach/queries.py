"""Reads of the outreach module: the lists with their filters and sort orders, totals per
team and per area (the viewer's unit itself and each unit right below it — for the city, the
counties), the public list of upcoming lectures and the 党史上的今天 of a day."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr

from shishi.orgs.models import Person, Unit
from shishi.outreach.actions.common import PLACE_KINDS, area_of
from shishi.outreach.models import (
    Lecture,
    LecturePhoto,
    LectureTeam,
    PioneerPost,
    ServiceRecord,
    TodayEntry,
    VolunteerActivity,
    VolunteerTeam,
)

UPCOMING, HELD = "upcoming", "held"
# Sort orders of the lists: code -> (label, order_by).
LECTURE_SORTS = {
    "-starts_at": ("时间从近到远", ("-starts_at", "-pk")),
    "starts_at": ("时间从远到近", ("starts_at", "pk")),
    "-audience": ("受众人数从多到少", ("-audience", "-starts_at", "-pk")),
}
ACTIVITY_SORTS = {
    "-starts_at": ("时间从近到远", ("-starts_at", "-pk")),
    "-hours": ("服务时长从多到少", ("-hours", "-starts_at", "-pk")),
    "-served": ("服务人数从多到少", ("-served", "-starts_at", "-pk")),
}
TEAM_SORTS = {
    "unit": ("按单位", ("unit__path", "name")),
    "-lectures": ("宣讲场次从多到少", ("-lecture_count", "unit__path", "name")),
    "-audience": ("受众人数从多到少", ("-audience_total", "unit__path", "name")),
}


def _sorted(rows: QuerySet, sorts: dict, sort: str) -> QuerySet:
    return rows.order_by(*sorts.get(sort, next(iter(sorts.values())))[1])


# --- 宣讲 ----------------------------------------------------------------------------------------


def filter_lectures(
    rows: QuerySet[Lecture],
    *,
    now: datetime,
    q: str = "",
    team: int | None = None,
    kind: str = "",
    mode: str = "",
    when: str = "",
    under: Unit | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Lecture]:
    """The lecture list by words (topic, team, venue), team, team kind, online/offline,
    upcoming/held, area held in (a subtree) and dates (both ends included)."""
    if q:
        rows = rows.filter(
            Q(topic__icontains=q) | Q(team__name__icontains=q) | Q(venue__icontains=q)
        )
    if team:
        rows = rows.filter(team_id=team)
    if kind:
        rows = rows.filter(team__kind=kind)
    if mode:
        rows = rows.filter(mode=mode)
    if when == UPCOMING:
        rows = rows.filter(starts_at__gt=now)
    elif when == HELD:
        rows = rows.filter(starts_at__lte=now)
    if under is not None:
        rows = rows.filter(place__path__startswith=under.path)
    if start is not None:
        rows = rows.filter(starts_at__date__gte=start)
    if end is not None:
        rows = rows.filter(starts_at__date__lte=end)
    return rows


def lecture_list(rows: QuerySet[Lecture], *, sort: str = "") -> QuerySet[Lecture]:
    return _sorted(rows.select_related("team", "place", "place__parent"), LECTURE_SORTS, sort)


@dataclass
class Totals:
    lectures: int = 0  # held (announced ones are `upcoming`)
    audience: int = 0
    teams: int = 0  # teams that held one
    upcoming: int = 0


def lecture_totals(rows: QuerySet[Lecture], *, now: datetime) -> Totals:
    """Lectures held by `now` with their listeners and the teams that gave them, and how many
    are announced after it: one query."""
    held = Q(starts_at__lte=now)
    found = rows.order_by().aggregate(
        n=Count("pk", filter=held),
        audience=Coalesce(Sum("audience", filter=held), 0),
        teams=Count("team", filter=held, distinct=True),
        upcoming=Count("pk", filter=~held),
    )
    return Totals(
        lectures=found["n"],
        audience=found["audience"],
        teams=found["teams"],
        upcoming=found["upcoming"],
    )


def held(rows: QuerySet[Lecture], now: datetime) -> QuerySet[Lecture]:
    """The lectures given by `now` (what totals count; announcements are not lectures yet)."""
    return rows.filter(starts_at__lte=now)


def _areas(viewer_unit: Unit, found: dict[str, dict]) -> list[tuple[Unit, dict]]:
    """The viewer's unit and each unit right below it with what was `found` under its path
    prefix (areas without anything left out): one query for the units."""
    children = Unit.objects.filter(parent=viewer_unit).order_by("sort", "path")
    rows = []
    own = found.get(viewer_unit.path)
    if own:
        rows.append((viewer_unit, own))
    for child in children:
        if child.path in found:
            rows.append((child, found[child.path]))
    return rows


def by_area(rows: QuerySet, viewer_unit: Unit, **sums) -> list[tuple[Unit, dict]]:
    """Per area (for the city: per county) of `place`: the rows held there, with `sums`
    ({name: aggregate}), in two queries whatever their number."""
    width = len(viewer_unit.path) + Unit.PATH_SEGMENT + 1
    inside = rows.filter(place__path__startswith=viewer_unit.path).order_by()
    grouped = (
        inside.annotate(area=Substr("place__path", 1, width))
        .values("area")
        .annotate(n=Count("pk"), **sums)
    )
    found: dict[str, dict] = {}
    for row in grouped:
        # Rows held at the viewer's unit itself have a path as long as its own.
        key = row["area"] if len(row["area"]) == width else viewer_unit.path
        into = found.setdefault(key, {"n": 0} | dict.fromkeys(sums, 0))
        for name in ("n", *sums):
            into[name] += row[name] or 0
    return _areas(viewer_unit, found)


def lectures_by_area(rows: QuerySet[Lecture], viewer_unit: Unit) -> list[tuple[Unit, dict]]:
    return by_area(rows, viewer_unit, audience=Sum("audience"))


def team_list(
    rows: QuerySet[LectureTeam], *, now: datetime, sort: str = ""
) -> QuerySet[LectureTeam]:
    """Teams with their lectures held by `now` and the audience (per-team totals)."""
    given = Q(lectures__starts_at__lte=now)
    annotated = rows.select_related("unit").annotate(
        lecture_count=Count("lectures", filter=given, distinct=True),
        audience_total=Coalesce(Sum("lectures__audience", filter=given), 0),
    )
    return _sorted(annotated, TEAM_SORTS, sort)


def filter_teams(
    rows: QuerySet, *, q: str = "", kind: str = "", under: Unit | None = None, field: str = ""
) -> QuerySet:
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(unit__name__icontains=q))
    if kind:
        rows = rows.filter(kind=kind)
    if field:
        rows = rows.filter(field=field)
    if under is not None:
        rows = rows.filter(unit__path__startswith=under.path)
    return rows


def team_kind_counts(rows: QuerySet[LectureTeam]) -> list[tuple[str, str, int]]:
    found = rows.order_by().aggregate(
        **{code: Count("pk", filter=Q(kind=code)) for code in LectureTeam.Kind.values}
    )
    return [(code, label, found[code]) for code, label in LectureTeam.Kind.choices]


def team_totals(team: LectureTeam, *, now: datetime) -> Totals:
    return lecture_totals(team.lectures.all(), now=now)


def team_lectures(team: LectureTeam) -> QuerySet[Lecture]:
    return team.lectures.select_related("place").order_by("-starts_at", "-pk")


def team_members(team) -> QuerySet[Person]:
    return team.members.order_by("name", "pk")


def lecture_photos(lecture: Lecture) -> QuerySet[LecturePhoto]:
    return lecture.photos.order_by("uploaded_at", "pk")


def lecture_photo(lecture: Lecture, pk: int) -> LecturePhoto | None:
    return lecture.photos.filter(pk=pk).first()


def upcoming_public(now: datetime, *, days: int = 60) -> QuerySet[Lecture]:
    """/lectures/: announced lectures from now on (the next `days` days), soonest first —
    no names of people, only the team, topic, time and place."""
    return (
        Lecture.objects.filter(
            public=True,
            team__active=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=days),
        )
        .select_related("team", "place", "place__parent")
        .order_by("starts_at", "pk")
    )


def people_of(unit: Unit) -> QuerySet[Person]:
    """Who may be named as a member or holder: people with a membership in the unit or below."""
    return (
        Person.objects.filter(memberships__unit__path__startswith=unit.path, is_active=True)
        .distinct()
        .order_by("name", "pk")
    )


# --- 志愿服务 ------------------------------------------------------------------------------------


def volunteer_team_list(rows: QuerySet[VolunteerTeam], *, sort: str = "") -> QuerySet:
    """Teams with their activities, hours and people served (per-team totals)."""
    annotated = rows.select_related("unit").annotate(
        activity_count=Count("activities", distinct=True),
        hours_total=Coalesce(Sum("activities__hours"), Decimal("0")),
        served_total=Coalesce(Sum("activities__served"), 0),
    )
    order = {
        "-hours": ("-hours_total", "unit__path", "name"),
        "-activities": ("-activity_count", "unit__path", "name"),
    }.get(sort, ("unit__path", "name"))
    return annotated.order_by(*order)


def filter_activities(
    rows: QuerySet[VolunteerActivity],
    *,
    q: str = "",
    team: int | None = None,
    under: Unit | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[VolunteerActivity]:
    if q:
        rows = rows.filter(
            Q(title__icontains=q) | Q(team__name__icontains=q) | Q(venue__icontains=q)
        )
    if team:
        rows = rows.filter(team_id=team)
    if under is not None:
        rows = rows.filter(place__path__startswith=under.path)
    if start is not None:
        rows = rows.filter(starts_at__date__gte=start)
    if end is not None:
        rows = rows.filter(starts_at__date__lte=end)
    return rows


def activity_list(rows: QuerySet[VolunteerActivity], *, sort: str = "") -> QuerySet:
    return _sorted(rows.select_related("team", "place"), ACTIVITY_SORTS, sort)


@dataclass
class HoursTotals:
    activities: int = 0
    hours: Decimal = Decimal("0")
    served: int = 0
    volunteers: int = 0


def activity_totals(rows: QuerySet[VolunteerActivity]) -> HoursTotals:
    found = rows.order_by().aggregate(
        n=Count("pk"),
        hours=Coalesce(Sum("hours"), Decimal("0")),
        served=Coalesce(Sum("served"), 0),
        volunteers=Coalesce(Sum("volunteers"), 0),
    )
    return HoursTotals(
        activities=found["n"],
        hours=found["hours"],
        served=found["served"],
        volunteers=found["volunteers"],
    )


def activities_by_area(rows: QuerySet[VolunteerActivity], viewer_unit: Unit):
    return by_area(rows, viewer_unit, hours=Sum("hours"), served=Sum("served"))


def team_activities(team: VolunteerTeam) -> QuerySet[VolunteerActivity]:
    return team.activities.select_related("place").order_by("-starts_at", "-pk")


def volunteer_team_totals(team: VolunteerTeam) -> HoursTotals:
    return activity_totals(team.activities.all())


# --- 先锋岗 --------------------------------------------------------------------------------------


def post_list(rows: QuerySet[PioneerPost]) -> QuerySet[PioneerPost]:
    return (
        rows.select_related("unit")
        .annotate(record_count=Count("records", distinct=True))
        .order_by("unit__path", "kind", "name")
    )


def filter_posts(
    rows: QuerySet[PioneerPost], *, q: str = "", kind: str = "", under: Unit | None = None
) -> QuerySet[PioneerPost]:
    if q:
        rows = rows.filter(
            Q(name__icontains=q) | Q(unit__name__icontains=q) | Q(place__icontains=q)
        )
    if kind:
        rows = rows.filter(kind=kind)
    if under is not None:
        rows = rows.filter(unit__path__startswith=under.path)
    return rows


def post_kind_counts(rows: QuerySet[PioneerPost]) -> list[tuple[str, str, int]]:
    found = rows.order_by().aggregate(
        **{code: Count("pk", filter=Q(kind=code)) for code in PioneerPost.Kind.values}
    )
    return [(code, label, found[code]) for code, label in PioneerPost.Kind.choices]


def post_records(post: PioneerPost) -> QuerySet[ServiceRecord]:
    return post.records.select_related("appeal", "recorded_by").order_by("-served_on", "-pk")


def post_holders(post: PioneerPost) -> QuerySet[Person]:
    return post.holders.order_by("name", "pk")


# --- 党史上的今天 --------------------------------------------------------------------------------


def entries_of_day(month: int, day: int) -> list[TodayEntry]:
    """The entries of a month-day, oldest year first: one query."""
    return list(TodayEntry.objects.filter(month=month, day=day).order_by("year", "pk"))


def next_day_with_entries(month: int, day: int) -> tuple[int, int] | None:
    """The first month-day after this one (round the year) that has entries: one query."""
    days = list(TodayEntry.objects.values_list("month", "day").distinct().order_by("month", "day"))
    later = [d for d in days if d > (month, day)]
    return (later or days or [None])[0]


def entry_list(rows: QuerySet[TodayEntry], *, month: int | None = None, q: str = ""):
    if month:
        rows = rows.filter(month=month)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(text__icontains=q))
    return rows.order_by("month", "day", "year", "pk")


def dates_covered() -> int:
    return TodayEntry.objects.values("month", "day").distinct().count()


def places(unit: Unit) -> QuerySet[Unit]:
    """Where `unit`'s staff may hold a lecture or activity: the active divisions of its area
    (for a city department, the whole city)."""
    area = area_of(unit)
    return Unit.objects.filter(path__startswith=area.path, active=True, kind__in=PLACE_KINDS)


def active_teams(rows: QuerySet, keep: int | None = None) -> QuerySet:
    """Teams still in use (plus `keep`, the one a record already has)."""
    return rows.filter(Q(active=True) | Q(pk=keep or 0))


def entry_with_image(pk: int) -> TodayEntry | None:
    """An entry's image is public like the entry itself (the screen shows it)."""
    return TodayEntry.objects.filter(pk=pk).exclude(image="").first()
