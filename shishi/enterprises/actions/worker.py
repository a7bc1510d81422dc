"""The worker's side of the desk: cadres who have not visited a paired enterprise within
N working days climb the supervision ladder (提醒 → 催办 → 督办 → 通报), texted to their
unit's clerks and leaders."""

from datetime import datetime

from shishi.core import supervision
from shishi.core.supervision import LADDER_VERBS
from shishi.enterprises import notifications
from shishi.enterprises.models import EnterpriseEvent, Pairing
from shishi.orgs import notify


def sweep_visits(*, now: datetime) -> dict:
    """The ladder over current pairings whose next visit is due (`visit_due`)."""

    def step(row: Pairing, level, overdue: int) -> supervision.Step:
        sms = notifications.ladder_sms(row, level, overdue)
        event = EnterpriseEvent.build(
            row.enterprise, verb=LADDER_VERBS[level], now=now, unit=row.unit, note=sms.text
        )
        return supervision.Step(event=event, unit_id=row.unit_id, sms=sms)

    rows = Pairing.objects.filter(ends_on__isnull=True).select_related(
        "enterprise", "cadre", "unit"
    )
    ladder = supervision.Ladder(rows=rows, step=step, due_field="visit_due")
    return supervision.sweep(ladder, now=now, recipients=notify.staff_phones)
