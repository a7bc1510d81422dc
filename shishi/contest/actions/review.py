"""季点评 and 年终约谈: the city office's quarterly notes on each participant, the year-end
interviews of the bottom N, and each point raised becoming a 整改 item with a deadline."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from shishi.campaign import actions as campaign_actions
from shishi.contest import access, events, scoring
from shishi.contest.models import Contest, Interview, InterviewPoint, Participant, ReviewNote
from shishi.core.errors import Refused
from shishi.orgs.access import Actor

Verb = events.Verb


def _require_manage(actor: Actor, contest: Contest) -> None:
    try:
        access.require_manage(actor, contest)
    except PermissionDenied as refused:
        raise Refused(str(refused)) from None


@transaction.atomic
def write_note(
    *, participant: Participant, quarter: int, text: str, actor: Actor, now: datetime
) -> ReviewNote:
    """季点评: one note per participant and quarter (written again, it replaces the last);
    only once the quarter has begun."""
    contest = participant.contest
    _require_manage(actor, contest)
    if not 1 <= quarter <= 4:
        raise Refused("季度应为1至4")
    today = timezone.localdate(now)
    if (contest.year, (quarter - 1) * 3 + 1) > (today.year, today.month):
        raise Refused(f"第{quarter}季度尚未开始，不能点评")
    if not text.strip():
        raise Refused("请填写点评意见")
    note, _ = ReviewNote.objects.update_or_create(
        participant=participant,
        quarter=quarter,
        defaults={"text": text.strip(), "written_by": actor.person, "written_at": now},
    )
    events.record(
        contest,
        verb=Verb.NOTE,
        now=now,
        actor=actor,
        unit=participant.unit,
        note=f"第{quarter}季度点评{participant.unit.name}",
    )
    return note


@dataclass(frozen=True)
class InterviewData:
    participant: Participant
    held_on: date
    interviewers: str
    interviewees: str
    points: list[str]


@transaction.atomic
def record_interview(*, data: InterviewData, actor: Actor, now: datetime) -> Interview:
    """登记约谈: a participant on the year's 约谈名单 (the bottom N), the date, who talked to
    whom and the points raised (at least one)."""
    participant = data.participant
    contest = participant.contest
    _require_manage(actor, contest)
    if contest.status == Contest.Status.DRAFT:
        raise Refused("竞赛尚未启动")
    if data.held_on > timezone.localdate(now):
        raise Refused("约谈日期不能晚于今天")
    if data.held_on.year < contest.year:
        raise Refused("约谈日期不能早于竞赛年度")
    if not data.interviewers.strip() or not data.interviewees.strip():
        raise Refused("请填写约谈人和被约谈人")
    points = [p.strip()[:300] for p in data.points if p.strip()]
    if not points:
        raise Refused("请至少填写一条约谈要点")
    ranking = scoring.year_ranking(contest)
    listed = {row.participant.pk: row.rank for row in scoring.interview_list(ranking)}
    if participant.pk not in listed:
        raise Refused(f"{participant.unit.name}不在年终约谈名单（倒数{contest.bottom_n}名）内")
    interview = Interview.objects.create(
        participant=participant,
        held_on=data.held_on,
        interviewers=data.interviewers.strip()[:200],
        interviewees=data.interviewees.strip()[:200],
        rank=listed[participant.pk],
        recorded_by=actor.person,
        recorded_at=now,
    )
    InterviewPoint.objects.bulk_create(
        InterviewPoint(interview=interview, order=n, text=text)
        for n, text in enumerate(points, start=1)
    )
    events.record(
        contest,
        verb=Verb.INTERVIEW,
        now=now,
        actor=actor,
        unit=participant.unit,
        note=f"{data.held_on:%Y-%m-%d}约谈{participant.unit.name}，要点{len(points)}条",
    )
    return interview


@transaction.atomic
def point_to_rectification(
    *, point: InterviewPoint, measures: str, days: int, actor: Actor, now: datetime
):
    """转为整改: the point becomes a 整改 item of the participant unit (campaign's
    `raise_rectification`: a deadline in working days, the ladder, 销号 by the raising side);
    once per point."""
    point = InterviewPoint.objects.select_for_update().get(pk=point.pk)
    interview = Interview.objects.select_related("participant__unit", "participant__contest").get(
        pk=point.interview_id
    )
    contest = interview.participant.contest
    _require_manage(actor, contest)
    if point.rectification_id is not None:
        raise Refused("该约谈要点已转为整改事项")
    item = campaign_actions.raise_rectification(
        data=campaign_actions.RectificationData(
            unit=interview.participant.unit,
            problem=f"{contest.year}年{contest.name}年终约谈：{point.text}",
            measures=measures,
            days=days,
        ),
        actor=actor,
        now=now,
    )
    point.rectification = item
    point.save(update_fields=["rectification"])
    events.record(
        contest,
        verb=Verb.RECTIFICATION,
        now=now,
        actor=actor,
        unit=interview.participant.unit,
        note=f"约谈要点转为整改事项 {item.code}，整改期限 {item.due:%Y-%m-%d}",
    )
    return item
