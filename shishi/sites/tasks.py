"""Bookings' periodic work: at the end of each day, visits nobody checked in close as 未到场."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shishi.sites.actions import close_no_shows


@db_periodic_task(crontab(minute="20", hour="*"))
def no_show_close() -> None:
    """Hourly (the worker's clock is UTC; idempotent): once a business day has ended, its
    bookings nobody checked in are no-shows."""
    close_no_shows(now=timezone.now())
