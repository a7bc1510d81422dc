"""巡回指导: the city office sets up groups and rounds; a group records its visits."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from shishi.campaign import access
from shishi.campaign.models import GroupUnit, GuidanceGroup, GuidanceRound, Visit, VisitEvent
from shishi.core.errors import Refused
from shishi.core.events import audit
from shishi.orgs.access import Actor
from shishi.orgs.models import Membership, Person, Role, Unit


@dataclass(frozen=True)
class GroupData:
    name: str
    leader: Person
    members: tuple[Person, ...]  # the leader may be listed or not
    units: tuple[Unit, ...]


def _check_group(data: GroupData, *, group: GuidanceGroup | None) -> str:
    name = data.name.strip()
    if not name:
        raise Refused("请填写指导组名称")
    taken = GuidanceGroup.objects.filter(name=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise Refused(f"已有名为“{name}”的指导组")
    people = {data.leader.pk: data.leader} | {person.pk: person for person in data.members}
    guides = set(
        Membership.objects.filter(
            person_id__in=people, role=Role.GUIDANCE_MEMBER, person__is_active=True
        ).values_list("person_id", flat=True)
    )
    if strangers := [person.name for pk, person in people.items() if pk not in guides]:
        raise Refused(f"{'、'.join(strangers)}没有“指导组成员”角色，请先在人员管理中授予")
    if not data.units:
        raise Refused("请选择该组负责指导的单位")
    elsewhere = GroupUnit.objects.filter(unit__in=data.units).select_related("unit", "group")
    if group is not None:
        elsewhere = elsewhere.exclude(group=group)
    if clashes := [f"{row.unit.name}（{row.group.name}）" for row in elsewhere]:
        raise Refused(f"一个单位只由一个指导组负责：{'、'.join(clashes)}已有指导组")
    return name


@transaction.atomic
def save_group(
    *, data: GroupData, actor: Actor, now: datetime, group: GuidanceGroup | None = None
) -> GuidanceGroup:
    """成立 (or change) a guidance group: its leader and members hold the guidance role, and
    each unit it guides has no other group. By the city office."""
    access.require_guidance_office(actor)
    name = _check_group(data, group=group)
    created = group is None
    if created:
        group = GuidanceGroup(created_at=now)
    group.name, group.leader = name, data.leader
    group.save()
    group.members.set({data.leader, *data.members})
    GroupUnit.objects.filter(group=group).exclude(unit__in=data.units).delete()
    have = set(GroupUnit.objects.filter(group=group).values_list("unit_id", flat=True))
    GroupUnit.objects.bulk_create(
        [GroupUnit(group=group, unit=unit) for unit in data.units if unit.pk not in have]
    )
    audit(
        actor=actor.person,
        label=actor.label(),
        verb="成立巡回指导组" if created else "调整巡回指导组",
        target=group,
        note=f"组长{data.leader.name}，指导{len(data.units)}个单位",
        scope_path=actor.scope_path,
    )
    return group


@transaction.atomic
def add_round(*, starts: date, ends: date, actor: Actor, now: datetime) -> GuidanceRound:
    """安排新一轮巡回指导: the next number, dates not overlapping another round."""
    access.require_guidance_office(actor)
    if ends < starts:
        raise Refused("结束日期不能早于开始日期")
    overlapping = GuidanceRound.objects.filter(starts__lte=ends, ends__gte=starts).first()
    if overlapping is not None:
        raise Refused(
            f"与{overlapping}（{overlapping.starts:%Y-%m-%d}至{overlapping.ends:%Y-%m-%d}）"
            "的日期重叠"
        )
    if GuidanceRound.objects.filter(starts__gt=ends).exists():
        raise Refused("新一轮的日期须在已安排的各轮之后")
    last = GuidanceRound.objects.order_by("-number").first()
    number = last.number + 1 if last else 1
    created = GuidanceRound.objects.create(number=number, starts=starts, ends=ends)
    audit(
        actor=actor.person,
        label=actor.label(),
        verb="安排巡回指导轮次",
        target=created,
        note=f"第{number}轮：{starts:%Y-%m-%d}至{ends:%Y-%m-%d}",
        scope_path=actor.scope_path,
    )
    return created


def round_on(day: date) -> GuidanceRound | None:
    return GuidanceRound.objects.filter(starts__lte=day, ends__gte=day).first()


@dataclass(frozen=True)
class VisitData:
    group: GuidanceGroup
    unit: Unit
    visited_on: date
    methods: tuple[str, ...]  # Visit.Method codes
    findings: str


@transaction.atomic
def record_visit(*, data: VisitData, actor: Actor, now: datetime) -> Visit:
    """登记巡回指导: by a member of the group (or the city office), to one of the group's units
    or a unit below one, on a day of a round, today or before."""
    if not access.may_record_visit(actor, data.group):
        raise Refused("只有本指导组成员可以登记该组的指导情况")
    if not access.in_group_scope(data.group, data.unit):
        raise Refused(f"{data.unit.name}不是{data.group.name}负责指导的单位")
    if data.visited_on > timezone.localdate(now):
        raise Refused("指导日期不能晚于今天，请在指导结束后登记")
    methods = [code for code in Visit.Method.values if code in data.methods]
    if not methods:
        raise Refused("请选择至少一种指导方式")
    if not data.findings.strip():
        raise Refused("请填写发现的问题和意见建议（没有发现问题也请写明）")
    in_round = round_on(data.visited_on)
    if in_round is None:
        raise Refused(f"{data.visited_on:%Y-%m-%d}不在任何一轮巡回指导的日期内")
    visit = Visit.objects.create(
        group=data.group,
        unit=data.unit,
        round=in_round,
        visited_on=data.visited_on,
        methods=methods,
        findings=data.findings.strip(),
        recorded_by=actor.person,
        recorded_at=now,
    )
    VisitEvent.record(
        visit,
        verb=VisitEvent.Verb.RECORDED,
        now=now,
        actor=actor,
        unit=visit.unit,
        note=f"{data.group.name}{in_round}指导{data.unit.name}（{data.visited_on:%Y-%m-%d}）",
    )
    return visit
