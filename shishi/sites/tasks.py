"""Bookings' periodic work: at the end of each day, confirmed visits nobody checked in close
as 未到场 and bookings the site never confirmed as 逾期未确认."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shishi.sites.actions import close_no_shows, expire_unconfirmed


@db_periodic_task(crontab(minute="20", hour="*"))
def no_show_close() -> None:
    """Hourly (the worker's clock is UTC; idempotent): once a business day has ended, its
    confirmed bookings nobody checked in are no-shows, pending ones expired."""
    now = timezone.now()
    close_no_shows(now=now)
    expire_unconfirmed(now=now)
