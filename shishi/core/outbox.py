"""The transactional outbox: queue notifications inside a write, deliver them after commit.

`enqueue()` writes a row in the caller's transaction, so a message exists exactly when the
change that caused it was committed; an SMS is a registered kind and its values (core.sms).
The worker (`deliver_due`) sends due rows, one-time codes first; a backend that fails leaves
the row pending with a later `next_attempt_at` (exponential backoff) until
`OUTBOX_MAX_ATTEMPTS`, after which the row is marked dead for a person to look at. A backend
may say more (core.smsproviders): `Throttled` — the provider's flow control, tried again
later without counting an attempt; `Rejected` — dead at once (an invalid number);
`Unmapped` — the kind has no template at the provider yet, kept and flagged. A sent SMS
moves on to delivered or failed when its receipt comes (core.receipts).
Nothing here ever raises into the request that queued the message.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from shishi.core import bulk, ratelimit
from shishi.core.indexes import literal_in
from shishi.core.models import OutboxMessage
from shishi.core.sms import Sms

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


class Throttled(Exception):
    """The provider's flow control (限流) or a per-number cap: try again later, and do not
    count it as a failed attempt — the message is fine, the moment is not."""

    def __init__(self, reason: str, *, retry_after: timedelta = timedelta(minutes=1)):
        super().__init__(reason)
        self.retry_after = retry_after


class Rejected(Exception):
    """The provider will never deliver this message (an empty or invalid number, a number
    on its blacklist, a template it refuses): flagged dead at once, not retried."""


class Unmapped(Exception):
    """The message's kind has no template ID at the provider (core.sms, SmsTemplate)."""


def enqueue(
    *,
    channel: str,
    recipient: str,
    body: str = "",
    sms: Sms | None = None,
    subject: str = "",
    sensitive: bool = False,
    ref: str = "",
    unit_id: int | None = None,
) -> OutboxMessage:
    """Queue one message in the current transaction; the worker is nudged after commit.

    An SMS is given as `sms` (a registered kind and its values, core.sms); `body` is then its
    text. `sensitive`: the body holds a one-time code, starred out in the row once it is sent.
    `ref` names the subject whose timeline shows the delivery; `unit_id` who pays for it.
    """
    if channel not in settings.OUTBOX_BACKENDS:
        raise ValueError(f"unknown outbox channel {channel!r}")
    message = OutboxMessage.objects.create(
        channel=channel, recipient=recipient, subject=subject, ref=ref, unit_id=unit_id,
        **_content(sms, body=body, sensitive=sensitive),
    )  # fmt: skip
    transaction.on_commit(_nudge_worker)
    return message


def _content(sms: Sms | None, *, body: str = "", sensitive: bool = False) -> dict:
    if sms is None:
        return {"body": body, "sensitive": sensitive}
    sensitive = sms.kind.sensitive
    return {
        "body": sms.text,
        "kind": sms.kind.code,
        "params": sms.params,
        "sensitive": sensitive,
        "priority": OutboxMessage.Priority.CODE if sensitive else OutboxMessage.Priority.NORMAL,
    }


