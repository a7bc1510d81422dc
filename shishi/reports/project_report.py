"""实事项目推进情况周报/月报 — what moved, what is late and who has not reported, for the
projects a viewer's subtree leads, over one ISO week or calendar month.

The figures (read by the page, the DOCX and the tests alike):
- 进度推进: a project whose latest progress report filed in the period (pending or approved;
  a returned one does not count) states another 形象进度 than its latest report filed before
  the period (0% before its first report);
- 完成与验收: the 项目完成 and 验收通过 events of the period;
- 超期: projects in progress with a milestone not done or a report not filed by its date, as
  of `today` (as `Project.objects.late`), late by calendar days since the oldest such date;
- 应报送: report slots due in the period whose due date has passed (due < today, as
  `projects.metrics`), of projects neither draft nor cancelled; each is 按时 (filed by its due
  date), 迟报 (filed after it) or 未报送 (not filed to this day);
- 迟报单位: reports filed in the period after their due date;
- 按时报送率: 按时 / 应报送, None when nothing was due (shown as 无数据, never 0).

Only projects whose lead unit lies in the viewer's subtree count: a project the subtree merely
co-runs is reported by its own lead unit, outside the viewer's reach.

A fixed number of queries (eight) whatever the number of projects.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from shishi.core.documents import Document, Heading, Paragraph, Table
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit
from shishi.projects.access import visible_projects
from shishi.projects.models import (
    Cadence,
    Milestone,
    ProgressReport,
    Project,
    ProjectEvent,
    ReportSlot,
    Status,
)

WEEK, MONTH = "week", "month"
KINDS = {WEEK: "周报", MONTH: "月报"}
NO_DATA = "无数据"
# Projects that owe no reports (as projects.metrics counts them).
NOT_COUNTED = (Status.DRAFT, Status.CANCELLED)
FINISHING_VERBS = (ProjectEvent.Verb.COMPLETED, ProjectEvent.Verb.ACCEPTED)
Review = ProgressReport.Review


def month_day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def full_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Period:
    """An ISO week (Monday to Sunday) or a calendar month; `end` is its last day."""

    kind: str
    start: date
    end: date

    @classmethod
    def containing(cls, day: date, kind: str) -> "Period":
        if kind == WEEK:
            start = day - timedelta(days=day.weekday())
            return cls(kind, start, start + timedelta(days=6))
        start = day.replace(day=1)
        following = (start + timedelta(days=31)).replace(day=1)
        return cls(kind, start, following - timedelta(days=1))

    @property
    def previous(self) -> "Period":
        return Period.containing(self.start - timedelta(days=1), self.kind)

    @property
    def following(self) -> "Period":
        return Period.containing(self.end + timedelta(days=1), self.kind)

    @property
    def name(self) -> str:
        return KINDS[self.kind]

    @property
    def this(self) -> str:
        """How the text names the period: 本周 / 本月."""
        return "本周" if self.kind == WEEK else "本月"

    @property
    def unit_word(self) -> str:
        return "周" if self.kind == WEEK else "月"

    @property
    def label(self) -> str:
        """2026年第48周，11月23日—11月29日 / 2026年11月."""
        if self.kind == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        year, week, _ = self.start.isocalendar()

        def day(d: date) -> str:
            return month_day(d) if d.year == year else full_day(d)

        return f"{year}年第{week}周，{day(self.start)}—{day(self.end)}"

    @property
    def title(self) -> str:
        return f"实事项目推进情况{self.name}（{self.label}）"

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware moments of the business time zone."""
        zone = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )


@dataclass
class Moved:
    """A project whose stated progress moved in the period."""

    project: Project
    before: int
    after: int
    filed: date
    review: str  # 待审核 / 已审核


@dataclass
class Finished:
    """A project completed or accepted in the period."""

    project: Project
    what: str  # 项目完成 / 验收通过
    day: date


