"""Reads of directives: coverage by level (on time / late / waiting for review / not yet),
the late list, a unit's queue, and what the staff pages list; study sessions (学习活动) by
kind, mode and unit, and 三个一 per party branch; 巡回指导's coverage matrix (unit × round)
and the 整改 lists."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Q, QuerySet, When

from shishi.campaign.models import (
    Assignment,
    AssignmentEvent,
    Directive,
    DirectiveFile,
    Evidence,
    GroupUnit,
    GuidanceRound,
    Rectification,
    RectificationEvent,
    RectificationFile,
    StudyFile,
    StudySession,
    Visit,
)
from shishi.core.figures import Tally
from shishi.orgs.models import Person, Role, Unit

Status = Assignment.Status
NOT_DONE = (Status.PENDING, Status.RETURNED)


@dataclass
class Coverage(Tally):
    """How far a subtree has got with a directive (counts of its assignments)."""

    assigned: int = 0
    on_time: int = 0  # approved, reported by the deadline
    late: int = 0  # approved, reported after it
    submitted: int = 0  # waiting for the issuer's review
    not_yet: int = 0  # pending or returned
    overdue: int = 0  # … of which past the deadline

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def done_rate(self) -> float | None:
        return self.rate(self.done, self.assigned)

    @property
    def on_time_rate(self) -> float | None:
        return self.rate(self.on_time, self.assigned)


def count(rows: Iterable[tuple[str, bool | None, date]], today: date) -> Coverage:
    figures = Coverage()
    for status, on_time, due in rows:
        figures.assigned += 1
        if status == Status.APPROVED:
            if on_time:
                figures.on_time += 1
            else:
                figures.late += 1
        elif status == Status.SUBMITTED:
            figures.submitted += 1
        else:
            figures.not_yet += 1
            figures.overdue += due < today
    return figures


def coverage(
    directive: Directive, nodes: list[Unit], *, today: date, within: str
) -> list[tuple[Unit, Coverage]]:
    """Each node's subtree coverage of the directive (only assignments under `within`, the
    viewer's subtree): one query."""
    rows = list(
        Assignment.objects.filter(directive=directive, unit__path__startswith=within)
        .values_list("unit__path", "status", "on_time", "due")
        .order_by()
    )
    return [
        (node, count(((s, o, d) for p, s, o, d in rows if p.startswith(node.path)), today))
        for node in nodes
    ]


def total(directive: Directive, *, today: date, within: str) -> Coverage:
    rows = (
        Assignment.objects.filter(directive=directive, unit__path__startswith=within)
        .values_list("status", "on_time", "due")
        .order_by()
    )
    return count(rows, today)


def late(directive: Directive, *, today: date, within: str) -> QuerySet[Assignment]:
    """Not reported and past the deadline, longest late first."""
    return (
        Assignment.objects.filter(
            directive=directive,
            unit__path__startswith=within,
            status__in=NOT_DONE,
            due__lt=today,
        )
        .select_related("unit")
        .order_by("due", "unit__path")
    )


def by_level(
    directive: Directive, viewer_unit: Unit, *, today: date
) -> list[tuple[Unit, Coverage]]:
    """Coverage per child of the viewer's unit that the directive reaches (counties for the
    city, towns for a county), in two queries."""
    children = list(Unit.objects.filter(parent=viewer_unit).order_by("path"))
    rows = coverage(directive, children, today=today, within=viewer_unit.path)
    return [(unit, figures) for unit, figures in rows if figures.assigned]


def queue(unit: Unit) -> QuerySet[Assignment]:
    """What a unit has to report (or has reported), open directives first; what is still to
    be reported before what waits for review before what is done (the codes do not sort that
    way); nearest due first."""
    step = Case(When(status__in=NOT_DONE, then=0), When(status=Status.SUBMITTED, then=1), default=2)
    return (
        Assignment.objects.filter(unit=unit)
        .select_related("directive", "directive__issuer")
        .order_by("-directive__status", step, "due", "pk")
    )


def targets(root: Unit, kinds: tuple[str, ...] | list[str], *, issuer: Unit) -> QuerySet[Unit]:
    """The active units a directive reaches: under `root`, of `kinds` (all when empty),
    never the issuer itself."""
    units = Unit.objects.filter(path__startswith=root.path, active=True).exclude(pk=issuer.pk)
    if kinds:
        units = units.filter(kind__in=list(kinds))
    return units


# --- Staff pages ------------------------------------------------------------------------------

