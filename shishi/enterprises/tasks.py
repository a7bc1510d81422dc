"""The desk's periodic work: the supervision ladder over paired enterprises not visited."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shishi.enterprises.actions import sweep_visits


@db_periodic_task(crontab(minute="25", hour="*"))
def visit_sweep() -> None:
    sweep_visits(now=timezone.now())
