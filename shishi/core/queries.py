"""Reads of the core for staff pages: the SMS kinds and their templates, failed SMS, and
the delivery of the SMS about one subject (an appeal's or a project's timeline)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet

from shishi.core import outbox, sms
from shishi.core.models import OutboxMessage, SmsTemplate


@dataclass(frozen=True)
class KindRow:
    kind: sms.SmsKind
    template_id: str


def sms_kinds() -> list[KindRow]:
    """Every registered SMS kind with the template ID mapped to it ("" when none), the
    unmapped first."""
    mapped = dict(SmsTemplate.objects.values_list("kind", "template_id"))
    rows = [KindRow(kind, mapped.get(code, "")) for code, kind in sms.kinds().items()]
    return sorted(rows, key=lambda row: (bool(row.template_id), row.kind.code))


def sms_failures(*, now: datetime, days: int) -> QuerySet[OutboxMessage]:
    """SMS of the last `days` that were not delivered (dead, failed by receipt, or waiting
    for a template), newest first."""
    return OutboxMessage.objects.filter(
        channel=OutboxMessage.Channel.SMS,
        status__in=outbox.RESENDABLE,
        created_at__gte=now - timedelta(days=days),
    ).order_by("-created_at")  # outbox_status_idx


def failed_sms(pk: int) -> OutboxMessage | None:
    """One SMS the failures page may send again."""
    return OutboxMessage.objects.filter(
        pk=pk, channel=OutboxMessage.Channel.SMS, status__in=outbox.RESENDABLE
    ).first()


# What a timeline says of an SMS, by its status: only where it ended.
DELIVERY_WORDS = {
    OutboxMessage.Status.DELIVERED: "短信已送达",
    OutboxMessage.Status.FAILED: "发送失败",
    OutboxMessage.Status.DEAD: "发送失败",
    OutboxMessage.Status.UNMAPPED: "发送失败",
}


@dataclass(frozen=True)
class Delivery:
    """One SMS about a subject, as its timeline shows it to staff."""

    at: datetime
    words: str
    failed: bool
    kind_label: str
    reason: str


def sms_deliveries(subject_ref: str) -> list[Delivery]:
    """The SMS about one subject ("appeal:12") that reached an end — delivered, or failed
    — oldest first, in one query (outbox_ref_idx)."""
    rows = (
        OutboxMessage.objects.filter(ref=subject_ref, status__in=list(DELIVERY_WORDS))
        .only("kind", "status", "created_at", "delivered_at", "last_error")
        .order_by("created_at")
    )
    kinds = sms.kinds()
    return [
        Delivery(
            at=row.delivered_at or row.created_at,
            words=DELIVERY_WORDS[row.status],
            failed=row.status != OutboxMessage.Status.DELIVERED,
            kind_label=kinds[row.kind].label if row.kind in kinds else "短信",
            reason="" if row.status == OutboxMessage.Status.DELIVERED else row.last_error,
        )
        for row in rows
    ]
