"""修改分类: the office that received an appeal corrects its category and kind; the deadlines
that depend on them are computed again."""

from datetime import date, datetime

from django.db import transaction

from shishi.appeals import events, notifications
from shishi.appeals.actions.common import lock, refuse_unless, today_of
from shishi.appeals.allowed import FROM, Step
from shishi.appeals.deadlines import limits_for
from shishi.appeals.models import Appeal, Category, Dispatch, Kind
from shishi.core import workdays
from shishi.core.errors import Refused
from shishi.core.supervision import Level
from shishi.orgs.access import Actor


@transaction.atomic
def reclassify_appeal(
    *, appeal: Appeal, actor: Actor, category: Category, kind: str, now: datetime, note: str = ""
) -> Appeal:
    """Set the appeal's category and kind. A handling deadline already running and unsigned
    dispatches' signing deadlines move by the difference in working days between the old and
    the new limits (an extension granted stays granted), never to before today; the holder
    is told when its handling deadline moved."""
    appeal = lock(appeal)
    if appeal.first_receiver_id != actor.unit.pk:
        raise Refused("只有首接单位可以修改分类")
    refuse_unless(appeal, FROM[Step.RECLASSIFY], "修改分类")
    if kind not in Kind.values:
        raise Refused("请选择诉求类型")
    if not category.active or category.is_unsorted:
        raise Refused("请选择一个在用的具体分类")
    if category.pk == appeal.category_id and kind == appeal.kind:
        raise Refused("分类和类型都没有改变")
    before_category, before_kind = appeal.category, appeal.kind
    old, new = limits_for(appeal.category, appeal.kind), limits_for(category, kind)
    today = today_of(now)
    appeal.category, appeal.kind = category, kind
    fields = ["category", "kind"]
    due_note = ""
    if appeal.handle_due is not None and new.handle_days != old.handle_days:
        before_due = appeal.handle_due
        due = _moved(appeal.handle_due, old.handle_days, new.handle_days, today=today)
        appeal.handle_due, appeal.due_estimated = due.due, due.estimated
        fields += ["handle_due", "due_estimated"]
        if due.due > before_due:  # the rung it stood on no longer applies
            appeal.supervision, appeal.supervision_at = Level.NONE, None
            fields += ["supervision", "supervision_at"]
        due_note = f"；办理期限 {before_due:%Y-%m-%d} → {due.due:%Y-%m-%d}"
    appeal.save(update_fields=fields)
    if new.sign_days != old.sign_days:
        for dispatch in appeal.dispatches.filter(active=True, signed_at__isnull=True):
            sign = _moved(dispatch.sign_due, old.sign_days, new.sign_days, today=today)
            Dispatch.objects.filter(pk=dispatch.pk).update(
                sign_due=sign.due, sign_due_estimated=sign.estimated
            )
    events.reclassified(
        appeal=appeal,
        actor=actor,
        before=(before_category, before_kind),
        note=note.strip(),
        due_note=due_note,
        now=now,
    )
    if due_note and appeal.holder_id != actor.unit.pk:
        notifications.reclassified(appeal)
    return appeal


def _moved(due: date, old_days: int, new_days: int, *, today: date) -> workdays.Deadline:
    """The deadline `due` would have been with `new_days` instead of `old_days` from the same
    start: back to the latest start that gives `due`, then forward again."""
    moved = workdays.deadline(workdays.sub_workdays(due, old_days), new_days)
    if moved.due < today:
        return workdays.deadline(today, 0)
    return moved
