"""查询进度 by code + the phone's last four digits, the fallback to the SMS link: each failed
check is recorded on the appeal's timeline (staff see it), and a code that failed too often
is locked for that way of asking (the owner still has the link, or the hotline)."""

from datetime import datetime, timedelta

from django.conf import settings

from shishi.appeals import events
from shishi.appeals.models import Appeal, AppealEvent

FAILURE_WINDOW = timedelta(days=30)


def tracking_locked(appeal: Appeal, *, now: datetime) -> bool:
    """Whether the code + last-four check is closed for this appeal: more failures within
    `FAILURE_WINDOW` than `APPEAL_TRACK_FAILURES` allows."""
    failures = AppealEvent.objects.filter(
        appeal=appeal, verb=AppealEvent.Verb.TRACK_FAILED, at__gt=now - FAILURE_WINDOW
    ).count()
    return failures >= settings.APPEAL_TRACK_FAILURES


def record_tracking_failure(*, appeal: Appeal, address: str, now: datetime) -> None:
    events.record(
        appeal,
        verb=AppealEvent.Verb.TRACK_FAILED,
        now=now,
        note=f"凭受理编号和手机号后四位查询未通过（来自 {address}）",
    )
