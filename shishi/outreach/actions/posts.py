"""Party-member pioneer posts and responsibility areas (党员先锋岗/责任区), their service
records, and the appeals a record says they solved."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from shishi.appeals.access import visible_appeals
from shishi.appeals.models import Appeal, Dispatch
from shishi.core.errors import Refused
from shishi.orgs.access import Actor, require
from shishi.orgs.models import Person, Unit
from shishi.outreach import access, events
from shishi.outreach.access import Perm
from shishi.outreach.actions.common import check_owner, check_people, not_after_today, required
from shishi.outreach.models import PioneerPost, ServiceRecord, split_names

Verb = events.Verb


@dataclass(frozen=True)
class PostData:
    kind: str  # PioneerPost.Kind
    name: str
    unit: Unit
    duties: str
    place: str = ""
    holders: tuple[Person, ...] = ()
    outside_holders: str = ""
    active: bool = True


@transaction.atomic
def save_post(
    *, data: PostData, actor: Actor, now: datetime, post: PioneerPost | None = None
) -> PioneerPost:
    """设立或修改先锋岗/责任区 of a unit of the actor's subtree, held by someone."""
    if post is not None:
        access.require_edit(actor, post.unit)
    require(actor, Perm.EDIT)
    check_owner(actor, data.unit, "设立先锋岗或责任区")
    if data.kind not in PioneerPost.Kind.values:
        raise Refused("请选择先锋岗或责任区")
    name = required(data.name, "请填写名称")[:60]
    duties = required(data.duties, "请填写岗位职责")
    twin = PioneerPost.objects.filter(unit=data.unit, name=name)
    if post is not None:
        twin = twin.exclude(pk=post.pk)
    if twin.exists():
        raise Refused(f"{data.unit.name}已有名为“{name}”的先锋岗或责任区")
    check_people(data.unit, data.holders, "岗位人员")
    if not data.holders and not split_names(data.outside_holders):
        raise Refused("请至少填写一名岗位人员")
    post = post or PioneerPost(created_at=now)
    post.kind, post.name, post.unit, post.duties = data.kind, name, data.unit, duties
    post.place = data.place.strip()[:100]
    post.outside_holders = "、".join(split_names(data.outside_holders))[:300]
    post.active = data.active
    post.save()
    post.holders.set(data.holders)
    events.record(
        post.unit,
        verb=Verb.POST_SAVED,
        actor=actor,
        now=now,
        target=post.name,
        note=post.get_kind_display(),
    )
    return post


def handled_appeal(actor: Actor, post: PioneerPost, code: str) -> Appeal:
    """The appeal behind `code` if the post's unit (or a unit below it) handled it and the
    actor may see it; refused otherwise (without saying whether it exists)."""
    code = code.strip().upper()
    appeal = visible_appeals(actor).filter(code=code).first()
    handled = appeal is not None and (
        appeal.holder.path.startswith(post.unit.path)
        or Dispatch.objects.filter(appeal=appeal, to_unit__path__startswith=post.unit.path).exists()
    )
    if not handled:
        raise Refused(f"没有找到{post.unit.name}承办过的诉求“{code}”，请核对受理编号")
    return appeal


@dataclass(frozen=True)
class ServiceData:
    served_on: date
    content: str
    served: int = 0
    appeal_code: str = ""


@transaction.atomic
def record_service(
    *, post: PioneerPost, data: ServiceData, actor: Actor, now: datetime
) -> ServiceRecord:
    """登记服务记录 of a post (on or before today), optionally the appeal it solved."""
    access.require_edit(actor, post.unit)
    not_after_today(data.served_on, now, "服务日期")
    content = required(data.content, "请填写服务内容")[:300]
    if data.served < 0:
        raise Refused("服务群众人数不能为负数")
    appeal = handled_appeal(actor, post, data.appeal_code) if data.appeal_code.strip() else None
    if appeal is not None and data.served_on < timezone.localdate(appeal.received_at):
        raise Refused(f"服务日期早于诉求{appeal.code}的受理日期，请核对")
    record = ServiceRecord.objects.create(
        post=post,
        served_on=data.served_on,
        content=content,
        served=data.served,
        appeal=appeal,
        recorded_by=actor.person,
        recorded_at=now,
    )
    events.record(
        post.unit,
        verb=Verb.SERVICE_RECORDED,
        actor=actor,
        now=now,
        target=post.name,
        note=f"{data.served_on:%Y-%m-%d}：{content}" + (f"（诉求{appeal.code}）" if appeal else ""),
    )
    return record


@transaction.atomic
def remove_service(*, record: ServiceRecord, actor: Actor, now: datetime) -> None:
    """删除 a service record entered by mistake (the post's side); the audit row stays."""
    access.require_edit(actor, record.post.unit)
    events.record(
        record.post.unit,
        verb=Verb.SERVICE_REMOVED,
        actor=actor,
        now=now,
        target=record.post.name,
        note=f"{record.served_on:%Y-%m-%d}：{record.content}",
    )
    record.delete()
