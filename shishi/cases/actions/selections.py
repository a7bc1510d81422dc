"""Starting a selection with its rubric, naming judges, publishing the results."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from shishi.cases import access
from shishi.cases.access import Perm
from shishi.cases.models import (
    MAX_VOTES_PER_DAY,
    Criterion,
    Judge,
    Phase,
    Selection,
    SelectionEvent,
)
from shishi.core.codes import next_code
from shishi.core.errors import Refused
from shishi.orgs.access import Actor, require
from shishi.orgs.models import Person

Verb = SelectionEvent.Verb


@dataclass(frozen=True)
class SelectionData:
    title: str
    description: str
    nominate_from: date
    nominate_until: date
    review_until: date
    vote_until: date
    winners: int
    judge_weight: int  # %, the public's is the rest
    votes_per_day: int
    criteria: tuple[tuple[str, int], ...]  # (name, max points); they add up to 100
    show_live_counts: bool = False


def _check(data: SelectionData) -> None:
    if not data.title.strip() or not data.description.strip():
        raise Refused("请填写评选名称和评选说明")
    if not data.nominate_from <= data.nominate_until <= data.review_until < data.vote_until:
        raise Refused("各阶段日期应依次为：推荐开始 ≤ 推荐截止 ≤ 评审截止 < 投票截止")
    if data.winners < 1:
        raise Refused("评选名额至少为1个")
    if not 0 <= data.judge_weight <= 100:
        raise Refused("评委评分权重应在0至100之间")
    if not 1 <= data.votes_per_day <= MAX_VOTES_PER_DAY:
        raise Refused(f"每个手机号每天可投1至{MAX_VOTES_PER_DAY}票")
    names = [name.strip() for name, _ in data.criteria]
    if not names or any(not name for name in names):
        raise Refused("请填写评分细则（每项的名称和分值）")
    if len(set(names)) != len(names):
        raise Refused("评分细则的名称不能重复")
    if any(not 1 <= points <= 100 for _, points in data.criteria):
        raise Refused("每项分值应在1至100之间")
    if (total := sum(points for _, points in data.criteria)) != 100:
        raise Refused(f"评分细则各项分值合计应为100分，现为{total}分")


@transaction.atomic
def create_selection(*, data: SelectionData, actor: Actor, now: datetime) -> Selection:
    """发起评选: the actor's unit is its office; the rubric's lines add up to 100 points."""
    require(actor, Perm.RUN)
    _check(data)
    selection = Selection.objects.create(
        code=next_code(prefix="PX", day=timezone.localdate(now)),
        title=data.title.strip()[:100],
        description=data.description.strip(),
        office=actor.unit,
        nominate_from=data.nominate_from,
        nominate_until=data.nominate_until,
        review_until=data.review_until,
        vote_until=data.vote_until,
        winners=data.winners,
        judge_weight=data.judge_weight,
        votes_per_day=data.votes_per_day,
        show_live_counts=data.show_live_counts,
        created_by=actor.person,
        created_at=now,
    )
    Criterion.objects.bulk_create(
        Criterion(selection=selection, name=name.strip()[:60], max_points=points, order=n)
        for n, (name, points) in enumerate(data.criteria, start=1)
    )
    SelectionEvent.record(
        selection,
        verb=Verb.CREATED,
        now=now,
        actor=actor,
        unit=actor.unit,
        note=f"评委{data.judge_weight}%、群众投票{100 - data.judge_weight}%，评选{data.winners}个",
    )
    return selection


@transaction.atomic
def add_judge(*, selection: Selection, person: Person, actor: Actor, now: datetime) -> Judge:
    """聘请评委: by the office, before the review closes."""
    access.require_run(actor, selection)
    if selection.phase(timezone.localdate(now)) in (Phase.VOTING, Phase.RESULTS):
        raise Refused("评审已经结束，不能再聘请评委")
    if not person.is_active:
        raise Refused(f"{person.name}的账号已停用")
    if Judge.objects.filter(selection=selection, person=person).exists():
        raise Refused(f"{person.name}已是本次评选的评委")
    judge = Judge.objects.create(selection=selection, person=person)
    SelectionEvent.record(
        selection, verb=Verb.JUDGE_ADDED, now=now, actor=actor, unit=actor.unit, note=person.name
    )
    return judge


@transaction.atomic
def publish_results(*, selection: Selection, actor: Actor, now: datetime) -> Selection:
    """发布结果: once voting has closed; the public results page and the documents open."""
    access.require_run(actor, selection)
    selection = Selection.objects.select_for_update().get(pk=selection.pk)
    if selection.phase(timezone.localdate(now)) != Phase.RESULTS:
        raise Refused("投票结束后才能发布结果")
    if selection.published_at is not None:
        raise Refused("结果已经发布")
    selection.published_at = now
    selection.save(update_fields=["published_at"])
    SelectionEvent.record(selection, verb=Verb.PUBLISHED, now=now, actor=actor, unit=actor.unit)
    return selection
