"""Recording the enterprise desk's events (the audit trail)."""

from datetime import datetime

from shishi.enterprises.models import Enterprise, EnterpriseEvent
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit

Verb = EnterpriseEvent.Verb


def record(
    enterprise: Enterprise,
    *,
    verb: str,
    now: datetime,
    actor: Actor | None,
    note: str = "",
    unit: Unit | None = None,
    data: dict | None = None,
) -> EnterpriseEvent:
    return EnterpriseEvent.record(
        enterprise,
        verb=verb,
        now=now,
        actor=actor,
        unit=unit or (actor.unit if actor else enterprise.county),
        note=note,
        data=data,
    )
