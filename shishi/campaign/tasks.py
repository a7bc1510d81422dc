"""The campaign's periodic work: units created since a directive was issued join it, and the
supervision ladder over assignments not yet reported and 整改 items not yet put right."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shishi.campaign.actions import join_new_units, sweep_assignments, sweep_rectifications


@db_periodic_task(crontab(minute="*/10"))
def assignment_sweep() -> None:
    now = timezone.now()
    join_new_units(now=now)
    sweep_assignments(now=now)
    sweep_rectifications(now=now)
