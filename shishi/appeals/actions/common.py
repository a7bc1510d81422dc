"""What the appeal actions share: reading the appeal locked, and refusing a wrong state."""

from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone

from shishi.appeals.models import Appeal
from shishi.core.errors import Refused


def today_of(now: datetime) -> date:
    return timezone.localdate(now)


def lock(appeal: Appeal) -> Appeal:
    """Re-read the appeal inside the transaction, locked on PostgreSQL (SQLite serialises
    writers already), so two clerks cannot act on the same old state."""
    return Appeal.objects.select_for_update().select_related("holder", "category").get(pk=appeal.pk)


def refuse_unless(appeal: Appeal, statuses: Iterable[str], doing: str) -> None:
    if appeal.status not in statuses:
        raise Refused(f"该诉求当前状态为“{appeal.get_status_display()}”，不能{doing}")
