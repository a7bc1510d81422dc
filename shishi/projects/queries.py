"""Reads of projects: ledger filters, the public list, a project's page, home figures."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from shishi.appeals.models import Appeal
from shishi.orgs.models import Unit
from shishi.projects.models import (
    DONE_STATUSES,
    PROGRESS_BANDS,
    UNCOUNTED_STATUSES,
    Attachment,
    Milestone,
    Objection,
    ProgressReport,
    Project,
    ProjectEvent,
    Rating,
    ReportSlot,
)

LIST_RELATIONS = ("lead_unit",)
SORTS = {
    "new": ("-created_at", "-pk"),
    "end": ("planned_end", "pk"),
    "progress": ("-progress", "pk"),
    "budget": ("-budget", "pk"),
    "code": ("code",),
}


def apply_filters(
    projects: QuerySet[Project],
    filters: Mapping[str, Any],
    *,
    today: date,
    unit: Unit | None = None,
    county: Unit | None = None,
) -> QuerySet[Project]:
    """The list filters (validated by `projects.forms.ProjectFilterForm`); `unit` and
    `county` come already checked (staff: access; public: divisions)."""
    if q := filters.get("q"):
        projects = projects.filter(
            Q(title__icontains=q)
            | Q(code=q.upper())
            | Q(place__icontains=q)
            | Q(description__icontains=q)
        )
    for name in ("area", "level", "status"):
        if filters.get(name):
            projects = projects.filter(**{name: filters[name]})
    if unit is not None:
        projects = projects.filter(lead_unit__path__startswith=unit.path)
    if county is not None:
        projects = projects.filter(lead_unit__path__startswith=county.path)
    if filters.get("late"):
        projects = projects.late(today)
    if filters.get("done"):
        projects = projects.filter(status__in=DONE_STATUSES)
    if filters.get("counted"):
        projects = projects.exclude(status__in=UNCOUNTED_STATUSES)
    if band := PROGRESS_BANDS.get(filters.get("progress") or ""):
        projects = projects.filter(progress__gte=band[1], progress__lte=band[2])
    sort = SORTS[filters.get("sort") or "new"]
    return projects.select_related(*LIST_RELATIONS).order_by(*sort)


def linked_appeals(project: Project):
    """The appeals the project answers (生成实事项目 from the queue)."""
    return Appeal.objects.filter(projects=project).only("code", "title", "status")


def co_units(project: Project) -> QuerySet[Unit]:
    return Unit.objects.filter(co_projects=project).order_by("path")


def milestones(project: Project) -> QuerySet[Milestone]:
    return project.milestones.order_by("due", "pk")


def reports(project: Project) -> QuerySet[ProgressReport]:
    return project.reports.select_related("slot", "filed_by", "reviewed_by").order_by(
        "-slot__period_start"
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


def public_photos(project: Project) -> QuerySet[Attachment]:
    """The photos anyone may see: completion evidence, and a progress report's only once its
    leader approved it (a pending or returned report shows nothing)."""
    return (
        project.attachments.filter(content_type__startswith="image/")
        .filter(Q(report__isnull=True) | Q(report__review=ProgressReport.Review.APPROVED))
        .order_by("uploaded_at", "pk")
    )


def evidence(project: Project) -> tuple[list[Attachment], list[Attachment]]:
    """The staff page's files in one query: (pictures, documents such as PDFs)."""
    files = list(project.attachments.order_by("uploaded_at", "pk"))
    return [f for f in files if f.is_image], [f for f in files if not f.is_image]


def ratings_to_moderate(ratings: QuerySet[Rating], *, pending: bool) -> QuerySet[Rating]:
    ratings = ratings.select_related("project").exclude(comment="")
    if pending:
        ratings = ratings.filter(moderation=Rating.Moderation.PENDING)
    return ratings.order_by("-created_at")


def status_counts(projects: QuerySet[Project]) -> dict[str, int]:
    rows = projects.order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def late_milestones(projects: QuerySet[Project], *, today: date) -> QuerySet[Milestone]:
    """Milestones of projects in progress not done by their date."""
    return Milestone.objects.filter(
        project__in=projects.in_progress().values("pk"), done_at__isnull=True, due__lt=today
    )


def missing_reports(projects: QuerySet[Project], *, today: date) -> QuerySet[ReportSlot]:
    """Report periods of projects in progress past their due date without a report."""
    return ReportSlot.objects.filter(
        project__in=projects.in_progress().values("pk"), report__isnull=True, due__lt=today
    )


def slot_of(project: Project, pk: int) -> ReportSlot | None:
    return project.slots.filter(pk=pk).first()


def report_of(project: Project, pk: int) -> ProgressReport | None:
    return project.reports.filter(pk=pk).first()


def objection_of(project: Project, pk: int) -> Objection | None:
    return project.objections.filter(pk=pk).first()


def attachment_of(project: Project, pk: int) -> Attachment | None:
    return project.attachments.filter(pk=pk).first()


def public_photo_of(project: Project, pk: int) -> Attachment | None:
    return public_photos(project).filter(pk=pk).first()