# The status filter of assignment lists: the stored statuses, plus 已超期 (not done, past due).
OVERDUE = "overdue"
TO_REPORT = "to_report"


def directive_list(
    directives: QuerySet[Directive], *, status: str = "", q: str = ""
) -> QuerySet[Directive]:
    """The 部署任务 list: by status and a word of the title (or the code), newest first."""
    if status:
        directives = directives.filter(status=status)
    if q:
        directives = directives.filter(Q(title__icontains=q) | Q(code__startswith=q))
    return directives.select_related("issuer").order_by("-issued_at", "-pk")


def coverage_of(
    directives: Iterable[Directive], *, today: date, within: str
) -> dict[int, Coverage]:
    """Each directive's coverage within the subtree `within` (a path), for a page of the
    list: one query whatever the number of directives or units (directives without an
    assignment there get an empty Coverage)."""
    ids = [directive.pk for directive in directives]
    approved, not_done = Q(status=Status.APPROVED), Q(status__in=NOT_DONE)
    counts = {  # (named apart from the model's fields: `on_time` is one)
        "n_assigned": Count("pk"),
        "n_on_time": Count("pk", filter=approved & Q(on_time=True)),
        "n_late": Count("pk", filter=approved & ~Q(on_time=True)),
        "n_submitted": Count("pk", filter=Q(status=Status.SUBMITTED)),
        "n_not_yet": Count("pk", filter=not_done),
        "n_overdue": Count("pk", filter=not_done & Q(due__lt=today)),
    }
    rows = (
        Assignment.objects.filter(directive_id__in=ids, unit__path__startswith=within)
        .order_by()
        .values("directive_id")
        .annotate(**counts)
    )
    found = {
        row["directive_id"]: Coverage(**{name[2:]: row[name] for name in counts}) for row in rows
    }
    return {pk: found.get(pk, Coverage()) for pk in ids}


def reached(directive: Directive) -> int:
    """How many units a directive went to."""
    return Assignment.objects.filter(directive=directive).count()


def filter_assignments(
    rows: QuerySet[Assignment], *, status: str = "", under: Unit | None = None, today: date
) -> QuerySet[Assignment]:
    """An assignment list by status (a stored one, `TO_REPORT`: pending or returned, `OVERDUE`:
    not done and past due) and subtree."""
    if status == OVERDUE:
        rows = rows.filter(status__in=NOT_DONE, due__lt=today)
    elif status == TO_REPORT:
        rows = rows.filter(status__in=NOT_DONE)
    elif status:
        rows = rows.filter(status=status)
    if under is not None:
        rows = rows.filter(unit__path__startswith=under.path)
    return rows


