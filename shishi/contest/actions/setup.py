"""Setting a contest up: dimensions, indicators, weights and participants; opening and
closing it. Dimensions, indicators and weights freeze once the contest has a submission:
the changes are refused (not versioned), so a year is scored by one set of rules."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from shishi.contest import access, events
from shishi.contest.models import (
    DEFAULT_DIMENSIONS,
    PARTICIPANT_KINDS,
    Contest,
    Dimension,
    Indicator,
    Participant,
    Submission,
)
from shishi.core.errors import Refused
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit

Verb = events.Verb
HUNDRED = Decimal(100)


def _lock(contest: Contest) -> Contest:
    return Contest.objects.select_for_update().select_related("organiser").get(pk=contest.pk)


def is_frozen(contest: Contest) -> bool:
    return Submission.objects.filter(round__contest=contest).exists()


def _refuse_if_frozen(contest: Contest) -> None:
    if contest.status == Contest.Status.CLOSED:
        raise Refused("该竞赛已经结束，不能修改")
    if is_frozen(contest):
        raise Refused(
            "本竞赛已发起月度调度、有单位报送数据，维度、指标和权重已冻结，不能再修改"
            "（同一年度须按同一套规则计分；如需调整，请在下一年度的竞赛中设置）"
        )


@dataclass(frozen=True)
class ContestData:
    year: int
    name: str
    due_workday: int = 5
    bottom_n: int = 2


def _check(data: ContestData) -> None:
    if not data.name.strip():
        raise Refused("请填写竞赛名称")
    if not 2000 <= data.year <= 2100:
        raise Refused("年度不正确")
    if not 1 <= data.due_workday <= 20:
        raise Refused("报送截止应为次月第1至第20个工作日")
    if data.bottom_n > 20:
        raise Refused("年终约谈名次不能超过20")


@transaction.atomic
def create_contest(*, data: ContestData, actor: Actor, now: datetime) -> Contest:
    """新建竞赛 for the actor's unit (the city office), with the default 六比一看 dimensions
    (no indicators yet; their weights add up to 100%)."""
    if not actor.can(access.Perm.MANAGE):
        raise Refused("只有市级管理员可以新建竞赛")
    _check(data)
    if Contest.objects.filter(organiser=actor.unit, year=data.year).exists():
        raise Refused(f"{data.year}年度的竞赛已经建立")
    contest = Contest.objects.create(
        year=data.year,
        name=data.name.strip(),
        organiser=actor.unit,
        due_workday=data.due_workday,
        bottom_n=data.bottom_n,
        created_by=actor.person,
        created_at=now,
    )
    Dimension.objects.bulk_create(
        Dimension(contest=contest, name=name, order=order, weight=Decimal(weight))
        for order, (name, weight) in enumerate(DEFAULT_DIMENSIONS, start=1)
    )
    events.record(contest, verb=Verb.CREATED, now=now, actor=actor, note=str(contest))
    return contest


@transaction.atomic
def update_contest(*, contest: Contest, data: ContestData, actor: Actor, now: datetime) -> Contest:
    """The name, due working day and bottom N (the year stays)."""
    contest = _lock(contest)
    access.require_manage(actor, contest)
    if contest.status == Contest.Status.CLOSED:
        raise Refused("该竞赛已经结束，不能修改")
    _check(data)
    contest.name = data.name.strip()
    contest.due_workday, contest.bottom_n = data.due_workday, data.bottom_n
    contest.save(update_fields=["name", "due_workday", "bottom_n"])
    events.record(contest, verb=Verb.CHANGED, now=now, actor=actor, note="修改竞赛基本信息")
    return contest


@transaction.atomic
def save_dimension(
    *, contest: Contest, actor: Actor, name: str, order: int, dimension: Dimension | None = None,
    now: datetime,
) -> Dimension:  # fmt: skip
    """Add a dimension (weight 0 until the weights are set) or rename/reorder one."""
    contest = _lock(contest)
    access.require_manage(actor, contest)
    _refuse_if_frozen(contest)
    name = name.strip()
    if not name:
        raise Refused("请填写维度名称")
    clash = Dimension.objects.filter(contest=contest, name=name)
    if dimension is not None:
        clash = clash.exclude(pk=dimension.pk)
    if clash.exists():
        raise Refused(f"已有名为“{name}”的维度")
    if dimension is None:
        dimension = Dimension.objects.create(contest=contest, name=name, order=order, weight=0)
        note = f"新增维度“{name}”"
    else:
        note = f"调整维度“{name}”"
        if dimension.name != name:
            note = f"维度“{dimension.name}”改为“{name}”"
        dimension.name, dimension.order = name, order
        dimension.save(update_fields=["name", "order"])
    events.record(contest, verb=Verb.CHANGED, now=now, actor=actor, note=note)
    return dimension


@transaction.atomic
def remove_dimension(*, dimension: Dimension, actor: Actor, now: datetime) -> None:
    contest = _lock(dimension.contest)
    access.require_manage(actor, contest)
    _refuse_if_frozen(contest)
    dimension.delete()
    note = f"删除维度“{dimension.name}”"
    events.record(contest, verb=Verb.CHANGED, now=now, actor=actor, note=note)


@dataclass(frozen=True)
class IndicatorData:
    name: str
    unit: str
    direction: str
    data_type: str
    signed: bool = False
    order: int = 0


@transaction.atomic
def save_indicator(
    *, dimension: Dimension, data: IndicatorData, actor: Actor, now: datetime,
    indicator: Indicator | None = None,
) -> Indicator:  # fmt: skip
    """Add an indicator (weight 0 until the weights are set) or change one — only before
    the contest's first submission."""
    contest = _lock(dimension.contest)
    access.require_manage(actor, contest)
    _refuse_if_frozen(contest)
    name = data.name.strip()
    if not name:
        raise Refused("请填写指标名称")
    if data.direction not in Indicator.Direction.values:
        raise Refused("请选择指标方向")
    if data.data_type not in Indicator.DataType.values:
        raise Refused("请选择数据类型")
    clash = Indicator.objects.filter(dimension=dimension, name=name)
    if indicator is not None:
        clash = clash.exclude(pk=indicator.pk)
    if clash.exists():
        raise Refused(f"“{dimension.name}”下已有名为“{name}”的指标")
    fields = dict(
        name=name,
        unit=data.unit.strip(),
        direction=data.direction,
        data_type=data.data_type,
        signed=data.signed,
        order=data.order,
    )
    if indicator is None:
        indicator = Indicator.objects.create(dimension=dimension, weight=0, **fields)
        note = f"新增指标“{dimension.name}·{name}”"
    else:
        for key, value in fields.items():
            setattr(indicator, key, value)
        indicator.save(update_fields=list(fields))
        note = f"修改指标“{dimension.name}·{name}”"
    events.record(contest, verb=Verb.CHANGED, now=now, actor=actor, note=note)
    return indicator


