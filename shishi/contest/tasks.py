"""The contest's periodic work: the supervision ladder over monthly submissions still owed."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shishi.contest.actions import sweep_submissions


@db_periodic_task(crontab(minute="*/10"))
def submission_sweep() -> None:
    sweep_submissions(now=timezone.now())