def directive_assignments(rows: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """The directive page's table: by the tree."""
    return rows.select_related("unit", "unit__parent").order_by("unit__path")


def queue_counts(unit: Unit, *, today: date) -> dict[str, int]:
    """The 我的任务 tabs' counts, in one query."""
    not_done = Q(status__in=NOT_DONE)
    return Assignment.objects.filter(unit=unit).aggregate(
        all=Count("pk"),
        to_report=Count("pk", filter=not_done),
        submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
        overdue=Count("pk", filter=not_done & Q(due__lt=today)),
    )


def timeline(assignment: Assignment) -> QuerySet[AssignmentEvent]:
    return assignment.events.order_by("at", "pk")


def directive_files(directive: Directive) -> QuerySet[DirectiveFile]:
    return directive.files.order_by("uploaded_at", "pk")


def directive_file(directive: Directive, pk: int) -> DirectiveFile | None:
    return directive.files.filter(pk=pk).first()


def evidence(assignment: Assignment) -> QuerySet[Evidence]:
    return assignment.evidence.order_by("uploaded_at", "pk")


def evidence_of(assignment: Assignment, pk: int) -> Evidence | None:
    return assignment.evidence.filter(pk=pk).first()


# --- 学习活动 ---------------------------------------------------------------------------------

Session = StudySession
# 三个一: what every party branch does each year.
THREE_ONES = (Session.Kind.PARTY_DAY, Session.Kind.PARTY_LECTURE, Session.Kind.OATH)


def filter_sessions(
    rows: QuerySet[StudySession],
    *,
    kind: str = "",
    mode: str = "",
    under: Unit | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[StudySession]:
    """A session list by kind, mode (五学), subtree and dates (both ends included)."""
    if kind:
        rows = rows.filter(kind=kind)
    if mode:
        rows = rows.filter(mode=mode)
    if under is not None:
        rows = rows.filter(unit__path__startswith=under.path)
    if start is not None:
        rows = rows.filter(held_on__gte=start)
    if end is not None:
        rows = rows.filter(held_on__lte=end)
    return rows


def session_list(rows: QuerySet[StudySession]) -> QuerySet[StudySession]:
    """The 学习活动 page: newest first, with the unit and the number of named attendees."""
    return (
        rows.select_related("unit")
        .annotate(named=Count("attendees", distinct=True))
        .order_by("-held_on", "-pk")
    )


@dataclass
class StudyCounts:
    sessions: int
    by_kind: list[tuple[str, str, int]]  # (code, label, count), every kind
    by_mode: list[tuple[str, str, int]]


def session_counts(rows: QuerySet[StudySession]) -> StudyCounts:
    """How many sessions, by kind and by mode, in one query."""
    counts = {"n": Count("pk")}
    counts |= {f"k_{code}": Count("pk", filter=Q(kind=code)) for code in Session.Kind.values}
    counts |= {f"m_{code}": Count("pk", filter=Q(mode=code)) for code in Session.Mode.values}
    found = rows.order_by().aggregate(**counts)
    return StudyCounts(
        sessions=found["n"],
        by_kind=[(c, label, found[f"k_{c}"]) for c, label in Session.Kind.choices],
        by_mode=[(c, label, found[f"m_{c}"]) for c, label in Session.Mode.choices],
    )


def sessions_by_unit(rows: QuerySet[StudySession], viewer_unit: Unit) -> list[tuple[Unit, int]]:
    """Sessions per subtree: the viewer's unit itself and each child's subtree, in two
    queries (children without a session left out)."""
    paths = list(
        rows.filter(unit__path__startswith=viewer_unit.path)
        .values_list("unit__path", flat=True)
        .order_by()
    )
    children = Unit.objects.filter(parent=viewer_unit).order_by("sort", "path")
    own = sum(1 for p in paths if p == viewer_unit.path)
    counted = [(child, sum(1 for p in paths if p.startswith(child.path))) for child in children]
    return [(unit, n) for unit, n in [(viewer_unit, own), *counted] if n]


@dataclass
class ThreeOnes:
    """三个一 of the party branches under a unit for a year: who has done each, who not yet."""

    year: int
    branches: list[Unit]
    done: dict[str, set[int]]  # kind -> ids of the branches that held one

    @property
    def rows(self) -> list[tuple[str, str, int, list[Unit]]]:
        """(kind, label, how many branches did it, the branches that have not yet)."""
        return [
            (
                kind,
                Session.Kind(kind).label,
                len(self.done[kind]),
                [b for b in self.branches if b.pk not in self.done[kind]],
            )
            for kind in THREE_ONES
        ]

    def of(self, branch: Unit) -> list[bool]:
        return [branch.pk in self.done[kind] for kind in THREE_ONES]


def three_ones(unit: Unit, year: int) -> ThreeOnes:
    """The active party branches in `unit`'s subtree and which of 三个一 each held in `year`:
    two queries whatever the number of branches."""
    branches = list(
        Unit.objects.filter(
            path__startswith=unit.path, kind=Unit.Kind.PARTY_BRANCH, active=True
        ).order_by("path")
    )
    held = (
        StudySession.objects.filter(
            unit__path__startswith=unit.path,
            unit__kind=Unit.Kind.PARTY_BRANCH,
            kind__in=THREE_ONES,
            held_on__year=year,
        )
        .values_list("unit_id", "kind")
        .distinct()
        .order_by()
    )
    done: dict[str, set[int]] = {kind: set() for kind in THREE_ONES}
    for unit_id, kind in held:
        done[kind].add(unit_id)
    return ThreeOnes(year=year, branches=branches, done=done)


def session_files(session: StudySession) -> QuerySet[StudyFile]:
    return session.files.order_by("uploaded_at", "pk")


def session_file(session: StudySession, pk: int) -> StudyFile | None:
    return session.files.filter(pk=pk).first()


def attendees(session: StudySession):
    return session.attendees.order_by("name", "pk")


def unit_members(unit: Unit):
    """The people who may be named as attendees: anyone with a membership in the unit."""
    return Person.objects.filter(memberships__unit=unit).distinct().order_by("name", "pk")


# --- 巡回指导 ---------------------------------------------------------------------------------


class CellState:
    COVERED = "covered"  # visited in the round
    GAP = "gap"  # the round is over and the unit was not visited
    DUE = "due"  # the round is under way, no visit yet
    AHEAD = "ahead"  # the round has not begun


@dataclass
class Cell:
    state: str
    visits: list[date]


@dataclass
class GuidanceMatrix:
    """Every assigned unit × every round: "N groups, M rounds, every unit covered" computed
    from the visits, with the gaps named."""

    rounds: list[GuidanceRound]
    rows: list[tuple[GroupUnit, list[Cell]]]
    today: date

    @property
    def groups(self) -> int:
        return len({row.group_id for row, _ in self.rows})

    def _cells(self, state: str) -> int:
        return sum(1 for _, cells in self.rows for cell in cells if cell.state == state)

    @property
    def covered(self) -> int:
        return self._cells(CellState.COVERED)

    @property
    def owed(self) -> int:
        """Unit-rounds that are over or under way: what should be (or be being) covered."""
        return self.covered + self._cells(CellState.GAP) + self._cells(CellState.DUE)

    @property
    def gaps(self) -> list[tuple[GroupUnit, GuidanceRound]]:
        """Units a finished round did not reach, by round then unit."""
        found = [
            (row, self.rounds[i])
            for row, cells in self.rows
            for i, cell in enumerate(cells)
            if cell.state == CellState.GAP
        ]
        return sorted(found, key=lambda pair: (pair[1].number, pair[0].unit.path))

    @property
    def waiting(self) -> list[tuple[GroupUnit, GuidanceRound]]:
        """Units the round under way has not reached yet."""
        return [
            (row, self.rounds[i])
            for row, cells in self.rows
            for i, cell in enumerate(cells)
            if cell.state == CellState.DUE
        ]

    @property
    def all_covered(self) -> bool | None:
        """Every unit visited in every finished round (None before a round has finished, or
        without units: nothing to judge yet)."""
        if not self.rows or not any(r.ends < self.today for r in self.rounds):
            return None
        return not self.gaps


def guidance_matrix(
    group_units: QuerySet[GroupUnit], visits: QuerySet[Visit], *, today: date
) -> GuidanceMatrix:
    """The coverage matrix of `group_units` (rows) over every round, from `visits` (a visit
    below an assigned unit counts for it): three queries."""
    rows = list(group_units.select_related("group", "unit").order_by("group_id", "unit__path"))
    rounds = list(GuidanceRound.objects.order_by("number"))
    by_path = {row.unit.path: row for row in rows}
    step = Unit.PATH_SEGMENT + 1
    seen: dict[tuple[int, int], list[date]] = {}
    for path, round_id, day in visits.values_list("unit__path", "round_id", "visited_on").order_by(
        "visited_on"
    ):
        # The nearest assigned unit at or above the visited one.
        for end in range(len(path), 0, -step):
            row = by_path.get(path[:end])
            if row is not None:
                seen.setdefault((row.pk, round_id), []).append(day)
                break

    def cell(row: GroupUnit, rnd: GuidanceRound) -> Cell:
        days = seen.get((row.pk, rnd.pk), [])
        if days:
            state = CellState.COVERED
        elif rnd.starts > today:
            state = CellState.AHEAD
        elif rnd.ends < today:
            state = CellState.GAP
        else:
            state = CellState.DUE
        return Cell(state=state, visits=days)

    return GuidanceMatrix(
        rounds=rounds, rows=[(row, [cell(row, rnd) for rnd in rounds]) for row in rows], today=today
    )


def filter_visits(
    rows: QuerySet[Visit],
    *,
    group: int | None = None,
    round: int | None = None,
    under: Unit | None = None,
    q: str = "",
) -> QuerySet[Visit]:
    if group:
        rows = rows.filter(group_id=group)
    if round:
        rows = rows.filter(round__number=round)
    if under is not None:
        rows = rows.filter(unit__path__startswith=under.path)
    if q:
        rows = rows.filter(findings__icontains=q)
    return rows


def visit_list(rows: QuerySet[Visit]) -> QuerySet[Visit]:
    return (
        rows.select_related("group", "unit", "round")
        .annotate(items=Count("rectifications"))
        .order_by("-visited_on", "-pk")
    )


# --- 整改 ------------------------------------------------------------------------------------

Item = Rectification


def filter_rectifications(
    rows: QuerySet[Rectification],
    *,
    status: str = "",
    source: str = "",
    group: int | None = None,
    under: Unit | None = None,
    q: str = "",
    today: date,
) -> QuerySet[Rectification]:
    """By status (a stored one, or `OVERDUE`: still being put right past its deadline),
    source, raising group, subtree and a word of the problem (or the code)."""
    if status == OVERDUE:
        rows = rows.filter(status=Item.Status.OPEN, due__lt=today)
    elif status:
        rows = rows.filter(status=status)
    if source:
        rows = rows.filter(source=source)
    if group:
        rows = rows.filter(group_id=group)
    if under is not None:
        rows = rows.filter(unit__path__startswith=under.path)
    if q:
        rows = rows.filter(Q(problem__icontains=q) | Q(code__startswith=q))
    return rows


def rectification_list(rows: QuerySet[Rectification]) -> QuerySet[Rectification]:
    """Still to do before waiting for 销号 before closed; nearest deadline first."""
    step = Case(
        When(status=Item.Status.OPEN, then=0), When(status=Item.Status.REPORTED, then=1), default=2
    )
    return rows.select_related("unit", "group", "raised_unit").order_by(step, "due", "pk")


def rectification_counts(rows: QuerySet[Rectification], *, today: date) -> dict[str, int]:
    """The tabs' counts, in one query."""
    being_done = Q(status=Item.Status.OPEN)
    return rows.aggregate(
        all=Count("pk"),
        open=Count("pk", filter=being_done),
        reported=Count("pk", filter=Q(status=Item.Status.REPORTED)),
        closed=Count("pk", filter=Q(status=Item.Status.CLOSED)),
        overdue=Count("pk", filter=being_done & Q(due__lt=today)),
    )


def rectifications_by_unit(
    rows: QuerySet[Rectification], viewer_unit: Unit, *, today: date
) -> list[tuple[Unit, dict[str, int]]]:
    """Open / waiting / closed / overdue per subtree: the viewer's unit itself and each child
    (children without an item left out): two queries."""
    found = list(
        rows.filter(unit__path__startswith=viewer_unit.path)
        .values_list("unit__path", "status", "due")
        .order_by()
    )
    children = Unit.objects.filter(parent=viewer_unit).order_by("sort", "path")

    def tally(match) -> dict[str, int]:
        mine = [(status, due) for path, status, due in found if match(path)]
        return {
            "all": len(mine),
            "open": sum(1 for status, _ in mine if status == Item.Status.OPEN),
            "reported": sum(1 for status, _ in mine if status == Item.Status.REPORTED),
            "closed": sum(1 for status, _ in mine if status == Item.Status.CLOSED),
            "overdue": sum(1 for status, due in mine if status == Item.Status.OPEN and due < today),
        }

    counted = [(viewer_unit, tally(lambda p: p == viewer_unit.path))]
    counted += [(child, tally(lambda p, c=child: p.startswith(c.path))) for child in children]
    return [(unit, n) for unit, n in counted if n["all"]]


def rectification_timeline(item: Rectification) -> QuerySet[RectificationEvent]:
    return item.events.select_related("actor").order_by("at", "pk")


def rectification_files(item: Rectification) -> QuerySet[RectificationFile]:
    return item.files.order_by("uploaded_at", "pk")


def rectification_file(item: Rectification, pk: int) -> RectificationFile | None:
    return item.files.filter(pk=pk).first()


def overdue_rectifications(*, under: Unit, today: date) -> QuerySet[Rectification]:
    """Still being put right past the deadline, longest overdue first (the bulletin's list)."""
    return (
        Rectification.objects.filter(
            unit__path__startswith=under.path, status=Item.Status.OPEN, due__lt=today
        )
        .select_related("unit", "group", "raised_unit")
        .order_by("due", "unit__path")
    )


def rounds() -> QuerySet[GuidanceRound]:
    return GuidanceRound.objects.order_by("number")


def guidance_people() -> QuerySet[Person]:
    """Who may serve in a group: active people holding the guidance role (the form's choices;
    `actions.save_group` refuses anyone else)."""
    return (
        Person.objects.filter(memberships__role=Role.GUIDANCE_MEMBER, is_active=True)
        .distinct()
        .order_by("name", "pk")
    )


def units_under(paths: list[str]) -> QuerySet[Unit]:
    """The active units at or below any of `paths`, by the tree (pickers)."""
    found = Q(pk__in=[])
    for path in paths:
        found |= Q(path__startswith=path)
    return Unit.objects.filter(found, active=True).order_by("path")


def group_rows(groups: QuerySet) -> list:
    """Groups with their leader, members and units, for the groups page: three queries."""
    return list(
        groups.select_related("leader")
        .prefetch_related("members", "assigned__unit")
        .annotate(visit_count=Count("visits", distinct=True))
        .order_by("pk")
    )
