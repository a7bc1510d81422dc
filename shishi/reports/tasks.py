"""The reports' periodic work: keeping the summary tables fresh."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shishi.reports import summary


@db_periodic_task(crontab(minute="*/10"))
def refresh_recent() -> None:
    """This month and the last (late answers still move it) every ten minutes."""
    summary.refresh(summary.recent_months(timezone.localdate(), count=2))


@db_periodic_task(crontab(minute="40", hour="2"))
def refresh_all() -> None:
    """The last two years nightly: an appeal answered late changes the month it was due in."""
    summary.refresh(summary.recent_months(timezone.localdate(), count=24))
