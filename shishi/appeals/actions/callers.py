"""The caller's phone: showing a hotline caller's full number to staff who call back, each
time with a reason that stays on the audit trail."""

import math
from datetime import datetime

from django.conf import settings
from django.db import transaction

from shishi.appeals import events
from shishi.appeals.access import may_reveal_phone
from shishi.appeals.actions.common import refuse_unless
from shishi.appeals.allowed import FROM, Step
from shishi.appeals.models import Appeal, AppealEvent
from shishi.core.errors import Refused
from shishi.core.masking import phone_hash
from shishi.core.ratelimit import Limited, hit
from shishi.orgs.access import Actor


@transaction.atomic
def reveal_phone(*, appeal: Appeal, actor: Actor, reason: str, now: datetime) -> AppealEvent:
    """Record that `actor` looked at the caller's full number and why (查看号码; an internal
    event the audit log lists). Refused without the right (`access.may_reveal_phone`), in a
    closed state, without a reason, or beyond `APPEAL_PHONE_REVEALS_PER_HOUR` reveals of the
    person's in an hour; a refusal records nothing."""
    if not may_reveal_phone(actor, appeal):
        raise Refused("您无权查看该群众的号码")
    reason = reason.strip()
    if not reason:
        raise Refused("请填写查看号码的事由")
    refuse_unless(appeal, FROM[Step.REVEAL_PHONE], "查看号码")
    try:
        hit(
            f"phone-reveal:person:{actor.person.pk}",
            limit=settings.APPEAL_PHONE_REVEALS_PER_HOUR,
            window=3600,
            now=now,
        )
    except Limited as limited:
        minutes = math.ceil(limited.retry_after / 60)
        raise Refused(f"查看号码次数过多，请 {minutes} 分钟后再试") from limited
    return events.phone_revealed(appeal=appeal, actor=actor, reason=reason, now=now)


def rehash_phones(*, batch: int = 2000) -> int:
    """Recompute every appeal's `phone_hash` with the current key (`shishi rehash_phones`,
    after the key changed); returns how many were rewritten. One transaction per batch."""
    rows = Appeal.objects.only("pk", "reporter_phone", "phone_hash").order_by("pk")
    changed, last = 0, 0
    while chunk := list(rows.filter(pk__gt=last)[:batch]):
        last = chunk[-1].pk
        stale = [a for a in chunk if a.phone_hash != phone_hash(a.reporter_phone)]
        for appeal in stale:
            appeal.phone_hash = phone_hash(appeal.reporter_phone)
        with transaction.atomic():
            Appeal.objects.bulk_update(stale, ["phone_hash"])
        changed += len(stale)
    return changed
