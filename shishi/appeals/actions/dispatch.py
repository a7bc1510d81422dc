"""派单, 签收, 退单: handing an appeal down the tree and taking it on (or back)."""

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction

from shishi.appeals import events, notifications
from shishi.appeals.actions.common import (
    lock,
    refuse_unless,
    refuse_while_awaiting_approval,
    today_of,
)
from shishi.appeals.allowed import FROM, Step, dispatch_states
from shishi.appeals.deadlines import limits_for
from shishi.appeals.models import Appeal, Dispatch, Status
from shishi.core import workdays
from shishi.core.errors import Conflict, Refused
from shishi.core.supervision import Level
from shishi.orgs.access import Actor
from shishi.orgs.models import Membership, Unit
from shishi.orgs.notify import DUTY_ROLES


@transaction.atomic
def dispatch_appeal(
    *,
    appeal: Appeal,
    actor: Actor,
    to_unit: Unit,
    now: datetime,
    co_units: Sequence[Unit] = (),
    note: str = "",
) -> Appeal:
    """Hand the appeal down to `to_unit` (and co-handlers); the holder changes. A unit an
    appeal was sent to may pass it on without signing it when the city allows it
    (`APPEAL_FORWARD_WITHOUT_SIGNING`)."""
    appeal = lock(appeal)
    if appeal.status == Status.DISPATCHED and appeal.status not in dispatch_states():
        raise Conflict("请先签收，再转派下级单位")
    refuse_unless(appeal, dispatch_states(), "派单")
    refuse_while_awaiting_approval(appeal, "派单")
    if appeal.holder_id != actor.unit.pk:
        raise Conflict("只有当前承办单位可以派单")
    targets = [to_unit, *co_units]
    _check_targets(appeal, actor=actor, targets=targets)
    today = today_of(now)
    limits = limits_for(appeal.category, appeal.kind)
    sign = workdays.deadline(today, limits.sign_days)
    current = appeal.dispatches.filter(active=True, co_handler=False).first()
    if current is not None and current.signed_at is None:
        # Passing it on in time is as good a response as signing it (签收或转派).
        Dispatch.objects.filter(pk=current.pk).update(
            signed_at=now, signed_on_time=today <= current.sign_due
        )
    appeal.dispatches.filter(active=True, co_handler=False).update(active=False)
    Dispatch.objects.bulk_create(
        Dispatch(
            appeal=appeal,
            from_unit=actor.unit,
            to_unit=unit,
            by=actor.person,
            at=now,
            sign_due=sign.due,
            sign_due_estimated=sign.estimated,
            co_handler=unit is not to_unit,
        )
        for unit in targets
    )
    before = appeal.status
    appeal.holder = to_unit
    appeal.status = Status.DISPATCHED
    if appeal.handle_due is None:
        due = workdays.deadline(today, limits.handle_days)
        appeal.handle_due, appeal.due_estimated = due.due, due.estimated
    appeal.save(update_fields=["holder", "status", "handle_due", "due_estimated"])
    events.dispatched(
        appeal=appeal,
        actor=actor,
        to_unit=to_unit,
        co_units=list(co_units),
        note=note,
        from_state=before,
        now=now,
    )
    if note.strip():  # the dispatcher's instructions are for the units, not the public
        events.record(
            appeal, verb=events.Verb.DISPATCH_NOTE, actor=actor, now=now, note=note.strip()
        )
    notifications.dispatched(appeal, to_unit=to_unit, co_units=list(co_units), sign_due=sign.due)
    return appeal


def _check_targets(appeal: Appeal, *, actor: Actor, targets: list[Unit]) -> None:
    if any(not actor.sees(u) for u in targets):
        raise Refused("只能派给本单位管辖范围内的单位")
    if targets[0].pk == appeal.holder_id:
        raise Refused("不能派给本单位")
    if any(not u.active for u in targets):
        raise Refused("所选单位已停用")
    staffed = set(
        Membership.objects.filter(
            unit__in=targets, role__in=DUTY_ROLES, person__is_active=True
        ).values_list("unit_id", flat=True)
    )
    unstaffed = [u.name for u in targets if u.pk not in staffed]
    if unstaffed:
        raise Refused(f"{'、'.join(unstaffed)}尚无经办人员，无法签收，请先在“人员”中为其添加")
    if len({u.pk for u in targets}) != len(targets):
        raise Refused("主办单位和协办单位不能重复")


