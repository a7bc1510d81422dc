"""What may be done to a project now, in one place: the project page shows a step's form only
when `allowed_actions` lists it, and the actions refuse a step outside the states `FROM`
gives it. A test walks every state and role and proves the two agree.
"""

from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from django.utils import timezone

from shishi.orgs.access import Actor
from shishi.projects.access import Perm, leads, supervises
from shishi.projects.models import (
    EDITABLE_STATUSES,
    Milestone,
    Objection,
    Project,
    ReportSlot,
    Status,
)
from shishi.projects.queries import slots_to_file


class Step(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    DISCLOSE = "disclose"
    START = "start"
    ADD_MILESTONE = "milestone_add"
    REMOVE_MILESTONE = "milestone_remove"
    COMPLETE_MILESTONE = "milestone_done"
    FILE_REPORT = "report"
    COMPLETE = "complete"
    REQUEST_STATUS = "status_request"
    REVIEW = "review"
    ACCEPT = "accept"
    DECIDE_STATUS = "decide_status"


# A project not yet finished (completed, accepted, evaluated) nor cancelled.
UNFINISHED = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.APPROVED,
    Status.DISCLOSED,
    Status.IN_PROGRESS,
    Status.SUSPENDED,
)

# Which states a suspension, resumption or cancellation may start from. Suspension is for
# work under way only, so resuming always returns to 实施中.
STATUS_CHANGES: dict[str, tuple[str, ...]] = {
    Status.SUSPENDED: (Status.IN_PROGRESS,),
    Status.IN_PROGRESS: (Status.SUSPENDED,),
    Status.CANCELLED: UNFINISHED,
}

# The states each step may start from (the actions check these).
FROM: dict[Step, tuple[str, ...]] = {
    Step.EDIT: EDITABLE_STATUSES,
    Step.SUBMIT: (Status.DRAFT,),
    Step.DISCLOSE: (Status.APPROVED,),
    Step.START: (Status.DISCLOSED,),
    Step.ADD_MILESTONE: UNFINISHED,
    Step.REMOVE_MILESTONE: EDITABLE_STATUSES,
    Step.COMPLETE_MILESTONE: (Status.IN_PROGRESS,),
    Step.FILE_REPORT: (Status.IN_PROGRESS,),
    Step.COMPLETE: (Status.IN_PROGRESS,),
    Step.REQUEST_STATUS: UNFINISHED,  # every state a change starts from
    Step.REVIEW: (Status.SUBMITTED,),
    Step.ACCEPT: (Status.COMPLETED,),
}

_LEAD_STEPS = (
    Step.EDIT,
    Step.SUBMIT,
    Step.DISCLOSE,
    Step.START,
    Step.ADD_MILESTONE,
    Step.REMOVE_MILESTONE,
    Step.COMPLETE_MILESTONE,
    Step.FILE_REPORT,
    Step.COMPLETE,
    Step.REQUEST_STATUS,
)


def allowed_actions(
    actor: Actor,
    project: Project,
    *,
    today: date | None = None,
    milestones: Sequence[Milestone] | None = None,
    objections: Sequence[Objection] | None = None,
    slots: Sequence[ReportSlot] | None = None,
) -> frozenset[Step]:
    """The steps `actor` may take on `project` now: the lead unit runs it, a unit above it
    decides. Besides the state, what an action would refuse is checked here (milestones to
    submit or finish, the disclosure period, open objections, a period owing a report), so a
    shown form is accepted; input (a reason, evidence) is the action's to check. A page that
    has read the project's `milestones`, `objections` and owed report `slots` passes them."""
    today = today or timezone.localdate()
    status = project.status
    allowed: set[Step] = set()
    if leads(actor, project) and actor.can(Perm.RUN):
        allowed |= {step for step in _LEAD_STEPS if status in FROM[step]}
        if project.pending_status:
            allowed.discard(Step.REQUEST_STATUS)  # one request at a time
        allowed -= _unmet(
            project, allowed, today=today, milestones=milestones, objections=objections, slots=slots
        )
    if supervises(actor, project) and actor.can(Perm.APPROVE):
        allowed |= {step for step in (Step.REVIEW, Step.ACCEPT) if status in FROM[step]}
        if project.pending_status:
            allowed.add(Step.DECIDE_STATUS)
    return frozenset(allowed)


def _unmet(
    project: Project,
    steps: set[Step],
    *,
    today: date,
    milestones: Sequence[Milestone] | None,
    objections: Sequence[Objection] | None,
    slots: Sequence[ReportSlot] | None,
) -> set[Step]:
    """Of the lead unit's `steps`, those whose precondition beyond the state is not met."""
    unmet: set[Step] = set()
    if steps & {Step.SUBMIT, Step.REMOVE_MILESTONE, Step.COMPLETE, Step.COMPLETE_MILESTONE}:
        if milestones is None:
            milestones = list(project.milestones.only("pk", "done_at"))
        if not milestones:
            unmet |= {Step.SUBMIT, Step.REMOVE_MILESTONE}
        if any(m.done_at is None for m in milestones):
            unmet.add(Step.COMPLETE)  # every milestone first
        else:
            unmet.add(Step.COMPLETE_MILESTONE)
    if Step.START in steps:
        if objections is None:
            objections = list(project.objections.filter(answered_at__isnull=True))
        in_disclosure = project.disclosure_until and today <= project.disclosure_until
        if in_disclosure or any(o.answered_at is None for o in objections):
            unmet.add(Step.START)  # the disclosure period runs, or an objection awaits its answer
    if Step.FILE_REPORT in steps:
        if slots is None:
            slots = list(slots_to_file(project))
        if not slots:
            unmet.add(Step.FILE_REPORT)
    return unmet


def status_targets(project: Project) -> list[str]:
    """The changes (暂停/恢复/取消) the lead unit may ask for from the project's state now."""
    return [to for to, starts in STATUS_CHANGES.items() if project.status in starts]
