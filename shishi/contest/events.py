"""Recording contest events (the audit trail; a submission's rows are its timeline)."""

from datetime import datetime

from shishi.contest.models import Contest, ContestEvent, Submission
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit

Verb = ContestEvent.Verb


def build(
    contest: Contest,
    *,
    verb: str,
    now: datetime,
    actor: Actor | None = None,
    submission: Submission | None = None,
    unit: Unit | None = None,
    from_state: str = "",
    note: str = "",
) -> ContestEvent:
    """Unsaved; on a submission, its unit and status are the event's."""
    event = ContestEvent.build(
        contest,
        verb=verb,
        now=now,
        actor=actor,
        unit=unit or (submission.participant.unit if submission else None),
        from_state=from_state,
        note=note,
    )
    if submission is not None:
        event.submission = submission
        event.to_state = submission.status
    return event


def record(contest: Contest, **fields) -> ContestEvent:
    event = build(contest, **fields)
    event.save()
    return event
