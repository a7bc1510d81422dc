"""Recording assignment events (the assignment's timeline and the audit trail)."""

from datetime import datetime

from shishi.campaign.models import Assignment, AssignmentEvent
from shishi.orgs.access import Actor

Verb = AssignmentEvent.Verb


def record(
    assignment: Assignment,
    *,
    verb: Verb,
    now: datetime,
    actor: Actor | None = None,
    from_state: str = "",
    note: str = "",
) -> AssignmentEvent:
    return AssignmentEvent.record(
        assignment, verb=verb, now=now, actor=actor, from_state=from_state, note=note
    )


def assigned(assignment: Assignment, *, actor: Actor | None, now: datetime, joined: bool):
    """Unsaved: the issue writes one per target unit in a single insert."""
    return AssignmentEvent.build(
        assignment,
        verb=Verb.JOINED if joined else Verb.ASSIGNED,
        now=now,
        actor=actor,
        unit=assignment.unit,
        note=f"完成期限 {assignment.due:%Y-%m-%d}",
    )
