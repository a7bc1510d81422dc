"""The transactional outbox: queue notifications inside a write, deliver them after commit.

`enqueue()` writes a row in the caller's transaction, so a message exists exactly when the
change that caused it was committed. The worker (`deliver_due`) sends due rows; a backend
that fails leaves the row pending with a later `next_attempt_at` (exponential backoff)
until `OUTBOX_MAX_ATTEMPTS`, after which the row is marked dead for a person to look at.
Nothing here ever raises into the request that queued the message.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from shishi.core import bulk
from shishi.core.indexes import literal_in
from shishi.core.models import OutboxMessage

log = logging.getLogger("shishi.outbox")

# How long a worker holds a claimed row before another may take it (a crashed worker's rows
# come back after this).
CLAIM_LEASE = timedelta(minutes=5)
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)


class ConsoleBackend:
    """Writes messages to the log (stdout of `shishi serve`); the demo's SMS and email."""

    def send(self, message: OutboxMessage) -> None:
        log.warning(
            "【%s】致 %s：%s %s",
            message.get_channel_display(),
            message.recipient,
            message.subject,
            message.body,
        )


class SmtpBackend:
    """Sends email through the SMTP server in the SHISHI_SMTP_* settings."""

    def send(self, message: OutboxMessage) -> None:
        connection = get_connection("django.core.mail.backends.smtp.EmailBackend")
        EmailMessage(
            subject=message.subject or "实事平台通知",
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            connection=connection,
        ).send(fail_silently=False)


def backend_for(channel: str):
    return import_string(settings.OUTBOX_BACKENDS[channel])()


def enqueue(
    *, channel: str, recipient: str, body: str, subject: str = "", sensitive: bool = False
) -> OutboxMessage:
    """Queue one message in the current transaction; the worker is nudged after commit.

    `sensitive`: the body holds a one-time code, starred out in the row once it is sent.
    """
    if channel not in settings.OUTBOX_BACKENDS:
        raise ValueError(f"unknown outbox channel {channel!r}")
    message = OutboxMessage.objects.create(
        channel=channel, recipient=recipient, subject=subject, body=body, sensitive=sensitive
    )
    transaction.on_commit(_nudge_worker)
    return message


def enqueue_sms_many(messages: list[tuple[str, str]]) -> int:
    """Queue many SMS `(recipient, body)` in one INSERT (a sweep's batch); returns how many."""
    if "sms" not in settings.OUTBOX_BACKENDS:
        raise ValueError("unknown outbox channel 'sms'")
    now = timezone.now()
    bulk.insert_rows(
        OutboxMessage,
        [
            {"channel": "sms", "recipient": to, "body": body, "next_attempt_at": now}
            for to, body in messages
        ],
    )
    if messages:
        transaction.on_commit(_nudge_worker)
    return len(messages)


# What asks the worker to deliver now: `CoreConfig.ready()` sets it to the huey task
# `core.tasks.deliver_outbox`, so this module knows nothing of the task queue.
deliver_soon: Callable[[], object] | None = None


def _nudge_worker() -> None:
    # Delivery is also retried every minute by the periodic task, so a queue that is down
    # right now only delays the message; it must not fail the user's request.
    if deliver_soon is None:
        return
    try:
        deliver_soon()
    except Exception:
        log.exception("could not schedule outbox delivery; the periodic run will pick it up")


def backoff(attempts: int) -> timedelta:
    """Delay before attempt number `attempts + 1`: 30 s, 1 min, 2 min … at most an hour."""
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def claim(message_id: int, *, now: datetime) -> bool:
    """Take one due row for this worker; False when another worker got there first."""
    return bool(
        OutboxMessage.objects.filter(
            pk=message_id, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
        ).update(next_attempt_at=now + CLAIM_LEASE)
    )


def deliver_due(
    *, now: datetime | None = None, batch: int = 100, limit: int = 5000
) -> dict[str, int]:
    """Send due pending messages, `batch` at a time, until none is due or `limit` were tried
    (a sweep after an outage queues thousands; the next run takes the rest). Returns counts
    of sent / retrying / dead."""
    now = now or timezone.now()
    # The literal status lets SQLite read through the partial outbox_due_idx (core.indexes).
    pending = OutboxMessage.objects.filter(
        literal_in(OutboxMessage, "status", [OutboxMessage.Status.PENDING]),
        next_attempt_at__lte=now,
    )
    counts = {"sent": 0, "retrying": 0, "dead": 0}
    tried = 0
    while tried < limit:
        due_ids = list(pending.order_by("next_attempt_at").values_list("pk", flat=True)[:batch])
        for message_id in due_ids:
            if not claim(message_id, now=now):
                continue
            message = OutboxMessage.objects.get(pk=message_id)
            counts[_deliver_one(message, now=now)] += 1
        tried += len(due_ids)
        if len(due_ids) < batch:
            break
    return counts


def _deliver_one(message: OutboxMessage, *, now: datetime) -> str:
    try:
        backend_for(message.channel).send(message)
    except Exception as error:  # any backend failure is recorded and retried
        attempts = message.attempts + 1
        dead = attempts >= settings.OUTBOX_MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=now + backoff(attempts),
            status=OutboxMessage.Status.DEAD if dead else OutboxMessage.Status.PENDING,
            # By the last attempt a one-time code has long expired.
            body=message.readable_body() if dead else message.body,
        )
        log.warning("outbox message %s failed (attempt %s): %s", message.pk, attempts, error)
        return "dead" if dead else "retrying"
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT,
        attempts=message.attempts + 1,
        sent_at=timezone.now(),
        # Nobody needs a delivered code again; the admin must not show it.
        body=message.readable_body(),
    )
    return "sent"


@transaction.atomic
def retry_dead(*, message: OutboxMessage, now: datetime) -> None:
    """Give a dead message another round of attempts (from the admin)."""
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.DEAD).update(
        status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=now
    )
    transaction.on_commit(_nudge_worker)


def prune(*, now: datetime) -> int:
    """Delete sent and dead messages older than OUTBOX_RETENTION_DAYS; returns how many.

    They hold phone numbers and email addresses; pending ones stay whatever their age.
    """
    deleted, _ = OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.DEAD],
        created_at__lt=now - timedelta(days=settings.OUTBOX_RETENTION_DAYS),
    ).delete()
    return deleted
