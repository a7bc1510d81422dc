"""The transactional outbox: queue notifications inside a write, deliver them after commit.

`enqueue()` writes a row in the caller's transaction, so a message exists exactly when the
change that caused it was committed. The worker (`deliver_due`) sends due rows; a backend
that fails leaves the row pending with a later `next_attempt_at` (exponential backoff)
until `OUTBOX_MAX_ATTEMPTS`, after which the row is marked dead for a person to look at.
Nothing here ever raises into the request that queued the message.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

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


def enqueue(*, channel: str, recipient: str, body: str, subject: str = "") -> OutboxMessage:
    """Queue one message in the current transaction; the worker is nudged after commit."""
    if channel not in settings.OUTBOX_BACKENDS:
        raise ValueError(f"unknown outbox channel {channel!r}")
    message = OutboxMessage.objects.create(
        channel=channel, recipient=recipient, subject=subject, body=body
    )
    transaction.on_commit(_nudge_worker)
    return message


def _nudge_worker() -> None:
    # Delivery is also retried every minute by the periodic task, so a queue that is down
    # right now only delays the message; it must not fail the user's request.
    try:
        from shishi.core.tasks import deliver_outbox

        deliver_outbox()
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


def deliver_due(*, now: datetime | None = None, batch: int = 100) -> dict[str, int]:
    """Send every due pending message; returns counts of sent / retrying / dead."""
    now = now or timezone.now()
    due_ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    counts = {"sent": 0, "retrying": 0, "dead": 0}
    for message_id in due_ids:
        if not claim(message_id, now=now):
            continue
        message = OutboxMessage.objects.get(pk=message_id)
        counts[_deliver_one(message, now=now)] += 1
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
        )
        log.warning("outbox message %s failed (attempt %s): %s", message.pk, attempts, error)
        return "dead" if dead else "retrying"
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, attempts=message.attempts + 1, sent_at=timezone.now()
    )
    return "sent"


@transaction.atomic
def retry_dead(*, message: OutboxMessage, now: datetime) -> None:
    """Give a dead message another round of attempts (from the admin)."""
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.DEAD).update(
        status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=now
    )
    transaction.on_commit(_nudge_worker)
