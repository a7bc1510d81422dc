"""The worker's side of the contest: the supervision ladder over monthly submissions not
yet in (待报送, or returned and not yet submitted again)."""

from datetime import datetime

from shishi.contest import events, notifications
from shishi.contest.models import Contest, Submission
from shishi.core import supervision
from shishi.core.indexes import literal_in
from shishi.core.supervision import LADDER_VERBS
from shishi.orgs import notify

OPEN = (Submission.Status.DRAFT, Submission.Status.RETURNED)


def sweep_submissions(*, now: datetime) -> dict:
    """提醒 → 催办 → 督办 → 通报 for submissions of open contests still owed."""

    def step(row: Submission, level, overdue: int) -> supervision.Step:
        sms = notifications.ladder_sms(row, level, overdue)
        event = events.build(
            row.round.contest, verb=LADDER_VERBS[level], now=now, submission=row, note=sms.text
        )
        return supervision.Step(event=event, unit_id=row.participant.unit_id, sms=sms)

    def passed(row: Submission, level, overdue: int):
        """A rung climbed without stopping (a sweep that came late): on the timeline too."""
        return events.build(
            row.round.contest, verb=LADDER_VERBS[level], now=now, submission=row,
            note=f"{level.label}（已超期{overdue}个工作日，随后一并升级）",
        )  # fmt: skip

    rows = Submission.objects.filter(
        literal_in(Submission, "status", OPEN), round__contest__status=Contest.Status.OPEN
    ).select_related("round__contest", "participant__unit")
    ladder = supervision.Ladder(rows=rows, step=step, passed=passed)
    return supervision.sweep(ladder, now=now, recipients=notify.staff_phones)