@transaction.atomic
def remove_indicator(*, indicator: Indicator, actor: Actor, now: datetime) -> None:
    contest = _lock(indicator.dimension.contest)
    access.require_manage(actor, contest)
    _refuse_if_frozen(contest)
    indicator.delete()
    events.record(
        contest, verb=Verb.CHANGED, now=now, actor=actor, note=f"删除指标“{indicator.name}”"
    )


def _sum_is_100(weights) -> bool:
    return sum(weights, Decimal(0)) == HUNDRED


def _weight(raw, what: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except ArithmeticError:
        raise Refused(f"“{what}”的权重应填写数字") from None
    if not value.is_finite() or not 0 <= value <= 100 or value != round(value, 2):
        raise Refused(f"“{what}”的权重应在0到100之间，最多两位小数")
    return value


@transaction.atomic
def set_weights(
    *, contest: Contest, dimensions: dict[int, object], indicators: dict[int, object],
    actor: Actor, now: datetime,
) -> Contest:  # fmt: skip
    """Set every weight at once: the dimensions' must add up to 100%, and so must each
    dimension's indicators' (an indicator's weight is its share within its dimension)."""
    contest = _lock(contest)
    access.require_manage(actor, contest)
    _refuse_if_frozen(contest)
    rows = list(Dimension.objects.filter(contest=contest).prefetch_related("indicators"))
    new_dims = {d.pk: _weight(dimensions.get(d.pk, d.weight), d.name) for d in rows}
    if not _sum_is_100(new_dims.values()):
        total = sum(new_dims.values(), Decimal(0))
        raise Refused(f"各维度权重之和应为100%，现为{total.normalize():f}%")
    new_inds = {}
    for dimension in rows:
        inds = {
            i.pk: _weight(indicators.get(i.pk, i.weight), i.name)
            for i in dimension.indicators.all()
        }
        if inds and not _sum_is_100(inds.values()):
            total = sum(inds.values(), Decimal(0))
            raise Refused(
                f"“{dimension.name}”下各指标的权重之和应为100%，现为{total.normalize():f}%"
            )
        new_inds |= inds
    for dimension in rows:
        dimension.weight = new_dims[dimension.pk]
    Dimension.objects.bulk_update(rows, ["weight"])
    inds = [i for d in rows for i in d.indicators.all()]
    for indicator in inds:
        indicator.weight = new_inds[indicator.pk]
    Indicator.objects.bulk_update(inds, ["weight"])
    events.record(contest, verb=Verb.CHANGED, now=now, actor=actor, note="调整权重")
    return contest


def weight_problems(contest: Contest) -> list[str]:
    """What stops the contest from being scored: weights not adding up to 100%, dimensions
    without indicators, fewer than two participants."""
    problems = []
    dims = list(Dimension.objects.filter(contest=contest).prefetch_related("indicators"))
    if not dims:
        problems.append("尚未设置竞赛维度")
    elif not _sum_is_100(d.weight for d in dims):
        total = sum((d.weight for d in dims), Decimal(0))
        problems.append(f"各维度权重之和应为100%，现为{total.normalize():f}%")
    for d in dims:
        inds = list(d.indicators.all())
        if not inds:
            problems.append(f"“{d.name}”尚未设置指标")
        elif not _sum_is_100(i.weight for i in inds):
            total = sum((i.weight for i in inds), Decimal(0))
            problems.append(f"“{d.name}”下各指标的权重之和应为100%，现为{total.normalize():f}%")
    if Participant.objects.filter(contest=contest).count() < 2:
        problems.append("参赛单位至少需要2个")
    return problems


@transaction.atomic
def add_participants(*, contest: Contest, units: list[Unit], actor: Actor, now: datetime) -> int:
    """Counties, districts and development zones under the organiser join the contest."""
    contest = _lock(contest)
    access.require_manage(actor, contest)
    if contest.status == Contest.Status.CLOSED:
        raise Refused("该竞赛已经结束，不能修改")
    for unit in units:
        if unit.kind not in PARTICIPANT_KINDS:
            raise Refused(f"{unit.name}不是县（市、区）或开发区，不能参赛")
        if not unit.path.startswith(contest.organiser.path) or unit.pk == contest.organiser_id:
            raise Refused(f"{unit.name}不在竞赛组织单位的管辖范围内")
    have = set(Participant.objects.filter(contest=contest).values_list("unit_id", flat=True))
    new = [Participant(contest=contest, unit=u) for u in units if u.pk not in have]
    Participant.objects.bulk_create(new)
    if new:
        events.record(
            contest,
            verb=Verb.CHANGED,
            now=now,
            actor=actor,
            note="新增参赛单位：" + "、".join(p.unit.name for p in new),
        )
    return len(new)


@transaction.atomic
def remove_participant(*, participant: Participant, actor: Actor, now: datetime) -> None:
    contest = _lock(participant.contest)
    access.require_manage(actor, contest)
    if participant.submissions.exists():
        raise Refused(f"{participant.unit.name}已有月度报送记录，不能移出竞赛")
    participant.delete()
    events.record(
        contest,
        verb=Verb.CHANGED,
        now=now,
        actor=actor,
        note=f"移出参赛单位：{participant.unit.name}",
    )


@transaction.atomic
def open_contest(*, contest: Contest, actor: Actor, now: datetime) -> Contest:
    """启动: only with the weights adding up, every dimension with indicators and at least
    two participants."""
    contest = _lock(contest)
    access.require_manage(actor, contest)
    if contest.status != Contest.Status.DRAFT:
        raise Refused("只有筹备中的竞赛可以启动")
    if problems := weight_problems(contest):
        raise Refused("不能启动：" + "；".join(problems))
    contest.status = Contest.Status.OPEN
    contest.save(update_fields=["status"])
    events.record(contest, verb=Verb.OPENED, now=now, actor=actor, from_state=Contest.Status.DRAFT)
    return contest


@transaction.atomic
def close_contest(*, contest: Contest, actor: Actor, now: datetime) -> Contest:
    """结束: no more months, submissions or reviews; the year-end ranking stands."""
    contest = _lock(contest)
    access.require_manage(actor, contest)
    if contest.status != Contest.Status.OPEN:
        raise Refused("只有进行中的竞赛可以结束")
    contest.status = Contest.Status.CLOSED
    contest.save(update_fields=["status"])
    events.record(contest, verb=Verb.CLOSED, now=now, actor=actor, from_state=Contest.Status.OPEN)
    return contest