@dataclass
class Overdue:
    """A project in progress with milestones or reports past their date."""

    project: Project
    items: list[str]
    since: date  # the oldest date missed
    days: int = 0
    milestones: int = 0  # milestones not done by their date
    reports: int = 0  # reports not filed by their due date


@dataclass
class UnitSlots:
    """A lead unit's report slots in one list (未报送 or 迟报): per project, how many."""

    unit: Unit
    projects: list[tuple[Project, int]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(n for _, n in self.projects)

    @property
    def names(self) -> str:
        return "、".join(p.title + (f"（{n}期）" if n > 1 else "") for p, n in self.projects)


@dataclass
class Totals:
    in_progress: int
    due: int
    on_time: int
    late: int
    missing: int

    @property
    def rate(self) -> float | None:
        """按时报送率; None when nothing was due."""
        return self.on_time / self.due if self.due else None

    @property
    def rate_text(self) -> str:
        return NO_DATA if self.rate is None else f"{self.rate * 100:.1f}%".replace(".0%", "%")


@dataclass
class ProjectReport:
    period: Period
    today: date
    unit: Unit  # the viewer's unit: the scope is its subtree, and it issues the document
    moved: list[Moved]
    finished: list[Finished]
    overdue: list[Overdue]
    missing: list[UnitSlots]
    late_filed: list[UnitSlots]
    totals: Totals

    @property
    def is_current(self) -> bool:
        return self.period.start <= self.today <= self.period.end

    @property
    def has_next(self) -> bool:
        return self.period.following.start <= self.today


def build(actor: Actor, *, kind: str, day: date, today: date) -> ProjectReport:
    """The report of the period of `kind` containing `day`, over the projects the actor's
    subtree leads, as things stand on `today`."""
    period = Period.containing(day, kind)
    projects = visible_projects(actor).filter(lead_unit__path__startswith=actor.scope_path)
    counted = projects.exclude(status__in=NOT_COUNTED).values("pk")
    start, end = period.bounds()
    last_due = min(period.end, today - timedelta(days=1))  # a slot due today is not late yet
    due = ReportSlot.objects.filter(project__in=counted, due__gte=period.start, due__lte=last_due)
    tally = due.aggregate(
        due=Count("pk"),
        missing=Count("pk", filter=Q(report__isnull=True)),
        late=Count("pk", filter=Q(report__late=True)),
    )
    totals = Totals(
        in_progress=projects.in_progress().count(),
        due=tally["due"],
        on_time=tally["due"] - tally["missing"] - tally["late"],
        late=tally["late"],
        missing=tally["missing"],
    )
    missing = due.filter(report__isnull=True).select_related("project__lead_unit")
    late_filed = ProgressReport.objects.filter(
        project__in=counted, late=True, filed_at__gte=start, filed_at__lt=end
    ).select_related("project__lead_unit")
    return ProjectReport(
        period=period,
        today=today,
        unit=actor.unit,
        moved=_moved(projects, start=start, end=end),
        finished=_finished(projects, start=start, end=end),
        overdue=_overdue(projects, today=today),
        missing=_by_unit(slot.project for slot in missing),
        late_filed=_by_unit(report.project for report in late_filed),
        totals=totals,
    )


def _moved(projects: QuerySet[Project], *, start: datetime, end: datetime) -> list[Moved]:
    def latest(**filed) -> QuerySet[ProgressReport]:
        return (
            ProgressReport.objects.filter(project=OuterRef("pk"), **filed)
            .exclude(review=Review.RETURNED)
            .order_by("-slot__period_start", "-filed_at")
        )

    now, before = latest(filed_at__gte=start, filed_at__lt=end), latest(filed_at__lt=start)
    rows = (
        projects.annotate(
            after=Subquery(now.values("percent")[:1]),
            filed=Subquery(now.values("filed_at")[:1]),
            review_code=Subquery(now.values("review")[:1]),
            before=Subquery(before.values("percent")[:1]),
        )
        .filter(after__isnull=False)
        .select_related("lead_unit")
        .order_by("lead_unit__path", "code")
    )
    return [
        Moved(
            project=p,
            before=p.before or 0,
            after=p.after,
            filed=timezone.localdate(p.filed),
            review=Review(p.review_code).label,
        )
        for p in rows
        if p.after != (p.before or 0)
    ]


def _finished(projects: QuerySet[Project], *, start: datetime, end: datetime) -> list[Finished]:
    events = (
        ProjectEvent.objects.filter(
            project__in=projects.values("pk"), verb__in=FINISHING_VERBS, at__gte=start, at__lt=end
        )
        .select_related("project__lead_unit")
        .order_by("at", "pk")
    )
    return [
        Finished(project=e.project, what=e.get_verb_display(), day=timezone.localdate(e.at))
        for e in events
    ]


def _overdue(projects: QuerySet[Project], *, today: date) -> list[Overdue]:
    running = projects.in_progress().values("pk")
    milestones = Milestone.objects.filter(
        project__in=running, done_at__isnull=True, due__lt=today
    ).select_related("project__lead_unit")
    slots = ReportSlot.objects.filter(
        project__in=running, report__isnull=True, due__lt=today
    ).select_related("project__lead_unit")
    late: list[tuple[date, Project, str]] = [
        (m.due, m.project, f"节点“{m.title}”（{month_day(m.due)}到期）") for m in milestones
    ]
    unfiled: dict[int, list[ReportSlot]] = defaultdict(list)
    for slot in slots:
        unfiled[slot.project_id].append(slot)
    for owed in unfiled.values():
        first = min(owed, key=lambda s: s.due)
        late.append((first.due, first.project, _unfiled_text(first, len(owed))))
    rows: dict[int, Overdue] = {}
    for due, project, text in sorted(late, key=lambda item: (item[0], item[2])):
        row = rows.setdefault(project.pk, Overdue(project=project, items=[], since=due))
        row.items.append(text)
    for row in rows.values():
        row.days = (today - row.since).days
        row.reports = len(unfiled.get(row.project.pk, ()))
    for milestone in milestones:
        rows[milestone.project_id].milestones += 1
    return sorted(rows.values(), key=lambda r: (-r.days, r.project.lead_unit.path, r.project.code))


def _unfiled_text(first: ReportSlot, count: int) -> str:
    """One report not filed, or several at once from the oldest on."""
    start, due = first.period_start, month_day(first.due)
    weekly = first.project.cadence == Cadence.WEEKLY
    if count == 1:
        name = f"{month_day(start)}当周周报" if weekly else f"{start.year}年{start.month}月月报"
        return f"{name}（{due}截止）未报送"
    since = f"{month_day(start)}当周" if weekly else f"{start.year}年{start.month}月"
    return f"{'周报' if weekly else '月报'}{count}期未报送（最早为{since}，{due}截止）"


def _by_unit(projects) -> list[UnitSlots]:
    """Per lead unit, its projects with how many slots each: most first, then tree order."""
    counts: dict[int, dict[int, list]] = defaultdict(dict)
    units: dict[int, Unit] = {}
    for project in projects:
        units[project.lead_unit_id] = project.lead_unit
        entry = counts[project.lead_unit_id].setdefault(project.pk, [project, 0])
        entry[1] += 1
    rows = [
        UnitSlots(
            unit=units[unit_id],
            projects=sorted(((p, n) for p, n in entries.values()), key=lambda e: e[0].code),
        )
        for unit_id, entries in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.count, r.unit.path))


