"""What the appeal actions share: reading the appeal locked, and refusing a wrong state."""

from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone

from shishi.appeals.models import Appeal, Reply
from shishi.core.errors import Conflict


def today_of(now: datetime) -> date:
    return timezone.localdate(now)


def lock(appeal: Appeal) -> Appeal:
    """Re-read the appeal inside the transaction, locked on PostgreSQL (SQLite serialises
    writers already), so two clerks cannot act on the same old state."""
    return Appeal.objects.select_for_update().select_related("holder", "category").get(pk=appeal.pk)


def refuse_unless(appeal: Appeal, statuses: Iterable[str], doing: str) -> None:
    if appeal.status not in statuses:
        raise Conflict(f"该诉求当前状态为“{appeal.get_status_display()}”，不能{doing}")


def refuse_while_awaiting_approval(appeal: Appeal, doing: str) -> None:
    """A draft reply waiting for the leader keeps the appeal where it is (allowed.py
    HELD_FOR_APPROVAL)."""
    if Reply.objects.filter(appeal=appeal, approval=Reply.Approval.PENDING).exists():
        raise Conflict(f"答复正在等待单位负责人审核，审核前不能{doing}")
