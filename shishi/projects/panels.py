"""The projects block of the staff home (工作台), registered in ProjectsConfig.ready()."""

from django.urls import reverse
from django.utils import timezone

from shishi.orgs.access import Actor
from shishi.orgs.navigation import ReviewItem
from shishi.projects import queries
from shishi.projects.access import reports_to_review, visible_projects
from shishi.projects.models import Status


def home_panel(actor: Actor) -> dict:
    """Projects of the subtree by status, with late milestones and missing reports: three
    queries."""
    projects = visible_projects(actor)
    today = timezone.localdate()
    counts = queries.status_counts(projects)
    return {
        "total": sum(counts.values()),
        "in_progress": counts.get(Status.IN_PROGRESS, 0),
        "done": sum(
            counts.get(s, 0) for s in (Status.COMPLETED, Status.ACCEPTED, Status.EVALUATED)
        ),
        "late_milestones": queries.late_milestones(projects, today=today).count(),
        "missing_reports": queries.missing_reports(projects, today=today).count(),
    }


def reports_to_approve(actor: Actor) -> list[ReviewItem]:
    """待我审核: progress reports of the projects this leader's unit leads (one query)."""
    reports = reports_to_review(actor).select_related("project", "slot", "filed_by")
    return [
        ReviewItem(
            kind="进度报告",
            title=report.project.title,
            detail=f"{report.project.code} · {report.slot.period_start:%Y-%m-%d}期，"
            f"{report.filed_by.name}报送，形象进度{report.percent}%；审核通过后才公开",
            url=reverse("projects:detail", args=[report.project.code]),
            at=report.filed_at,
            due=None,
        )
        for report in reports.order_by("filed_at")[:20]
    ]
