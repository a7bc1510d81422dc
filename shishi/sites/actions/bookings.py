"""Booking visits (a site's slot, or every stop of a route), cancelling and moving them.

A booking the site did not make itself starts 待确认 (pending) holding its seats; the site
confirms or rejects it (`actions.decisions`). Cancelling and moving work for pending and
confirmed bookings alike.

Seats are never given twice: every slot a booking takes is locked (SELECT … FOR UPDATE on
PostgreSQL; SQLite's IMMEDIATE transactions let one writer in at a time) and its count is
read and raised inside the same transaction; `Slot.booked <= capacity` is also a database
constraint. Slots are locked in one order (site, day, start) so two route bookings cannot
deadlock, and the code counter is taken last."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shishi.core.codes import next_code
from shishi.core.errors import Refused
from shishi.core.validators import is_mobile
from shishi.orgs.access import Actor, require
from shishi.orgs.models import Unit
from shishi.sites import events, notifications
from shishi.sites.access import Perm, confirms_itself, may_cancel
from shishi.sites.models import OPEN_STATUSES, WEEKDAYS, Booking, Closure, Route, Site, Slot
from shishi.sites.tickets import days_ahead

Verb = events.Verb


@dataclass(frozen=True)
class Visitor:
    """Who comes: the group, its contact (texted at each step) and how many."""

    organisation: str
    contact_name: str
    contact_phone: str
    headcount: int
    unit: Unit | None = None  # a staff booking: the unit that books (its subtree sees it)


def code_prefix() -> str:
    return f"{settings.CITY_CODE_PREFIX}CF"


def closure_on(site: Site, day: date) -> Closure | None:
    return site.closures.filter(start__lte=day, end__gte=day).first()


def check_day(site: Site, day: date, *, today: date) -> None:
    """Refuse a day the site does not receive visitors (or cannot be booked yet)."""
    if day < today:
        raise Refused("不能预约已经过去的日期")
    if day > today + timedelta(days=days_ahead()):
        last = today + timedelta(days=days_ahead())
        raise Refused(f"最多可提前{days_ahead()}天预约，请选择{last:%Y-%m-%d}及以前的日期")
    if not site.active:
        raise Refused(f"{site.name}暂停接受预约")
    if not site.opens_on_weekday(day):
        weekday = WEEKDAYS[day.isoweekday() - 1]
        raise Refused(f"{site.name}{site.open_days_text}开放，{day:%Y-%m-%d}（周{weekday}）闭馆")
    closure = closure_on(site, day)
    if closure is not None:
        raise Refused(
            f"{site.name}{closure.start:%Y-%m-%d}至{closure.end:%Y-%m-%d}闭馆（{closure.reason}），请另选日期"
        )


def check_slot(site: Site, day: date, start: time, *, now: datetime) -> None:
    if start not in site.slot_starts():
        raise Refused(
            f"所选时段不在{site.name}的开放时间内（{site.hours_text}），请从可选时段中选择"
        )
    if day == timezone.localdate(now) and start <= timezone.localtime(now).time():
        raise Refused("该时段已经开始，不能再预约，请选择之后的时段")


def _check_visitor(visitor: Visitor, *, actor: Actor | None) -> None:
    if not visitor.organisation.strip():
        raise Refused("请填写单位（团体）名称")
    if not visitor.contact_name.strip():
        raise Refused("请填写联系人")
    if not is_mobile(visitor.contact_phone):
        raise Refused("请填写正确的11位手机号码")
    if visitor.headcount < 1:
        raise Refused("参观人数至少为1人")
    if actor is not None:
        require(actor, Perm.BOOK)
        if visitor.unit is None or not actor.sees(visitor.unit):
            raise Refused("只能为本单位及下级单位预约")


def _hold(targets: list[tuple[Site, date, time]], headcount: int) -> dict[tuple, Slot]:
    """Lock every target slot (in one order) and take `headcount` seats in each, or refuse
    the lot. Returns the slots by (site id, day, start)."""
    held = {}
    for site, day, start in sorted(targets, key=lambda t: (t[0].pk, t[1], t[2])):
        if headcount > site.capacity:
            raise Refused(f"{site.name}每个时段最多接待{site.capacity}人，请分批预约")
        slot, _ = Slot.objects.select_for_update().get_or_create(
            site=site, day=day, start=start, defaults={"capacity": site.capacity}
        )
        if slot.booked + headcount > slot.capacity:
            free = slot.capacity - slot.booked
            left = f"只剩{free}个名额" if free > 0 else "已约满"
            raise Refused(
                f"{site.name}{day:%Y-%m-%d} {start:%H:%M}时段{left}，请调整人数或另选时段"
            )
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + headcount)
        slot.booked += headcount
        held[(site.pk, day, start)] = slot
    return held


def _create(
    *,
    site: Site,
    slot: Slot,
    visitor: Visitor,
    actor: Actor | None,
    now: datetime,
    status: str,
    route: Route | None = None,
    group_code: str = "",
) -> Booking:
    booking = Booking.objects.create(
        code=next_code(prefix=code_prefix(), day=timezone.localdate(now)),
        group_code=group_code,
        status=status,
        site=site,
        slot=slot,
        day=slot.day,
        route=route,
        channel=Booking.Channel.STAFF if actor else Booking.Channel.PUBLIC,
        unit=visitor.unit if actor else None,
        organisation=visitor.organisation.strip()[:100],
        contact_name=visitor.contact_name.strip()[:30],
        contact_phone=visitor.contact_phone,
        headcount=visitor.headcount,
        booked_at=now,
        booked_by=actor.person if actor else None,
    )
    events.record(
        booking,
        verb=Verb.BOOKED,
        now=now,
        actor=actor,
        label="" if actor else "群众（手机验证）",
        note=f"{booking.slot_text}，{booking.headcount}人"
        + (f"，线路“{route.name}”" if route else "")
        + ("" if status == Booking.Status.BOOKED else "，待参访点确认"),
    )
    return booking


def _status(actor: Actor | None, sites: list[Site]) -> str:
    return Booking.Status.BOOKED if confirms_itself(actor, sites) else Booking.Status.PENDING


@transaction.atomic
def book_visit(
    *, site: Site, day: date, start: time, visitor: Visitor, actor: Actor | None, now: datetime
) -> Booking:
    """预约参观: `visitor`'s group at `site` in the slot starting `start` on `day`. By staff
    (`actor`) for a unit of their subtree, or by the public (`actor` None: the view has
    confirmed the phone). The seats are held at once; the booking waits for the site's
    confirmation unless the site's own staff made it (`access.confirms_itself`). Refused,
    nothing is held."""
    _check_visitor(visitor, actor=actor)
    check_day(site, day, today=timezone.localdate(now))
    check_slot(site, day, start, now=now)
    slot = _hold([(site, day, start)], visitor.headcount)[(site.pk, day, start)]
    booking = _create(
        site=site, slot=slot, visitor=visitor, actor=actor, now=now, status=_status(actor, [site])
    )
    notifications.booked([booking])
    return booking


def route_plan(
    route: Route, first_day: date, *, headcount: int, now: datetime
) -> list[tuple[Site, date, time]]:
    """Where a route's group is when: every stop of day N on `first_day` + N-1, each in the
    earliest slot with room that starts after the previous stop's slot has ended. Refuses
    (naming the stop) when a stop cannot take the group that day."""
    today = timezone.localdate(now)
    stops = list(route.stops.select_related("site").order_by("day", "order"))
    if not stops:
        raise Refused("该线路还没有参访点")
    days = {stop.site_id: first_day + timedelta(days=stop.day - 1) for stop in stops}
    taken = {
        (slot.site_id, slot.day, slot.start): slot.booked
        for slot in Slot.objects.filter(site_id__in=days, day__in=set(days.values()))
    }
    plan, previous_end, previous_day = [], None, None
    for stop in stops:
        site, day = stop.site, first_day + timedelta(days=stop.day - 1)
        check_day(site, day, today=today)
        if day != previous_day:
            previous_end = None
        chosen = None
        for start in site.slot_starts():
            if day == today and start <= timezone.localtime(now).time():
                continue
            if previous_end is not None and start < previous_end:
                continue
            if taken.get((site.pk, day, start), 0) + headcount <= site.capacity:
                chosen = start
                break
        if chosen is None:
            raise Refused(
                f"{site.name}{day:%Y-%m-%d}没有能容纳{headcount}人的时段，请另选日期或减少人数"
            )
        plan.append((site, day, chosen))
        previous_end, previous_day = site.slot_end(chosen), day
    return plan


@transaction.atomic
def book_route(
    *, route: Route, first_day: date, visitor: Visitor, actor: Actor | None, now: datetime
) -> list[Booking]:
    """预约线路: every stop of `route`, day N of the route on `first_day` + N-1, all or none
    (one site full or closed refuses the whole route). Pending as a whole unless the actor
    runs every site of it."""
    _check_visitor(visitor, actor=actor)
    plan = route_plan(route, first_day, headcount=visitor.headcount, now=now)
    held = _hold(plan, visitor.headcount)
    group_code = next_code(prefix=f"{code_prefix()}XL", day=timezone.localdate(now))
    status = _status(actor, [site for site, _, _ in plan])
    bookings = [
        _create(
            site=site,
            slot=held[(site.pk, day, start)],
            visitor=visitor,
            actor=actor,
            now=now,
            status=status,
            route=route,
            group_code=group_code,
        )
        for site, day, start in plan
    ]
    notifications.booked(bookings)
    return bookings


@transaction.atomic
def cancel_bookings(
    *, bookings: list[Booking], actor: Actor | None, reason: str, now: datetime
) -> list[Booking]:
    """取消预约 (pending or confirmed): by the site's or the booking unit's staff, or by the
    booker (`actor` None: the view has checked the visitor's session). The seats are free
    again at once."""
    if not bookings:
        raise Refused("没有可以取消的预约")
    reason = reason.strip()[:200]
    if actor is not None and not reason:
        raise Refused("请填写取消原因（将短信告知预约人）")
    for booking in bookings:
        if booking.status not in OPEN_STATUSES:
            raise Refused(f"预约{booking.code}{booking.get_status_display()}，不能取消")
        if actor is not None and not may_cancel(actor, booking):
            raise Refused(f"您无权取消预约{booking.code}")
        if timezone.make_aware(datetime.combine(booking.day, booking.slot.start)) <= now:
            raise Refused(f"预约{booking.code}的参观时段已经开始，不能取消")
    cancelled = []
    for booking in sorted(bookings, key=lambda b: (b.site_id, b.day, b.slot.start)):
        was = booking.status
        claimed = Booking.objects.filter(pk=booking.pk, status=was).update(
            status=Booking.Status.CANCELLED, cancelled_at=now, cancel_reason=reason
        )
        if not claimed:
            raise Refused(f"预约{booking.code}刚刚已被处理，请刷新页面")
        Slot.objects.filter(pk=booking.slot_id).update(booked=F("booked") - booking.headcount)
        booking.status, booking.cancelled_at, booking.cancel_reason = (
            Booking.Status.CANCELLED,
            now,
            reason,
        )
        events.record(
            booking,
            verb=Verb.CANCELLED,
            now=now,
            actor=actor,
            label="" if actor else "预约人",
            from_state=was,
            note=reason,
        )
        notifications.cancelled(booking)
        cancelled.append(booking)
    return cancelled


@transaction.atomic
def reschedule_booking(
    *, booking: Booking, day: date, start: time, actor: Actor | None, now: datetime
) -> Booking:
    """改期: the same group to another slot of the same site, by the site's or the booking
    unit's staff, or by the booker (`actor` None). The new seats are taken before the old
    ones are given back, both slots locked in the one order every booking uses; refused, the
    booking stays where it was. The old ticket no longer checks in (its day is in it).

    The new slot is as the booking would be made now: confirmed when the site's own staff
    move it, otherwise pending again (the site agreed to the old time, not the new one), so
    a pending booking stays pending."""
    if booking.status not in OPEN_STATUSES:
        raise Refused(f"预约{booking.code}{booking.get_status_display()}，不能改期")
    if booking.group_code:
        raise Refused("线路预约不能单独改期，请取消后重新预约整条线路")
    if actor is not None and not may_cancel(actor, booking):
        raise Refused(f"您无权修改预约{booking.code}")
    old_slot = booking.slot
    if timezone.make_aware(datetime.combine(booking.day, old_slot.start)) <= now:
        raise Refused("原定参观时段已经开始，不能改期")
    if (day, start) == (booking.day, old_slot.start):
        raise Refused("新时段与原时段相同，请选择其他日期或时段")
    site = booking.site
    check_day(site, day, today=timezone.localdate(now))
    check_slot(site, day, start, now=now)
    new_slot = None
    for when in sorted([(booking.day, old_slot.start), (day, start)]):
        if when == (day, start):
            new_slot = _hold([(site, day, start)], booking.headcount)[(site.pk, day, start)]
        else:
            Slot.objects.select_for_update().get(pk=old_slot.pk)
    was, status = booking.status, _status(actor, [site])
    claimed = Booking.objects.filter(pk=booking.pk, status=was, slot=old_slot).update(
        slot=new_slot, day=day, status=status
    )
    if not claimed:
        raise Refused(f"预约{booking.code}刚刚已被处理，请刷新页面")
    Slot.objects.filter(pk=old_slot.pk).update(booked=F("booked") - booking.headcount)
    before = booking.slot_text
    booking.slot, booking.day, booking.status = new_slot, day, status
    events.record(
        booking,
        verb=Verb.RESCHEDULED,
        now=now,
        actor=actor,
        label="" if actor else "预约人",
        from_state=was,
        note=f"{before} → {booking.slot_text}"
        + ("，待参访点确认" if status == Booking.Status.PENDING else ""),
    )
    notifications.rescheduled(booking, before=before)
    return booking
