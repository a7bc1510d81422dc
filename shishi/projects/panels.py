"""The projects block of the staff home (工作台), registered in ProjectsConfig.ready()."""

from django.utils import timezone

from shishi.orgs.access import Actor
from shishi.projects import queries
from shishi.projects.access import visible_projects
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
