"""Periodic and queued work of the core: outbox delivery and the worker heartbeat."""

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from shishi.core import outbox
from shishi.core.models import WorkerHeartbeat


def beat(name: str = "worker") -> None:
    from django.utils import timezone

    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


@HUEY.on_startup()
def heartbeat_on_start() -> None:
    from django.db import close_old_connections

    close_old_connections()
    beat()


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    beat()


@db_task()
def deliver_outbox() -> dict[str, int]:
    # Safe to run on several workers at once: each row is claimed before it is sent.
    return outbox.deliver_due()


@db_periodic_task(crontab(minute="*"))
def deliver_outbox_periodically() -> None:
    deliver_outbox()


@db_periodic_task(crontab(minute="*/10"))
def poll_sms_receipts() -> None:
    """Where the SMS provider offers a status query, SMS without a receipt are asked about."""
    from django.utils import timezone

    from shishi.core import receipts

    receipts.poll(now=timezone.now())


@db_periodic_task(crontab(minute="30", hour="*"))
def purge_counters() -> None:
    """Rate-limit windows and one-time codes are only needed for a day."""
    from datetime import timedelta

    from django.utils import timezone

    from shishi.core import ratelimit
    from shishi.core.models import PhoneChallenge

    ratelimit.purge()
    PhoneChallenge.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()


@db_periodic_task(crontab(minute="40", hour="3"))
def prune_outbox() -> None:
    """Sent and dead messages are kept for OUTBOX_RETENTION_DAYS, then deleted."""
    from django.utils import timezone

    outbox.prune(now=timezone.now())


@db_periodic_task(crontab(minute="50", hour="3"))
def purge_kept_uploads() -> None:
    """Photos kept for a form that was never submitted again are gone after a day."""
    from shishi.core import kept

    kept.purge()


# huey runs on UTC ("utc": True in settings.HUEY): 18:30 UTC is 02:30 in Asia/Shanghai.
@db_periodic_task(crontab(minute="30", hour="18"))
def nightly_backup() -> None:
    """A backup a night into BACKUP_DIR; the newest BACKUP_KEEP are kept."""
    from pathlib import Path

    from django.conf import settings

    from shishi.core import backup

    dest = Path(settings.BACKUP_DIR)
    backup.take_backup(dest=dest)
    backup.prune_backups(dest=dest, keep=settings.BACKUP_KEEP)
