"""Volunteer teams (志愿服务队) and their activities."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from shishi.core.errors import Refused
from shishi.orgs.access import Actor, require
from shishi.orgs.models import Person, Unit
from shishi.outreach import access, events
from shishi.outreach.access import Perm
from shishi.outreach.actions.common import (
    check_owner,
    check_people,
    check_place,
    clean_phone,
    required,
)
from shishi.outreach.models import VolunteerActivity, VolunteerTeam, split_names

Verb = events.Verb
# One record is one stretch of service; longer ones are recorded day by day.
LONGEST = timedelta(hours=24)


@dataclass(frozen=True)
class VolunteerTeamData:
    name: str
    field: str  # VolunteerTeam.Field
    unit: Unit
    members: tuple[Person, ...] = ()
    outside_members: str = ""
    contact_phone: str = ""
    active: bool = True


@transaction.atomic
def save_volunteer_team(
    *, data: VolunteerTeamData, actor: Actor, now: datetime, team: VolunteerTeam | None = None
) -> VolunteerTeam:
    """建立或修改志愿服务队 of a unit of the actor's subtree (name unique in the unit)."""
    if team is not None:
        access.require_edit(actor, team.unit)
    require(actor, Perm.EDIT)
    check_owner(actor, data.unit, "建立志愿服务队")
    name = required(data.name, "请填写队伍名称")[:60]
    if data.field not in VolunteerTeam.Field.values:
        raise Refused("请选择服务领域")
    twin = VolunteerTeam.objects.filter(unit=data.unit, name=name)
    if team is not None:
        twin = twin.exclude(pk=team.pk)
    if twin.exists():
        raise Refused(f"{data.unit.name}已有名为“{name}”的志愿服务队")
    check_people(data.unit, data.members, "队员")
    team = team or VolunteerTeam(created_at=now)
    team.name, team.field, team.unit = name, data.field, data.unit
    team.outside_members = "、".join(split_names(data.outside_members))[:500]
    team.contact_phone = clean_phone(data.contact_phone)
    team.active = data.active
    team.save()
    team.members.set(data.members)
    events.record(
        team.unit,
        verb=Verb.VOLUNTEER_TEAM_SAVED,
        actor=actor,
        now=now,
        target=team.name,
        note=team.get_field_display(),
    )
    return team


def service_hours(starts_at: datetime, ends_at: datetime, volunteers: int) -> Decimal:
    """服务时长: the activity's length in hours times its volunteers, to one decimal."""
    length = Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)
    return (length * volunteers).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ActivityData:
    team: VolunteerTeam
    title: str
    place: Unit
    starts_at: datetime
    ends_at: datetime
    volunteers: int
    served: int = 0
    venue: str = ""
    summary: str = ""


@transaction.atomic
def record_activity(*, data: ActivityData, actor: Actor, now: datetime) -> VolunteerActivity:
    """登记志愿服务活动 after it ended: a team of the actor's subtree, at a place in it; the
    hours are its length times the volunteers."""
    team = data.team
    access.require_edit(actor, team.unit)
    if not team.active:
        raise Refused(f"“{team.name}”已停用，不能登记新的活动")
    title = required(data.title, "请填写活动名称")[:100]
    check_place(actor, team.unit, data.place)
    if data.ends_at <= data.starts_at:
        raise Refused("结束时间须晚于开始时间")
    if data.ends_at - data.starts_at > LONGEST:
        raise Refused("一次活动不超过24小时，跨天的活动请按天分别登记")
    if data.ends_at > now:
        raise Refused("活动尚未结束，请在活动结束后登记")
    if data.volunteers < 1:
        raise Refused("参加志愿者人数至少为1人")
    if data.served < 0:
        raise Refused("服务群众人数不能为负数")
    activity = VolunteerActivity.objects.create(
        team=team,
        title=title,
        place=data.place,
        venue=data.venue.strip()[:100],
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        volunteers=data.volunteers,
        served=data.served,
        hours=service_hours(data.starts_at, data.ends_at, data.volunteers),
        summary=data.summary.strip(),
        recorded_by=actor.person,
        recorded_at=now,
    )
    events.record(
        team.unit,
        verb=Verb.ACTIVITY_SAVED,
        actor=actor,
        now=now,
        target=f"{team.name}：{title}"[:120],
        note=(
            f"{timezone.localtime(activity.starts_at):%Y-%m-%d}，{activity.place.name}，"
            f"{activity.volunteers}人，{activity.hours}小时，服务{activity.served}人"
        ),
    )
    return activity


@transaction.atomic
def remove_activity(*, activity: VolunteerActivity, actor: Actor, now: datetime) -> None:
    """删除 an activity entered by mistake (its team's side); the audit row stays."""
    access.require_edit(actor, activity.team.unit)
    events.record(
        activity.team.unit,
        verb=Verb.ACTIVITY_REMOVED,
        actor=actor,
        now=now,
        target=f"{activity.team.name}：{activity.title}"[:120],
        note=f"{timezone.localtime(activity.starts_at):%Y-%m-%d}，{activity.hours}小时",
    )
    activity.delete()