@transaction.atomic
def sign_appeal(*, appeal: Appeal, actor: Actor, now: datetime) -> Appeal:
    """The holding unit takes the appeal on; records whether it signed on time."""
    appeal = lock(appeal)
    if appeal.holder_id != actor.unit.pk:
        raise Conflict("只有承办单位可以签收")
    refuse_unless(appeal, FROM[Step.SIGN], "签收")
    dispatch = appeal.dispatches.get(active=True, co_handler=False)
    on_time = today_of(now) <= dispatch.sign_due
    Dispatch.objects.filter(pk=dispatch.pk).update(signed_at=now, signed_on_time=on_time)
    appeal.status = Status.ACCEPTED
    appeal.save(update_fields=["status"])
    events.signed(
        appeal=appeal, actor=actor, on_time=on_time, from_state=Status.DISPATCHED, now=now
    )
    return appeal


@transaction.atomic
def sign_as_co_handler(*, dispatch: Dispatch, actor: Actor, now: datetime) -> Dispatch:
    """A co-handling unit acknowledges its part."""
    on_time = today_of(now) <= dispatch.sign_due
    signed = Dispatch.objects.filter(pk=dispatch.pk, signed_at__isnull=True).update(
        signed_at=now, signed_on_time=on_time
    )
    if not signed:
        raise Refused("贵单位已签收该协办诉求")
    events.co_signed(appeal=dispatch.appeal, actor=actor, on_time=on_time, now=now)
    return dispatch


@transaction.atomic
def return_appeal(*, appeal: Appeal, actor: Actor, reason: str, now: datetime) -> Appeal:
    """退单: the holder sends it back to whoever dispatched it, with a reason."""
    appeal = lock(appeal)
    if appeal.holder_id != actor.unit.pk:
        raise Conflict("只有承办单位可以退单")
    refuse_unless(appeal, FROM[Step.RETURN], "退单")
    refuse_while_awaiting_approval(appeal, "退单")
    if not reason.strip():
        raise Refused("请填写退单理由")
    # The dispatch that brought it here; for an appeal returned to this unit from below, the
    # one that brought it here before this unit passed it on.
    dispatch = (
        appeal.dispatches.select_related("from_unit")
        .filter(co_handler=False, to_unit=appeal.holder)
        .order_by("-at", "-pk")
        .first()
    )
    if dispatch is None:
        raise Refused("该诉求由本单位受理，没有可退回的派单单位")
    Dispatch.objects.filter(pk=dispatch.pk).update(
        returned_at=now, return_reason=reason, active=False
    )
    before = appeal.status
    appeal.holder = dispatch.from_unit
    appeal.status = Status.RETURNED
    appeal.return_count += 1
    # Back where it came from, it waits to be dispatched again: a new dispatch duty.
    again = workdays.deadline(today_of(now), settings.APPEAL_DISPATCH_DAYS)
    appeal.dispatch_due, appeal.dispatch_due_estimated = again.due, again.estimated
    appeal.dispatch_level, appeal.dispatch_level_at = Level.NONE, None
    appeal.save(
        update_fields=[
            "holder",
            "status",
            "return_count",
            "dispatch_due",
            "dispatch_due_estimated",
            "dispatch_level",
            "dispatch_level_at",
        ]
    )
    events.returned(
        appeal=appeal,
        actor=actor,
        to_unit=dispatch.from_unit,
        reason=reason,
        from_state=before,
        now=now,
    )
    notifications.returned(appeal, to_unit=dispatch.from_unit, by_unit=actor.unit, reason=reason)
    return appeal
