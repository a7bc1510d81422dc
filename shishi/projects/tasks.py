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
