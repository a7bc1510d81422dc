"""Recording outreach events (the audit trail of teams, lectures, activities, posts and the
党史上的今天 entries)."""

from datetime import datetime

from shishi.orgs.access import Actor
from shishi.orgs.models import Unit
from shishi.outreach.models import OutreachEvent

Verb = OutreachEvent.Verb


def record(
    owner: Unit, *, verb: Verb, actor: Actor, now: datetime, target: str, note: str = ""
) -> OutreachEvent:
    """One row: `owner` is the unit whose team/post/record it is, `target` names the row."""
    event = OutreachEvent.build(owner, verb=verb, now=now, actor=actor, note=note)
    event.target = target[:120]
    event.save()
    return event
