"""The appeals' periodic work: the supervision sweeps (handling and dispatch) and closing
unevaluated replies."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shishi.appeals.actions import close_unevaluated, sweep_dispatch, sweep_supervision


@db_periodic_task(crontab(minute="*/10"))
def supervision_sweep() -> None:
    now = timezone.now()
    sweep_supervision(now=now)
    sweep_dispatch(now=now)


@db_periodic_task(crontab(minute="5", hour="*"))
def close_unevaluated_appeals() -> None:
    close_unevaluated(now=timezone.now())
