"""延期 and 无效件: requests the holding unit makes and a supervisor decides."""

from datetime import datetime

from django.conf import settings
from django.db import transaction

from shishi.appeals import events, notifications
from shishi.appeals.access import Perm, may_decide
from shishi.appeals.actions.common import lock, refuse_unless, today_of
from shishi.appeals.allowed import FROM, Step
from shishi.appeals.models import OPEN_STATUSES, Appeal, Review, Status
from shishi.core import workdays
from shishi.core.errors import Refused
from shishi.core.supervision import Level
from shishi.orgs.access import Actor

Verb = events.Verb


@transaction.atomic
def request_extension(
    *, appeal: Appeal, actor: Actor, days: int, reason: str, now: datetime
) -> Review:
    """The holder asks for `days` more working days; the supervisors are told."""
    appeal = lock(appeal)
    if appeal.holder_id != actor.unit.pk:
        raise Refused("只有承办单位可以申请延期")
    refuse_unless(appeal, FROM[Step.EXTENSION], "申请延期")
    if not 1 <= days <= 30:
        raise Refused("延期天数应为1至30个工作日")
    if not reason.strip():
        raise Refused("请填写延期理由")
    if appeal.reviews.filter(type=Review.Type.EXTENSION, decision=Review.Decision.PENDING).exists():
        raise Refused("已有待审核的延期申请")
    review = Review.objects.create(
        appeal=appeal,
        type=Review.Type.EXTENSION,
        unit=actor.unit,
        requested_by=actor.person,
        requested_at=now,
        days=days,
        reason=reason,
    )
    events.record(
        appeal,
        verb=Verb.EXTENSION_REQUESTED,
        actor=actor,
        now=now,
        note=f"申请延期{days}个工作日：{reason}",
    )
    notifications.extension_requested(appeal, unit=actor.unit, days=days)
    return review


@transaction.atomic
def request_invalid(*, appeal: Appeal, actor: Actor, reason: str, now: datetime) -> Review:
    """Ask a reviewer to mark the appeal invalid (恶意、重复骚扰、无实际诉求 …)."""
    appeal = lock(appeal)
    refuse_unless(appeal, FROM[Step.INVALID], "申请无效件")
    if appeal.holder_id != actor.unit.pk:
        raise Refused("只有当前承办单位可以申请无效件")
    if not reason.strip():
        raise Refused("请填写理由")
    if appeal.reviews.filter(type=Review.Type.INVALID, decision=Review.Decision.PENDING).exists():
        raise Refused("已有待审核的无效件申请")
    review = Review.objects.create(
        appeal=appeal,
        type=Review.Type.INVALID,
        unit=actor.unit,
        requested_by=actor.person,
        requested_at=now,
        reason=reason,
    )
    events.record(appeal, verb=Verb.INVALID_REQUESTED, actor=actor, now=now, note=reason)
    return review


@transaction.atomic
def decide_review(
    *, review: Review, actor: Actor, approve: bool, note: str, now: datetime
) -> Review:
    """Approve or deny an extension or invalid request: the city office and supervisors any
    of their subtree, a unit leader an extension of their own subtree up to
    `APPEAL_LEADER_EXTENSION_DAYS` (`access.may_decide`). A denial says why."""
    if not may_decide(actor, review):
        raise Refused(_not_yours(actor, review))
    if not approve and not note.strip():
        raise Refused("不同意时请填写审核意见")
    updated = Review.objects.filter(pk=review.pk, decision=Review.Decision.PENDING).update(
        decision=Review.Decision.APPROVED if approve else Review.Decision.DENIED,
        decided_by=actor.person,
        decided_at=now,
        decision_note=note,
    )
    if not updated:
        raise Refused("该申请已审核，不能重复审核")
    review.refresh_from_db()
    appeal = lock(review.appeal)
    extension = review.type == Review.Type.EXTENSION
    if approve and extension:
        _extend(appeal, review=review, actor=actor, now=now)
    elif approve:
        _invalidate(appeal, review=review, actor=actor, now=now)
    else:
        verb = Verb.EXTENSION_DENIED if extension else Verb.INVALID_DENIED
        events.record(appeal, verb=verb, actor=actor, now=now, note=note)
    notifications.review_decided(appeal, review=review, approve=approve, note=note)
    return review


def _not_yours(actor: Actor, review: Review) -> str:
    limit = settings.APPEAL_LEADER_EXTENSION_DAYS
    if not actor.can(Perm.APPROVE) or review.type != Review.Type.EXTENSION:
        return "您无权审核该申请"
    if not review.unit.path.startswith(actor.scope_path):
        return "只能审核本单位及下级单位的延期申请"
    return f"延期超过{limit}个工作日，须由市12345办公室审核"


def _extend(appeal: Appeal, *, review: Review, actor: Actor, now: datetime) -> None:
    if appeal.status not in (Status.ACCEPTED, Status.REOPENED):
        raise Refused(f"该诉求{appeal.get_status_display()}，无需延期")
    due = workdays.deadline(appeal.handle_due or today_of(now), review.days or 0)
    appeal.handle_due, appeal.due_estimated = due.due, due.estimated
    appeal.extension_count += 1
    appeal.supervision = Level.NONE
    appeal.save(update_fields=["handle_due", "due_estimated", "extension_count", "supervision"])
    events.record(
        appeal,
        verb=Verb.EXTENSION_APPROVED,
        actor=actor,
        now=now,
        public=True,
        note=f"办理期限延至{due.due:%Y年%m月%d日}",
    )


def _invalidate(appeal: Appeal, *, review: Review, actor: Actor, now: datetime) -> None:
    refuse_unless(appeal, OPEN_STATUSES, "认定为无效件")
    before = appeal.status
    appeal.status = Status.INVALID
    appeal.closed_at = now
    appeal.save(update_fields=["status", "closed_at"])
    appeal.dispatches.filter(active=True).update(active=False)
    events.record(
        appeal,
        verb=Verb.INVALID_APPROVED,
        actor=actor,
        from_state=before,
        now=now,
        public=True,
        note=f"经审核认定为无效诉求：{review.reason}",
    )
