"""The projects' periodic work: report slots, the supervision ladder, closing evaluations."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shishi.projects import actions


@db_periodic_task(crontab(minute="15", hour="*"))
def project_duties() -> None:
    now = timezone.now()
    actions.open_slots(today=timezone.localdate(now))
    actions.sweep_supervision(now=now)
    actions.close_evaluations(now=now)


@db_periodic_task(crontab(minute="45", hour="3"))
def purge_annotated_workbooks() -> None:
    """Rejected-import workbooks are for their uploader to fix the file; keep them a day."""
    from shishi.projects.ledger import purge_annotated

    purge_annotated()
