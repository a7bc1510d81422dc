"""Deploying a directive to its target units, units created later joining it, closing it."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from shishi.campaign import events, notifications
from shishi.campaign.access import Perm
from shishi.campaign.models import Assignment, Directive, DirectiveFile
from shishi.campaign.queries import targets
from shishi.core import uploads, workdays
from shishi.core.bulk import insert_objects
from shishi.core.codes import next_code
from shishi.core.errors import Refused
from shishi.orgs.access import Actor, require
from shishi.orgs.models import Unit

MAX_DAYS = 60  # working days: a directive longer than a quarter is a project, not a task


@dataclass(frozen=True)
class DirectiveData:
    title: str
    content: str
    days: int
    evidence: str
    target_root: Unit  # the subtree it goes to (the issuer's own, or a unit below)
    target_kinds: tuple[str, ...] = ()  # Unit.Kind codes; empty: every kind
    files: list[UploadedFile] = field(default_factory=list)  # attachments, checked by the form


@transaction.atomic
def issue_directive(*, data: DirectiveData, actor: Actor, now: datetime) -> Directive:
    """部署: the directive and one assignment per target unit, each due `days` working days
    from today, with an event and an SMS to each target unit's staff."""
    require(actor, Perm.ISSUE)
    issuer = actor.unit
    if not data.target_root.path.startswith(issuer.path):
        raise Refused("只能向本单位及下级单位部署任务")
    if not data.title.strip() or not data.content.strip():
        raise Refused("请填写任务名称和任务内容")
    if not data.evidence.strip():
        raise Refused("请写明需要报送的佐证材料")
    if not 1 <= data.days <= MAX_DAYS:
        raise Refused(f"完成时限应为1至{MAX_DAYS}个工作日")
    units = list(targets(data.target_root, data.target_kinds, issuer=issuer).order_by("path"))
    if not units:
        raise Refused("所选范围内没有符合条件的单位，任务没有下达对象")
    today = timezone.localdate(now)
    due = workdays.deadline(today, data.days)
    directive = Directive.objects.create(
        code=next_code(prefix="BS", day=today),
        title=data.title.strip(),
        content=data.content.strip(),
        issuer=issuer,
        target_root=data.target_root,
        target_kinds=list(data.target_kinds),
        days=data.days,
        due=due.due,
        due_estimated=due.estimated,
        evidence=data.evidence.strip(),
        issued_by=actor.person,
        issued_at=now,
    )
    uploads.attach(DirectiveFile, data.files, now=now, directive=directive)
    _assign(directive, units, due=due, actor=actor, now=now, joined=False)
    return directive


def _assign(directive, units, *, due, actor, now, joined: bool) -> list[Assignment]:
    rows = [
        Assignment(
            directive=directive,
            unit=unit,
            due=due.due,
            due_estimated=due.estimated,
            joined_late=joined,
        )
        for unit in units
    ]
    Assignment.objects.bulk_create(rows)  # ids come back on both databases
    insert_objects(events.assigned(row, actor=actor, now=now, joined=joined) for row in rows)
    notifications.assigned(directive, rows)
    return rows


@transaction.atomic
def join_new_units(*, now: datetime) -> int:
    """A unit created (or reactivated) while a directive is open joins it — if it is one of
    the directive's targets — with a deadline of the directive's working days from today.
    The worker runs this every ten minutes; returns how many assignments were added."""
    today = timezone.localdate(now)
    added = 0
    for directive in Directive.objects.filter(status=Directive.Status.OPEN).select_related(
        "issuer", "target_root"
    ):
        missing = targets(
            directive.target_root, directive.target_kinds, issuer=directive.issuer
        ).exclude(assignments__directive=directive)
        units = list(missing.order_by("path"))
        if units:
            due = workdays.deadline(today, directive.days)
            added += len(_assign(directive, units, due=due, actor=None, now=now, joined=True))
    return added


@transaction.atomic
def close_directive(*, directive: Directive, actor: Actor, now: datetime) -> Directive:
    """结束: no more reports or reviews; what was not done stays not done."""
    require(actor, Perm.ISSUE)
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if actor.unit.pk != directive.issuer_id:
        raise Refused("只有部署单位可以结束任务")
    if directive.status == Directive.Status.CLOSED:
        raise Refused("该任务已经结束")
    directive.status, directive.closed_at = Directive.Status.CLOSED, now
    directive.save(update_fields=["status", "closed_at"])
    return directive