# --- The document ----------------------------------------------------------------------------


def summary_text(report: ProjectReport) -> str:
    """The opening paragraph: every total of the period in one sentence."""
    t, period = report.totals, report.period
    text = f"截至{full_day(report.today)}，实施中项目{t.in_progress}个。"
    if t.due:
        text += (
            f"{period.this}应报送进度报告{t.due}期，按时报送{t.on_time}期，迟报{t.late}期，"
            f"未报送{t.missing}期，按时报送率{t.rate_text}。"
        )
    else:
        text += f"{period.this}没有已到截止日的报送期，按时报送率{NO_DATA}。"
    text += (
        f"{period.this}进度有推进的项目{len(report.moved)}个，"
        f"完成或验收{len({f.project.pk for f in report.finished})}个，"
        f"截至目前超期项目{len(report.overdue)}个。"
    )
    return text


def document(report: ProjectReport) -> Document:
    """The report as a document: totals in words, then one table per list (each also a sheet
    of the XLSX annex); a list with nothing in it is a sentence instead of an empty table."""
    period = report.period
    out = Document(
        title=period.title, issuer=report.unit.name, issued=report.today, header=report.unit.name
    )
    out.add(Heading("总体情况"), Paragraph(summary_text(report)))

    out.add(Heading("项目进展"), Heading("进度推进", level=2))
    if report.moved:
        out.add(
            Table(
                title=f"{period.this}进度推进的项目",
                headers=("项目", "牵头单位", "原进度", "现进度", "报送日期", "审核"),
                rows=[
                    (
                        m.project.title,
                        m.project.lead_unit.name,
                        m.before,
                        m.after,
                        m.filed,
                        m.review,
                    )
                    for m in report.moved
                ],
                note="进度为进度报告所报形象进度（%）：原进度为本期以前最近一期，"
                "现进度为本期报送的最近一期。",
                sheet="进度推进",
            )
        )
    else:
        out.add(Paragraph(f"{period.this}没有项目报送新的形象进度。"))
    out.add(Heading("完成与验收", level=2))
    if report.finished:
        out.add(
            Table(
                title=f"{period.this}完成或验收的项目",
                headers=("项目", "牵头单位", "事项", "日期"),
                rows=[
                    (f.project.title, f.project.lead_unit.name, f.what, f.day)
                    for f in report.finished
                ],
                sheet="完成与验收",
            )
        )
    else:
        out.add(Paragraph(f"{period.this}没有项目完成或通过验收。"))

    out.add(Heading("超期项目"))
    if report.overdue:
        out.add(
            Table(
                title=f"超期项目（截至{full_day(report.today)}）",
                headers=("项目", "牵头单位", "逾期节点", "未报进度", "最早逾期", "天数"),
                rows=[
                    (
                        o.project.title,
                        o.project.lead_unit.name,
                        o.milestones,
                        o.reports,
                        o.since,
                        o.days,
                    )
                    for o in report.overdue
                ],
                note="实施中项目有节点过了计划完成日期仍未完成（逾期节点，个），或进度报告过了"
                "截止日仍未报送（未报进度，期）；天数自最早逾期的日期起算。",
                sheet="超期项目",
            )
        )
    else:
        out.add(Paragraph(f"截至{full_day(report.today)}，没有超期项目。"))

    out.add(Heading("报送情况"), Heading("未报送", level=2))
    if report.missing:
        out.add(_unit_table(f"{period.this}未报送进度的单位", "未报送期数", report.missing))
    elif report.totals.due:
        out.add(Paragraph(f"{period.this}已到截止日的进度报告均已报送。"))
    else:
        out.add(Paragraph(f"{period.this}没有已到截止日的报送期。"))
    out.add(Heading("迟报", level=2))
    if report.late_filed:
        out.add(_unit_table(f"{period.this}迟报进度的单位", "迟报期数", report.late_filed))
    else:
        out.add(Paragraph(f"{period.this}没有单位迟报进度。"))
    return out


def _unit_table(title: str, counted: str, rows: list[UnitSlots]) -> Table:
    return Table(
        title=title,
        headers=("牵头单位", counted, "项目"),
        rows=[(r.unit.name, r.count, r.names) for r in rows],
        sheet=title.removeprefix("本周").removeprefix("本月")[:31],
    )
