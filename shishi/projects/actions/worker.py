"""The worker's project jobs, on the duty kit: report slots, the supervision ladder for late
milestones and missing reports, and closing the rating window."""

from datetime import date, datetime

from django.utils import timezone

from shishi.core import supervision
from shishi.core.indexes import literal_in
from shishi.core.supervision import Level
from shishi.orgs.notify import ref, staff_phones
from shishi.projects import events, notifications
from shishi.projects.actions.reports import period_of
from shishi.projects.models import Milestone, Project, ProjectEvent, ReportSlot, Status


def open_slots(*, today: date) -> int:
    """Every project in progress owes a report for the current period: create its slot."""
    created = 0
    for project in Project.objects.filter(status=Status.IN_PROGRESS).only("pk", "cadence"):
        start, due = period_of(today, project.cadence)
        _, made = ReportSlot.objects.get_or_create(
            project=project, period_start=start, defaults={"due": due}
        )
        created += made
    return created


def _ladder(rows, *, duty: str, describe, now: datetime) -> supervision.Ladder:
    def step(row, level: Level, overdue: int) -> supervision.Step:
        sms = notifications.ladder_sms(describe(row), level=level, due=row.due, overdue=overdue)
        event = events.ladder_step(
            project=row.project, duty=duty, duty_id=row.pk, level=level, text=sms.text, now=now
        )
        return supervision.Step(
            event=event, unit_id=row.project.lead_unit_id, sms=sms, ref=ref(row.project)
        )

    return supervision.Ladder(rows=rows.select_related("project"), step=step)


def sweep_supervision(*, now: datetime, chunk: int = 500) -> dict[str, int]:
    """Late milestones and missing reports climb the ladder appeals climb."""
    ladders = {
        "milestones": _ladder(
            Milestone.objects.filter(done_at__isnull=True, project__status=Status.IN_PROGRESS),
            duty="milestones",
            describe=lambda m: f"项目{m.project.code}的节点“{m.title}”",
            now=now,
        ),
        "reports": _ladder(
            ReportSlot.objects.filter(report__isnull=True, project__status=Status.IN_PROGRESS),
            duty="reports",
            describe=lambda s: f"项目{s.project.code}的{s.period_start:%m月%d日}期进度报告",
            now=now,
        ),
    }
    return {
        name: sum(supervision.sweep(ladder, now=now, recipients=staff_phones, chunk=chunk).values())
        for name, ladder in ladders.items()
    }


def close_evaluations(*, now: datetime, chunk: int = 500) -> int:
    """Accepted projects whose rating window has ended become 已评价."""

    def record(project: Project) -> ProjectEvent:
        average = f"，平均{project.rating}星" if project.rating_count else ""
        return ProjectEvent.build(
            project,
            verb=events.Verb.RATING_CLOSED,
            now=now,
            from_state=Status.ACCEPTED,
            public=True,
            note=f"评价期结束，共{project.rating_count}人评价{average}",
        )

    return supervision.close_due(
        Project.objects.filter(literal_in(Project, "status", [Status.ACCEPTED])),
        due_field="rating_until",
        today=timezone.localdate(now),
        changes={"status": Status.EVALUATED},
        record=record,
        chunk=chunk,
    )