def enqueue_sms_many(messages: list[tuple[str, Sms, int | None, str]]) -> int:
    """Queue many SMS `(recipient, sms, unit_id, ref)` in one INSERT (a sweep's batch);
    returns how many."""
    if "sms" not in settings.OUTBOX_BACKENDS:
        raise ValueError("unknown outbox channel 'sms'")
    now = timezone.now()
    bulk.insert_rows(
        OutboxMessage,
        [
            {
                "channel": "sms",
                "recipient": to,
                "next_attempt_at": now,
                "created_at": now,
                "unit_id": unit_id,
                "ref": ref,
                **_content(sms),
            }
            for to, sms, unit_id, ref in messages
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
    (a sweep after an outage queues thousands; the next run takes the rest). One-time codes
    go first, then the oldest. SMS are paced to `SMS_RATE_PER_SECOND` (the provider's rate).
    Returns counts of sent / retrying / dead / throttled (flow control, tried again later
    without counting an attempt) / unmapped (the kind has no template at the provider)."""
    now = now or timezone.now()
    # The literal status lets SQLite read through the partial outbox_due_idx (core.indexes).
    pending = OutboxMessage.objects.filter(
        literal_in(OutboxMessage, "status", [OutboxMessage.Status.PENDING]),
        next_attempt_at__lte=now,
    )
    counts = {"sent": 0, "retrying": 0, "dead": 0, "throttled": 0, "unmapped": 0}
    pace = _Pace(settings.SMS_RATE_PER_SECOND)
    tried = 0
    while tried < limit:
        due_ids = list(
            pending.order_by("priority", "next_attempt_at").values_list("pk", flat=True)[:batch]
        )
        for message_id in due_ids:
            if not claim(message_id, now=now):
                continue
            message = OutboxMessage.objects.get(pk=message_id)
            if message.channel == OutboxMessage.Channel.SMS:
                pace.wait()
            counts[_deliver_one(message, now=now)] += 1
        tried += len(due_ids)
        if len(due_ids) < batch:
            break
    return counts


class _Pace:
    """At most `rate` sends a second from this worker (0: no limit)."""

    def __init__(self, rate: float):
        self.gap = 1 / rate if rate else 0.0
        self.last = 0.0

    def wait(self) -> None:
        if not self.gap:
            return
        delay = self.last + self.gap - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self.last = time.monotonic()


DAY = 86400


def _deliver_one(message: OutboxMessage, *, now: datetime) -> str:
    update = OutboxMessage.objects.filter(pk=message.pk).update
    capped = f"sms:day:{message.recipient}"
    try:
        if message.channel == OutboxMessage.Channel.SMS and not message.sensitive:
            _check_daily_cap(capped, now=now)
        provider_id = backend_for(message.channel).send(message)
    except Throttled as error:
        update(next_attempt_at=now + error.retry_after, last_error=f"限流，稍后重试：{error}")
        log.info("outbox message %s throttled: %s", message.pk, error)
        return "throttled"
    except Unmapped as error:
        update(
            status=OutboxMessage.Status.UNMAPPED,
            last_error=str(error),
            # A code cannot wait for a template to be mapped: it expires in minutes.
            body=message.readable_body(),
            params=message.readable_params(),
        )
        log.error("outbox message %s has no template: %s", message.pk, error)
        return "unmapped"
    except Exception as error:  # any backend failure is recorded and retried
        attempts = message.attempts + 1
        dead = isinstance(error, Rejected) or attempts >= settings.OUTBOX_MAX_ATTEMPTS
        update(
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=now + backoff(attempts),
            status=OutboxMessage.Status.DEAD if dead else OutboxMessage.Status.PENDING,
            # By the last attempt a one-time code has long expired.
            body=message.readable_body() if dead else message.body,
            params=message.readable_params() if dead else message.params,
        )
        log.warning("outbox message %s failed (attempt %s): %s", message.pk, attempts, error)
        return "dead" if dead else "retrying"
    if message.channel == OutboxMessage.Channel.SMS and settings.SMS_PER_NUMBER_PER_DAY:
        ratelimit.count(capped, window=DAY, now=now)
    update(
        status=OutboxMessage.Status.SENT,
        attempts=message.attempts + 1,
        sent_at=timezone.now(),
        provider_id=provider_id or "",
        last_error="",
        # Nobody needs a delivered code again; the admin must not show it.
        body=message.readable_body(),
        params=message.readable_params(),
    )
    return "sent"


def _check_daily_cap(key: str, *, now: datetime) -> None:
    """`SMS_PER_NUMBER_PER_DAY` messages to one number a day at most (codes aside: they have
    their own limit); past it the message waits for the next day."""
    if not settings.SMS_PER_NUMBER_PER_DAY:
        return
    used, retry_after = ratelimit.used(key, window=DAY, now=now)
    if used >= settings.SMS_PER_NUMBER_PER_DAY:
        raise Throttled("已达该号码当日条数上限", retry_after=timedelta(seconds=retry_after))


# What the failures page lists and may send again.
RESENDABLE = [
    OutboxMessage.Status.DEAD,
    OutboxMessage.Status.FAILED,
    OutboxMessage.Status.UNMAPPED,
]


@transaction.atomic
def retry_dead(*, message: OutboxMessage, now: datetime) -> None:
    """Give a dead, undelivered or unmapped message another round of attempts (from the
    admin or the staff failures page)."""
    OutboxMessage.objects.filter(pk=message.pk, status__in=RESENDABLE).update(
        status=OutboxMessage.Status.PENDING,
        attempts=0,
        next_attempt_at=now,
        provider_id="",
        delivered_at=None,
    )
    transaction.on_commit(_nudge_worker)


def prune(*, now: datetime) -> int:
    """Delete sent and dead messages older than OUTBOX_RETENTION_DAYS; returns how many.

    They hold phone numbers and email addresses; pending ones stay whatever their age.
    """
    deleted, _ = OutboxMessage.objects.filter(
        status__in=[
            OutboxMessage.Status.SENT,
            OutboxMessage.Status.DELIVERED,
            OutboxMessage.Status.FAILED,
            OutboxMessage.Status.DEAD,
        ],
        created_at__lt=now - timedelta(days=settings.OUTBOX_RETENTION_DAYS),
    ).delete()
    return deleted
