"""Delivery receipts (回执): a provider's status reports move sent SMS on.

A sent SMS is `sent` until its receipt arrives: then `delivered`, or — when the provider
could not deliver it — `failed` with the provider's reason if no retry can cure it (an
empty, stopped or blacklisted number: `SMS_PERMANENT_FAILURES`), else queued again with
backoff (a phone switched off for the day) until `OUTBOX_MAX_ATTEMPTS`. A one-time code is
never sent again: by then it has expired. Receipts are idempotent: a repeated one finds
its row no longer `sent` and changes nothing.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings

from shishi.core.models import OutboxMessage
from shishi.core.outbox import backend_for, backoff
from shishi.core.smsproviders import Receipt

log = logging.getLogger("shishi.outbox")
# Polled: SMS sent at least this long ago (the push usually comes first) and at most
# POLL_WITHIN (the provider keeps the details for a few days).
POLL_AFTER = timedelta(minutes=10)
POLL_WITHIN = timedelta(days=2)

Status = OutboxMessage.Status


def permanent(reason: str) -> bool:
    """Whether a failed receipt's reason says no retry can help (空号, 黑名单 …)."""
    return any(word in reason for word in settings.SMS_PERMANENT_FAILURES)


def apply(receipts: Iterable[Receipt], *, now: datetime) -> dict[str, int]:
    """Record each receipt on its message; returns counts of delivered / failed / retrying /
    unknown (no sent message has that provider id: a repeat, or another system's)."""
    counts = {"delivered": 0, "failed": 0, "retrying": 0, "unknown": 0}
    for receipt in receipts:
        # outbox_provider_idx
        sent = OutboxMessage.objects.filter(provider_id=receipt.provider_id, status=Status.SENT)
        message = sent.only("pk", "attempts", "sensitive").first()
        if message is None:
            counts["unknown"] += 1
            continue
        if receipt.delivered:
            sent.filter(pk=message.pk).update(status=Status.DELIVERED, delivered_at=now)
            counts["delivered"] += 1
        elif (
            message.sensitive
            or permanent(receipt.reason)
            or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        ):
            sent.filter(pk=message.pk).update(
                status=Status.FAILED, delivered_at=now, last_error=f"未送达：{receipt.reason}"
            )
            counts["failed"] += 1
        else:
            sent.filter(pk=message.pk).update(
                status=Status.PENDING,
                provider_id="",
                next_attempt_at=now + backoff(message.attempts),
                last_error=f"未送达，将重发：{receipt.reason}",
            )
            counts["retrying"] += 1
    return counts


def poll(*, now: datetime, limit: int = 500) -> dict[str, int]:
    """Ask the provider, where it offers a query, for SMS still `sent` without a receipt;
    records what it knows (`apply`). Nothing when the backend cannot be asked."""
    backend = backend_for("sms")
    if not hasattr(backend, "poll"):
        return {}
    waiting = OutboxMessage.objects.filter(
        status=Status.SENT,
        created_at__gte=now - POLL_WITHIN,  # outbox_status_idx
        sent_at__lte=now - POLL_AFTER,
    ).exclude(provider_id="")[:limit]
    found = []
    for message in waiting:
        try:
            receipt = backend.poll(message)
        except Exception as error:  # the provider is down: the next poll asks again
            log.warning("could not poll the receipt of outbox message %s: %s", message.pk, error)
            break
        if receipt is not None:
            found.append(receipt)
    return apply(found, now=now)
