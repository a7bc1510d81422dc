"""Recording project events: the disclosure page's timeline (public rows) and the audit trail.

`record()` appends any event by its code; the event types that carry data have their own
small function, so what each stores is written down once.
"""

from datetime import datetime

from shishi.core.supervision import LADDER_VERBS, Level
from shishi.orgs.access import Actor
from shishi.projects.models import Cadence, ProgressReport, Project, ProjectEvent, Status

Verb = ProjectEvent.Verb
PUBLIC_LABEL = "群众"  # how a member of the public acting without an account is named

# 申请/批准/不批准 a status change, by the status asked for.
REQUESTED = {
    Status.SUSPENDED: Verb.SUSPEND_REQUESTED,
    Status.IN_PROGRESS: Verb.RESUME_REQUESTED,
    Status.CANCELLED: Verb.CANCEL_REQUESTED,
}
DECIDED = {
    (Status.SUSPENDED, True): Verb.SUSPEND_APPROVED,
    (Status.SUSPENDED, False): Verb.SUSPEND_DENIED,
    (Status.IN_PROGRESS, True): Verb.RESUME_APPROVED,
    (Status.IN_PROGRESS, False): Verb.RESUME_DENIED,
    (Status.CANCELLED, True): Verb.CANCEL_APPROVED,
    (Status.CANCELLED, False): Verb.CANCEL_DENIED,
}


def record(
    project: Project,
    *,
    verb: Verb,
    now: datetime,
    actor: Actor | None = None,
    label: str = "",
    from_state: str = "",
    note: str = "",
    public: bool = False,
    data: dict | None = None,
) -> ProjectEvent:
    """Append one event on `project`; its `to_state` is the project's status now."""
    return ProjectEvent.record(
        project,
        verb=verb,
        now=now,
        actor=actor,
        label=label,
        from_state=from_state,
        note=note,
        public=public,
        data=data,
    )


def edited(*, project: Project, actor: Actor | None, changes: dict, now: datetime):
    return record(project, verb=Verb.EDITED, actor=actor, now=now, data={"changes": changes})


def report_filed(*, project: Project, actor: Actor, note: str, now: datetime) -> ProjectEvent:
    """Internal: the public reads a report once the leader approves it (`report_published`)."""
    weekly = project.cadence == Cadence.WEEKLY
    verb = Verb.WEEKLY_FILED if weekly else Verb.MONTHLY_FILED
    return record(project, verb=verb, actor=actor, now=now, note=note)


def report_summary(report: ProgressReport) -> str:
    """How a report reads on a timeline: its period, its text and the share of the works."""
    return f"{report.slot.period_start:%Y-%m-%d}期：{report.text[:80]}（形象进度{report.percent}%）"


def report_published(*, report: ProgressReport, actor: Actor, now: datetime) -> ProjectEvent:
    """The approved report on the public project page's timeline."""
    return record(
        report.project,
        verb=Verb.PROGRESS_PUBLISHED,
        actor=actor,
        now=now,
        public=True,
        note=report_summary(report),
        data={"report": report.pk},
    )


def rated(*, project: Project, stars: int, now: datetime) -> ProjectEvent:
    return record(project, verb=Verb.RATED, now=now, label=PUBLIC_LABEL, data={"stars": stars})


def rating_moderated(*, project: Project, actor: Actor, rating_id: int, shown: bool, now):
    return record(
        project,
        verb=Verb.RATING_MODERATED,
        actor=actor,
        now=now,
        data={"rating": rating_id, "shown": shown},
    )


def ladder_step(
    *, project: Project, duty: str, duty_id: int, level: Level, text: str, now: datetime
) -> ProjectEvent:
    """An unsaved 提醒/催办/督办/通报 event for a milestone or report slot of `project` (the
    sweep saves a batch at once)."""
    return ProjectEvent.build(
        project,
        verb=LADDER_VERBS[level],
        now=now,
        note=text,
        data={"duty": duty, "id": duty_id, "to": int(level)},
    )
