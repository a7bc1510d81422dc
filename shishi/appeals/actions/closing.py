"""合并 and 撤回: an appeal closed into another, or withdrawn by its reporter."""

from datetime import datetime

from django.db import transaction

from shishi.appeals import events, notifications
from shishi.appeals.actions.common import lock, refuse_unless
from shishi.appeals.allowed import FROM, Step
from shishi.appeals.models import IN_HAND_STATUSES, OPEN_STATUSES, Appeal, Status
from shishi.core.errors import Refused
from shishi.orgs.access import Actor

Verb = events.Verb


@transaction.atomic
def merge_appeal(*, duplicate: Appeal, primary: Appeal, actor: Actor, now: datetime) -> Appeal:
    """Close a duplicate into the primary appeal; the duplicate's reporter is told and keeps
    following their own code."""
    if duplicate.pk == primary.pk:
        raise Refused("不能与自身合并")
    duplicate, primary = lock(duplicate), lock(primary)
    if actor.unit.pk not in (duplicate.holder_id, duplicate.first_receiver_id):
        raise Refused("只有当前承办单位或首接单位可以合并该诉求")
    refuse_unless(duplicate, FROM[Step.MERGE], "合并")
    if primary.status not in (*OPEN_STATUSES, Status.REPLIED):
        raise Refused(
            f"目标诉求{primary.code}状态为“{primary.get_status_display()}”，不能合并到该诉求"
        )
    before = duplicate.status
    duplicate.status = Status.MERGED
    duplicate.merged_into = primary
    duplicate.closed_at = now
    duplicate.save(update_fields=["status", "merged_into", "closed_at"])
    duplicate.dispatches.filter(active=True).update(active=False)
    events.record(
        duplicate,
        verb=Verb.MERGED,
        actor=actor,
        from_state=before,
        now=now,
        public=True,
        note="与其他群众反映的相同诉求合并办理，办理结果将同步告知您",
    )
    events.record(primary, verb=Verb.ABSORBED, actor=actor, now=now, note=f"合并了{duplicate.code}")
    notifications.merged(duplicate, primary=primary)
    return duplicate


@transaction.atomic
def withdraw_appeal(*, appeal: Appeal, note: str, now: datetime) -> Appeal:
    """The citizen withdraws their appeal (confirmed by their phone in the portal)."""
    appeal = lock(appeal)
    refuse_unless(appeal, (*OPEN_STATUSES, Status.REPLIED), "撤回")
    before = appeal.status
    appeal.status = Status.WITHDRAWN
    appeal.closed_at = now
    appeal.save(update_fields=["status", "closed_at"])
    appeal.dispatches.filter(active=True).update(active=False)
    events.record(
        appeal,
        verb=Verb.WITHDRAWN,
        from_state=before,
        now=now,
        public=True,
        label=events.PUBLIC_LABEL,
        note=f"群众撤回诉求。{note}".strip(),
    )
    if before in IN_HAND_STATUSES:
        notifications.withdrawn(appeal)
    return appeal
