"""查询进度 by code + the phone's last four digits, the fallback to the SMS link: each failed
check is recorded on the appeal's timeline (staff see it), and a code that failed too often
is locked for that way of asking (the owner still has the link, or the hotline)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from shishi.appeals import events
from shishi.appeals.actions.common import lock, today_of
from shishi.appeals.models import Appeal, AppealEvent, Status
from shishi.core import workdays

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


@transaction.atomic
def extend_for_refused_codes(*, appeal: Appeal, now: datetime) -> Appeal:
    """The reporter asked for a code to judge the answer and the day's codes to their phone
    are used up: the evaluation window is moved to at least the next working day, so it never
    closes as 未评价 because no code could be sent (recorded on the public timeline)."""
    appeal = lock(appeal)
    if appeal.status != Status.REPLIED or appeal.callback_due is None:
        return appeal
    next_day = workdays.add_workdays(today_of(now), 1)
    if appeal.callback_due >= next_day:
        return appeal
    appeal.callback_due = next_day
    appeal.save(update_fields=["callback_due"])
    events.record(
        appeal,
        verb=AppealEvent.Verb.EVALUATION_EXTENDED,
        now=now,
        public=True,
        note=f"今日验证码发送次数已满，评价期限顺延至{next_day:%Y年%m月%d日}",
    )
    return appeal
