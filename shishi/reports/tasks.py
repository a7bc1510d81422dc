"""The reports' periodic work: keeping the summary tables fresh."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from shishi.reports import actions, summary


@db_periodic_task(crontab(minute="*/10"))
def refresh_recent() -> None:
    """This month and the last (late answers still move it) every ten minutes."""
    summary.refresh(summary.recent_months(timezone.localdate(), count=2))


@db_periodic_task(crontab(minute="40", hour="2"))
def refresh_all() -> None:
    """The last two years nightly: an appeal answered late changes the month it was due in."""
    summary.refresh(summary.recent_months(timezone.localdate(), count=24))


@db_periodic_task(crontab(minute="0", hour="7"))
def monthly_bulletin() -> None:
    """Last month's bulletin on the first working day of the month, at 07:00."""
    actions.issue_due_bulletin(now=timezone.now())


@db_task()
def generate_document(pk: int) -> None:
    """Write a requested bulletin or overview (reports.actions.generate)."""
    actions.generate(pk)
