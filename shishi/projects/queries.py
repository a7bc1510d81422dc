"""Reads of projects: ledger filters, the public list, a project's page, home figures."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from shishi.orgs.models import Unit
from shishi.projects.models import (
    Area,
    Milestone,
    Objection,
    ProgressReport,
    Project,
    ProjectEvent,
    ProjectLevel,
    Rating,
    ReportSlot,
    Status,
)

LIST_RELATIONS = ("lead_unit",)
SORTS = {
    "new": ("-created_at", "-pk"),
    "end": ("planned_end", "pk"),
    "progress": ("-progress", "pk"),
    "budget": ("-budget", "pk"),
    "code": ("code",),
}


@dataclass
class Filters:
    q: str = ""
    area: str = ""
    level: str = ""
    status: str = ""
    county: int | None = None
    unit: int | None = None
    late: bool = False
    sort: str = "new"

    @classmethod
    def from_params(cls, params) -> "Filters":
        def number(name):
            value = params.get(name, "")
            return int(value) if value.isdigit() else None

        return cls(
            q=params.get("q", "").strip()[:100],
            area=params.get("area", "") if params.get("area") in Area.values else "",
            level=params.get("level", "") if params.get("level") in ProjectLevel.values else "",
            status=params.get("status", "") if params.get("status") in Status.values else "",
            county=number("county"),
            unit=number("unit"),
            late=params.get("late") == "1",
            sort=params.get("sort", "new") if params.get("sort") in SORTS else "new",
        )


def apply_filters(
    projects: QuerySet[Project],
    filters: Filters,
    *,
    unit: Unit | None = None,
    county: Unit | None = None,
) -> QuerySet[Project]:
    """`unit` and `county` come already checked (staff: access; public: divisions)."""
    if filters.q:
        projects = projects.filter(
            Q(title__icontains=filters.q)
            | Q(code=filters.q.upper())
            | Q(place__icontains=filters.q)
            | Q(description__icontains=filters.q)
        )
    if filters.area:
        projects = projects.filter(area=filters.area)
    if filters.level:
        projects = projects.filter(level=filters.level)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if unit is not None:
        projects = projects.filter(lead_unit__path__startswith=unit.path)
    if county is not None:
        projects = projects.filter(lead_unit__path__startswith=county.path)
    if filters.late:
        today = timezone.localdate()
        projects = projects.filter(
            Q(milestones__done_at__isnull=True, milestones__due__lt=today)
            | Q(slots__report__isnull=True, slots__due__lt=today),
            status=Status.IN_PROGRESS,
        ).distinct()
    return projects.select_related(*LIST_RELATIONS).order_by(*SORTS[filters.sort])


def milestones(project: Project) -> QuerySet[Milestone]:
    return project.milestones.order_by("due", "pk")


def reports(project: Project) -> QuerySet[ProgressReport]:
    return (
        project.reports.select_related("slot", "filed_by", "reviewed_by")
        .prefetch_related("attachments")
        .order_by("-slot__period_start")
    )


def slots_to_file(project: Project) -> QuerySet[ReportSlot]:
    """Periods still owing a report (none, or one the leader sent back)."""
    return project.slots.filter(
        Q(report__isnull=True) | Q(report__review=ProgressReport.Review.RETURNED)
    ).order_by("period_start")


def timeline(project: Project, *, public_only: bool = False) -> QuerySet[ProjectEvent]:
    events = project.events.order_by("at", "pk")
    return events.filter(public=True) if public_only else events


def objections(project: Project, *, answered_only: bool = False) -> QuerySet[Objection]:
    rows = project.objections.order_by("created_at")
    return rows.filter(answered_at__isnull=False) if answered_only else rows


def shown_ratings(project: Project) -> QuerySet[Rating]:
    return project.ratings.filter(moderation=Rating.Moderation.SHOWN).exclude(comment="")


def photos(project: Project):
    return project.attachments.filter(content_type__startswith="image/").order_by("uploaded_at")


def documents(project: Project):
    """Evidence that is not a picture (PDF), for the staff page."""
    return project.attachments.exclude(content_type__startswith="image/").order_by("uploaded_at")


def ratings_to_moderate(ratings: QuerySet[Rating], *, pending: bool) -> QuerySet[Rating]:
    ratings = ratings.select_related("project").exclude(comment="")
    if pending:
        ratings = ratings.filter(moderation=Rating.Moderation.PENDING)
    return ratings.order_by("-created_at")


def status_counts(projects: QuerySet[Project]) -> dict[str, int]:
    rows = projects.order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def home_panel(actor) -> dict:
    from shishi.projects.access import visible_projects

    projects = visible_projects(actor)
    today = timezone.localdate()
    counts = status_counts(projects)
    return {
        "total": sum(counts.values()),
        "in_progress": counts.get(Status.IN_PROGRESS, 0),
        "done": sum(
            counts.get(s, 0) for s in (Status.COMPLETED, Status.ACCEPTED, Status.EVALUATED)
        ),
        "late_milestones": Milestone.objects.filter(
            project__in=projects.filter(status=Status.IN_PROGRESS).values("pk"),
            done_at__isnull=True,
            due__lt=today,
        ).count(),
        "missing_reports": ReportSlot.objects.filter(
            project__in=projects.filter(status=Status.IN_PROGRESS).values("pk"),
            report__isnull=True,
            due__lt=today,
        ).count(),
    }


def slot_of(project: Project, pk: int) -> ReportSlot | None:
    return project.slots.filter(pk=pk).first()


def report_of(project: Project, pk: int) -> ProgressReport | None:
    return project.reports.filter(pk=pk).first()


def objection_of(project: Project, pk: int) -> Objection | None:
    return project.objections.filter(pk=pk).first()


def attachment_of(project: Project, pk: int):
    return project.attachments.filter(pk=pk).first()
