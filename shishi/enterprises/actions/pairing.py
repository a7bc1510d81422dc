"""挂钩 and 走访: pairing a cadre with an enterprise (history kept) and the cadre's visits;
each visit moves the pairing's next visit due date on."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shishi.core import workdays
from shishi.core.errors import Refused
from shishi.core.supervision import Level
from shishi.enterprises import access, events, notifications
from shishi.enterprises.models import Enterprise, Pairing, Visit
from shishi.orgs.access import Actor
from shishi.orgs.models import Membership, Person, Unit

Verb = events.Verb


def visit_days() -> int:
    """Working days a cadre may go without visiting a paired enterprise (默认 20)."""
    return getattr(settings, "ENTERPRISE_VISIT_DAYS", 20)


def _set_due(pairing: Pairing, since: date) -> None:
    due = workdays.deadline(since, visit_days())
    pairing.visit_due, pairing.visit_due_estimated = due.due, due.estimated
    pairing.supervision, pairing.supervision_at = Level.NONE, None


@transaction.atomic
def pair_cadre(
    *,
    enterprise: Enterprise,
    cadre: Person,
    unit: Unit,
    starts_on: date,
    actor: Actor,
    now: datetime,
) -> Pairing:
    """安排挂钩: the office over the enterprise pairs a cadre of its subtree (a member of
    `unit`) from `starts_on`; a current pairing with someone else ends the day before."""
    access.require_office(actor)
    if not actor.sees(enterprise.county):
        raise Refused("该企业不在您的管辖范围内，只能由企业所在县（区）或市里安排挂钩")
    if not actor.sees(unit):
        raise Refused(f"{unit.name}不在您的管辖范围内，不能安排其干部挂钩")
    if not Membership.objects.filter(person=cadre, unit=unit).exists() or not cadre.is_active:
        raise Refused(f"{cadre.name}不是{unit.name}的在岗人员")
    today = timezone.localdate(now)
    if starts_on > today:
        raise Refused("挂钩开始日期不能晚于今天")
    current = (
        Pairing.objects.select_for_update()
        .filter(enterprise=enterprise, ends_on__isnull=True)
        .select_related("cadre")
        .first()
    )
    if current is not None:
        if current.cadre_id == cadre.pk:
            raise Refused(f"{cadre.name}已在挂钩{enterprise.name}")
        if starts_on <= current.starts_on:
            raise Refused(
                f"现挂钩干部{current.cadre.name}自{current.starts_on:%Y-%m-%d}起挂钩，"
                "新的挂钩应从其后开始"
            )
        _end(
            current,
            ends_on=date.fromordinal(starts_on.toordinal() - 1),
            reason=f"改由{cadre.name}挂钩",
            actor=actor,
            now=now,
        )
    pairing = Pairing(
        enterprise=enterprise,
        cadre=cadre,
        unit=unit,
        office=actor.unit,
        starts_on=starts_on,
        paired_by=actor.person,
        paired_at=now,
    )
    _set_due(pairing, starts_on)
    pairing.save()
    events.record(
        enterprise,
        verb=Verb.PAIRED,
        now=now,
        actor=actor,
        note=f"{cadre.name}（{unit.name}）自{starts_on:%Y-%m-%d}起挂钩",
    )
    notifications.paired(pairing)
    return pairing


def _end(pairing: Pairing, *, ends_on: date, reason: str, actor: Actor, now: datetime) -> None:
    pairing.ends_on, pairing.ended_at, pairing.end_reason = ends_on, now, reason[:200]
    pairing.save(update_fields=["ends_on", "ended_at", "end_reason"])
    events.record(
        pairing.enterprise,
        verb=Verb.UNPAIRED,
        now=now,
        actor=actor,
        note=f"{pairing.cadre.name}的挂钩于{ends_on:%Y-%m-%d}结束：{reason}",
    )


@transaction.atomic
def end_pairing(*, pairing: Pairing, reason: str, actor: Actor, now: datetime) -> Pairing:
    """解除挂钩 today, with the reason; the pairing stays as history."""
    if not access.may_end_pairing(actor, pairing):
        raise Refused("只有企业所在县（区）或市里的挂钩办可以解除挂钩")
    if not reason.strip():
        raise Refused("请填写解除原因")
    today = timezone.localdate(now)
    _end(
        pairing, ends_on=max(today, pairing.starts_on), reason=reason.strip(), actor=actor, now=now
    )
    return pairing


@dataclass(frozen=True)
class VisitData:
    pairing: Pairing
    visited_on: date
    form: str  # Visit.Form
    discussed: str
    problems: str = ""


@transaction.atomic
def record_visit(*, data: VisitData, actor: Actor, now: datetime) -> Visit:
    """登记走访 by the paired cadre (or the office): never dated in the future nor before the
    pairing began; the next visit falls due N working days after the latest one."""
    pairing = (
        Pairing.objects.select_for_update()
        .select_related("enterprise", "cadre")
        .get(pk=data.pairing.pk)
    )
    access.require_record_visit(actor, pairing)
    today = timezone.localdate(now)
    if data.visited_on > today:
        raise Refused("走访日期不能晚于今天，请在走访后登记")
    if data.visited_on < pairing.starts_on:
        raise Refused(f"走访日期早于挂钩开始日期（{pairing.starts_on:%Y-%m-%d}）")
    if data.form not in Visit.Form.values:
        raise Refused("请选择走访形式")
    if not data.discussed.strip():
        raise Refused("请填写交流内容")
    visit = Visit.objects.create(
        enterprise=pairing.enterprise,
        pairing=pairing,
        cadre=pairing.cadre,
        unit=pairing.unit,
        visited_on=data.visited_on,
        form=data.form,
        discussed=data.discussed.strip()[:5000],
        problems=data.problems.strip()[:5000],
        recorded_by=actor.person,
        recorded_at=now,
    )
    if pairing.last_visited_on is None or data.visited_on > pairing.last_visited_on:
        pairing.last_visited_on = data.visited_on
        _set_due(pairing, data.visited_on)
        pairing.save(
            update_fields=[
                "last_visited_on",
                "visit_due",
                "visit_due_estimated",
                "supervision",
                "supervision_at",
            ]
        )
    events.record(
        pairing.enterprise,
        verb=Verb.VISITED,
        now=now,
        actor=actor,
        unit=pairing.unit,
        note=f"{visit.get_form_display()}（{visit.visited_on:%Y-%m-%d}）",
    )
    return visit
