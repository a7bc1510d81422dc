"""确认 / 退回 — the site's staff decide a pending booking. A route's share (the bookings of
one `group_code`) is decided as a whole: every stop confirmed, or every stop rejected and its
seats released, in one transaction. The seats were held when the booking was made, so
confirming never overfills a slot."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shishi.core.errors import Refused
from shishi.orgs.access import Actor, require
from shishi.sites import events, notifications
from shishi.sites.access import Perm, may_decide
from shishi.sites.models import Booking, Slot

Verb = events.Verb


def _share(booking: Booking) -> list[Booking]:
    """The booking and, for a route, every other stop of it, in the order slots are locked."""
    if not booking.group_code:
        return [booking]
    return list(
        Booking.objects.filter(group_code=booking.group_code)
        .select_related("site", "site__unit", "slot", "route")
        .order_by("site_id", "day", "slot__start")
    )


def _check(group: list[Booking], *, actor: Actor, today) -> None:
    require(actor, Perm.MANAGE)
    first = group[0]
    for booking in group:
        if booking.status != Booking.Status.PENDING:
            raise Refused(
                f"预约{booking.code}{booking.get_status_display()}，不是待确认的预约，请刷新页面"
            )
    if not may_decide(actor, group):
        if first.group_code:
            raise Refused("线路预约须由管理该线路全部参访点的单位一并确认或退回")
        raise Refused("只有参访点的管理单位可以确认或退回预约")
    if any(booking.day < today for booking in group):
        raise Refused("参观日期已过，不能再确认或退回")


def _claim(group: list[Booking], **changes) -> None:
    """Move the whole share from pending at once, or refuse (someone decided first)."""
    claimed = Booking.objects.filter(
        pk__in=[booking.pk for booking in group], status=Booking.Status.PENDING
    ).update(**changes)
    if claimed != len(group):
        raise Refused("该预约刚刚已被处理，请刷新页面")


@transaction.atomic
def confirm_booking(*, booking: Booking, actor: Actor, now: datetime) -> list[Booking]:
    """确认预约: the site agrees to the visit (a route: every stop, by staff who run them
    all); the ticket's QR code is shown from now on. Allowed until the visit day ends (the
    group at the door can still be confirmed, then checked in). The booker is texted."""
    group = _share(booking)
    _check(group, actor=actor, today=timezone.localdate(now))
    _claim(group, status=Booking.Status.BOOKED, decided_at=now)
    for one in group:
        one.status, one.decided_at = Booking.Status.BOOKED, now
        events.record(
            one, verb=Verb.CONFIRMED, now=now, actor=actor, from_state=Booking.Status.PENDING
        )
    notifications.confirmed(group)
    return group


@transaction.atomic
def reject_booking(*, booking: Booking, actor: Actor, reason: str, now: datetime) -> list[Booking]:
    """退回预约: the site cannot take the visit, and says why (required; the booker reads it
    in the SMS and on the ticket page). A route: every stop at once. The seats are released
    in the same transaction, slots updated in the one order every booking locks them."""
    reason = reason.strip()[:200]
    if not reason:
        raise Refused("请填写退回原因（将短信告知预约人）")
    group = _share(booking)
    _check(group, actor=actor, today=timezone.localdate(now))
    for one in group:
        if timezone.make_aware(datetime.combine(one.day, one.slot.start)) <= now:
            raise Refused(f"预约{one.code}的参观时段已经开始，不能退回")
    _claim(group, status=Booking.Status.REJECTED, decided_at=now, reject_reason=reason)
    for one in group:  # already in (site, day, start) order
        Slot.objects.filter(pk=one.slot_id).update(booked=F("booked") - one.headcount)
        one.status, one.decided_at, one.reject_reason = Booking.Status.REJECTED, now, reason
        events.record(
            one,
            verb=Verb.REJECTED,
            now=now,
            actor=actor,
            from_state=Booking.Status.PENDING,
            note=reason,
        )
    notifications.rejected(group)
    return group
