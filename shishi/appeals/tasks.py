"""The appeals' periodic work: the supervision sweep and closing unevaluated replies."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shishi.appeals.actions import close_unevaluated, sweep_supervision


@db_periodic_task(crontab(minute="*/10"))
def supervision_sweep() -> None:
    sweep_supervision(now=timezone.now())


@db_periodic_task(crontab(minute="5", hour="*"))
def close_unevaluated_appeals() -> None:
    close_unevaluated(now=timezone.now())
