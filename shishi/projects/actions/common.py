"""What the project actions share: reading the project locked, moving it between states."""

from collections.abc import Sequence
from datetime import date, datetime

from django.utils import timezone

from shishi.core.errors import Conflict
from shishi.projects.models import Attachment, ProgressReport, Project


def today_of(now: datetime) -> date:
    return timezone.localdate(now)


def lock(project: Project) -> Project:
    """Re-read the project inside the transaction, locked on PostgreSQL."""
    return Project.objects.select_for_update().select_related("lead_unit").get(pk=project.pk)


def move(project: Project, *, to: str, allowed: Sequence[str], doing: str) -> str:
    """Set the new status if the current one allows it; returns the status it left."""
    if project.status not in allowed:
        raise Conflict(f"项目当前状态为“{project.get_status_display()}”，不能{doing}")
    before = project.status
    project.status = to
    return before


def attach(
    project: Project, *, kind: str, upload, report: ProgressReport | None = None
) -> Attachment:
    return Attachment.objects.create(
        project=project,
        report=report,
        kind=kind,
        file=upload,
        content_type=upload.content_type or "",
        size=upload.size,
    )
